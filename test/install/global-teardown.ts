/**
 * Stops verdaccio and the sandbox and removes the run folder unless KOMOJU_E2E_KEEP=1. The proxy
 * and each n8n are stopped by the test file that started them.
 */
import { closeRun } from '../run-folder';

export default async function globalTeardown(): Promise<void> {
	const handles = globalThis.__KOMOJU_INSTALL__;
	if (!handles) return;
	globalThis.__KOMOJU_INSTALL__ = undefined;
	await closeRun(handles, 'install');
}
