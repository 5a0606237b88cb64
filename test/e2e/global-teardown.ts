/**
 * Stops what global-setup.ts started: `n8n start` (and its task runner), the sandbox and the
 * fake servers. Removes the run folder unless KOMOJU_E2E_KEEP=1 (it then keeps the n8n user
 * folder, n8n's log, the imported JSON and the mails for a look).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

import { alive } from './support/context';

function childrenOf(pid: number): number[] {
	try {
		return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
			.split('\n')
			.map((line) => Number(line.trim()))
			.filter((child) => child > 0);
	} catch {
		return []; // ps exits 1 when there are none
	}
}

function descendantsOf(pid: number): number[] {
	return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

async function stop(n8n: ChildProcess): Promise<void> {
	if (!n8n.pid || n8n.exitCode !== null || n8n.signalCode !== null) return;
	// n8n stops its task runner itself on SIGTERM; remember it in case n8n has to be killed.
	const descendants = descendantsOf(n8n.pid);
	const exited = new Promise<void>((resolve) => n8n.once('exit', () => resolve()));
	n8n.kill('SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const inTime = await Promise.race([
		exited.then(() => true),
		new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 20_000))),
	]);
	clearTimeout(timer);
	if (!inTime) {
		n8n.kill('SIGKILL');
		await exited;
	}
	for (const pid of descendants) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

export default async function globalTeardown(): Promise<void> {
	const handles = globalThis.__KOMOJU_E2E__;
	if (!handles) return;
	globalThis.__KOMOJU_E2E__ = undefined;
	const started = Date.now();
	if (handles.n8n) await stop(handles.n8n);
	for (const close of handles.closers.reverse()) await close().catch(() => undefined);
	process.stdout.write(`[e2e] teardown took ${(Date.now() - started) / 1000} s\n`);
	if (process.env.KOMOJU_E2E_KEEP === '1') {
		process.stdout.write(`[e2e] kept ${handles.runDir}\n`);
	} else {
		rmSync(handles.runDir, { recursive: true, force: true });
	}
}
