const { resolve } = require('node:path');

/**
 * The jest config shared by the suites that run against real processes (e2e, ui, compat,
 * install, queue): TypeScript transpiled with test/tsconfig.json, one file at a time (they share
 * one n8n, sandbox or registry), and, with a global setup, that setup's teardown and KOMOJU's
 * contract guard and summary line (test/contract/).
 * @param {{ folder: string, suffix: string, setupFolder?: string, testTimeout: number, slowTestThreshold: number }} suite
 *   setupFolder: the test/ folder whose global-setup.ts and global-teardown.ts the suite uses (none: no setup, no contract guard).
 * @returns {import('jest').Config}
 */
function realProcessSuite({ folder, suffix, setupFolder, testTimeout, slowTestThreshold }) {
	return {
		rootDir: resolve(__dirname, '..'),
		testEnvironment: 'node',
		roots: [`<rootDir>/test/${folder}`],
		testMatch: [`**/*.${suffix}.ts`],
		transform: {
			'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
		},
		...(setupFolder && {
			globalSetup: `<rootDir>/test/${setupFolder}/global-setup.ts`,
			globalTeardown: `<rootDir>/test/${setupFolder}/global-teardown.ts`,
			setupFilesAfterEnv: ['<rootDir>/test/contract/guard.ts'],
			reporters: ['default', '<rootDir>/test/contract/reporter.js'],
		}),
		maxWorkers: 1,
		testTimeout,
		slowTestThreshold,
	};
}

module.exports = { realProcessSuite };
