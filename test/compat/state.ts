/**
 * What test/compat/global-setup.ts prepared, shared with the test file through a JSON file
 * (KOMOJU_E2E_STATE, so that test/contract/guard.ts and reporter.js find the run's sandbox).
 */
import { readFileSync } from 'node:fs';

import { STATE_ENV } from '../e2e/support/state';
import type { CompatVersion } from './versions';

export interface PreparedVersion extends CompatVersion {
	/** The n8n user folder with the package installed and the smoke's credentials and workflows imported. */
	userFolder: string;
	/** Why the version could not be installed or prepared; the version's tests fail with it. */
	setupError?: string;
	/** Seconds per setup step (tools.sh is seconds once cached, minutes on the first run). */
	timings: Record<string, number>;
}

export interface CompatState {
	runDir: string;
	sandbox: { url: string; secretKey: string };
	fixtures: { customerId: string };
	versions: PreparedVersion[];
}

export function loadCompatState(): CompatState {
	const file = process.env[STATE_ENV];
	if (!file) throw new Error(`${STATE_ENV} is not set: run the compatibility smoke with npm run test:compat`);
	return JSON.parse(readFileSync(file, 'utf8')) as CompatState;
}
