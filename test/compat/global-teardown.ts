/**
 * Closes the sandbox and removes the run folder (n8n user folders included) unless
 * KOMOJU_E2E_KEEP=1. Each version's `n8n start` is stopped by the test file itself.
 */
import { closeRun } from '../run-folder';

export default async function globalTeardown(): Promise<void> {
	const handles = globalThis.__KOMOJU_COMPAT__;
	if (!handles) return;
	globalThis.__KOMOJU_COMPAT__ = undefined;
	await closeRun(handles, 'compat');
}
