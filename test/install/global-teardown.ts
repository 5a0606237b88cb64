/**
 * Stops verdaccio and the sandbox and removes the run folder unless KOMOJU_E2E_KEEP=1. The proxy
 * and each n8n are stopped by the test file that started them.
 */
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
	const handles = globalThis.__KOMOJU_INSTALL__;
	if (!handles) return;
	globalThis.__KOMOJU_INSTALL__ = undefined;
	for (const close of handles.closers.reverse()) await close().catch(() => undefined);
	if (process.env.KOMOJU_E2E_KEEP === '1') {
		process.stdout.write(`[install] kept ${handles.runDir}\n`);
	} else {
		rmSync(handles.runDir, { recursive: true, force: true });
	}
}
