/**
 * The queue-mode end-to-end tests (test/queue/*.queue.ts). They need the n8n main, the workers,
 * Redis, PostgreSQL and the sandbox that scripts/queue-mode/run.sh starts: run them through it.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	maxWorkers: 1,
	testTimeout: 300000,
	slowTestThreshold: 120,
};
