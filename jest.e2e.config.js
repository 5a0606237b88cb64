/**
 * End-to-end tests inside a real n8n 2.40.7 (scripts/n8n): `npm run build && jest -c jest.e2e.config.js`.
 * One n8n user folder, sandbox and `n8n start` for the whole run (test/e2e/global-setup.ts),
 * so the files run one after the other.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// KOMOJU's contract judges every request and answer of the run's sandbox (test/contract/)
	setupFilesAfterEnv: ['<rootDir>/test/contract/guard.ts'],
	reporters: ['default', '<rootDir>/test/contract/reporter.js'],
	maxWorkers: 1,
	// n8n execute costs 6–8 s per run; a 3DS round trip waits for n8n start (up to 2 min on a cold machine).
	testTimeout: 180000,
	slowTestThreshold: 60,
};
