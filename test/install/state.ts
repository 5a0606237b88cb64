/**
 * What test/install/global-setup.ts prepared, shared with the test files through a JSON file
 * (KOMOJU_E2E_STATE, so that test/contract/guard.ts and reporter.js find the run's sandbox).
 */
import { readFileSync } from 'node:fs';

import { STATE_ENV } from '../e2e/support/state';
import type { Tarballs } from './support/package';

export interface InstallState {
	runDir: string;
	sandbox: { url: string; secretKey: string };
	/** The local registry (verdaccio) with both versions published. */
	registry: { url: string };
	tarballs: Tarballs;
	/** A sandbox customer with a saved card, for Payment → Create. */
	customerId: string;
	/** Seconds per setup step. */
	timings: Record<string, number>;
}

export function loadInstallState(): InstallState {
	const file = process.env[STATE_ENV];
	if (!file) throw new Error(`${STATE_ENV} is not set: run the install test with npm run test:install`);
	return JSON.parse(readFileSync(file, 'utf8')) as InstallState;
}
