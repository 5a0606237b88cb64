/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		// test/tsconfig.json sets isolatedModules, so tests are transpiled only; `npm run typecheck` checks types once.
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	testTimeout: 30000,
	// KOMOJU's contract judges every sandbox request and answer: a test during which a sandbox
	// recorded a violation fails, and the run ends with one summary line (test/contract/).
	globalSetup: '<rootDir>/test/contract/global-setup.ts',
	setupFilesAfterEnv: ['<rootDir>/test/contract/guard.ts'],
	reporters: ['default', '<rootDir>/test/contract/reporter.js'],
};
