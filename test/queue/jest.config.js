/**
 * The queue-mode end-to-end tests (test/queue/*.queue.ts). They need the n8n main, the workers,
 * Redis, PostgreSQL and the sandbox that scripts/queue-mode/run.sh starts: run them through it.
 */
const { realProcessSuite } = require('../jest-suite');

module.exports = realProcessSuite({ folder: 'queue', suffix: 'queue', testTimeout: 300000, slowTestThreshold: 120 });
