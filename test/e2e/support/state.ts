/**
 * What global-setup.ts prepared for one e2e run, shared with the test files through a JSON
 * file (jest's globalSetup and the tests do not share module state; process.env is inherited).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** The package n8n installs (what `npm publish` ships); the repository around it is tooling. */
export const PACKAGE_DIR = resolve(REPO_ROOT, 'packages', 'n8n-nodes-komoju');
export const STATE_ENV = 'KOMOJU_E2E_STATE';

/** Secure tokens and customers created on the sandbox before the workflows were imported. */
export interface Fixtures {
	/** Customer whose saved card is the 3DS challenge-success card. */
	customerId: string;
	/** Tokens in each final state, for the scheduled status check example. */
	tokens: { ok: string; skipped: string; errored: string; needsVerify: string };
}

export interface E2eState {
	runDir: string;
	userFolder: string;
	n8n: {
		url: string;
		port: number;
		pid: number;
		log: string;
		owner: { email: string; password: string };
		/** Date.now() when `n8n start` was spawned. */
		startedAt: number;
	};
	sandbox: { url: string; secretKey: string };
	smtp: { port: number; mailDir: string };
	openAi: { url: string; requestsFile: string };
	fixtures: Fixtures;
	/** Seconds spent in each setup step, for the run's timing report. */
	timings: Record<string, number>;
}

export function loadState(): E2eState {
	const file = process.env[STATE_ENV];
	if (!file) throw new Error(`${STATE_ENV} is not set: run the e2e tests with jest -c jest.e2e.config.js`);
	return JSON.parse(readFileSync(file, 'utf8')) as E2eState;
}
