/**
 * End-to-end tests inside a real n8n 2.40.7 (scripts/n8n): `npm run build && jest -c jest.e2e.config.js`.
 * One n8n user folder, sandbox and `n8n start` for the whole run (test/e2e/global-setup.ts),
 * so the files run one after the other.
 */
const { realProcessSuite } = require('./test/jest-suite');

module.exports = realProcessSuite({
	folder: 'e2e',
	suffix: 'e2e',
	setupFolder: 'e2e',
	// n8n execute costs 6–8 s per run; a 3DS round trip waits for n8n start (up to 2 min on a cold machine).
	testTimeout: 180000,
	slowTestThreshold: 60,
});
