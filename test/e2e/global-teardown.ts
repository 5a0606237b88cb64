/**
 * Stops what global-setup.ts started: `n8n start` (and its task runner), the sandbox and the
 * fake servers. Removes the run folder unless KOMOJU_E2E_KEEP=1 (it then keeps the n8n user
 * folder, n8n's log, the imported JSON and the mails for a look).
 */
import { closeRun } from '../run-folder';
import { stopN8n } from './support/processes';

export default async function globalTeardown(): Promise<void> {
	const handles = globalThis.__KOMOJU_E2E__;
	if (!handles) return;
	globalThis.__KOMOJU_E2E__ = undefined;
	const started = Date.now();
	if (handles.n8n) await stopN8n(handles.n8n);
	await closeRun(handles, 'e2e');
	process.stdout.write(`[e2e] teardown took ${(Date.now() - started) / 1000} s\n`);
}
