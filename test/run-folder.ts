/**
 * The run folder and the things to stop of a jest run against real processes (e2e, compat,
 * install). jest's globalSetup and globalTeardown share the process but not their modules, so
 * each suite keeps its handles on globalThis; teardown stops them in reverse order and removes
 * the folder unless KOMOJU_E2E_KEEP=1.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './e2e/support/state';

export interface RunHandles {
	runDir: string;
	closers: Array<() => Promise<void>>;
}

/** A fresh folder under .e2e/ (gitignored) named `<prefix>XXXXXX`. */
export function makeRunDir(prefix: string): string {
	mkdirSync(join(REPO_ROOT, '.e2e'), { recursive: true });
	return mkdtempSync(join(REPO_ROOT, '.e2e', prefix));
}

/** Runs every closer (newest first, a failing one does not stop the others), then removes or keeps the folder. */
export async function closeRun(handles: RunHandles, label: string): Promise<void> {
	for (const close of handles.closers.reverse()) await close().catch(() => undefined);
	if (process.env.KOMOJU_E2E_KEEP === '1') {
		process.stdout.write(`[${label}] kept ${handles.runDir}\n`);
	} else {
		rmSync(handles.runDir, { recursive: true, force: true });
	}
}

/** Runs `work` and records how long it took, in tenths of seconds, as `timings[name]`. */
export async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings[name] = Math.round((Date.now() - started) / 100) / 10;
	}
}
