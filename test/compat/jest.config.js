/**
 * The compatibility matrix (`npm run test:compat`): the smoke of smoke.compat.ts against each
 * n8n version of versions.ts, installed into ~/.cache/n8n-nodes-komoju once per version by
 * global-setup.ts. The sandbox's contract check judges every request, as in the e2e.
 * @type {import('jest').Config}
 */
module.exports = {
	rootDir: '../..',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/compat'],
	testMatch: ['**/*.compat.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/compat/global-setup.ts',
	globalTeardown: '<rootDir>/test/compat/global-teardown.ts',
	setupFilesAfterEnv: ['<rootDir>/test/contract/guard.ts'],
	reporters: ['default', '<rootDir>/test/contract/reporter.js'],
	maxWorkers: 1,
	// Each test waits for n8n (webhooks, executions) with bounded polls; none decides on timing.
	testTimeout: 120000,
	slowTestThreshold: 60,
};
