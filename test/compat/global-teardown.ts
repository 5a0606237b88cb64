/**
 * Closes the sandbox and removes the run folder (n8n user folders included) unless
 * KOMOJU_E2E_KEEP=1. Each version's `n8n start` is stopped by the test file itself.
 */
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
	const handles = globalThis.__KOMOJU_COMPAT__;
	if (!handles) return;
	globalThis.__KOMOJU_COMPAT__ = undefined;
	for (const close of handles.closers.reverse()) await close().catch(() => undefined);
	if (process.env.KOMOJU_E2E_KEEP === '1') {
		process.stdout.write(`[compat] kept ${handles.runDir}\n`);
	} else {
		rmSync(handles.runDir, { recursive: true, force: true });
	}
}
