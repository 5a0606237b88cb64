/** The processes and ports the e2e and compatibility harnesses start n8n with, and stop it by. */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

import { alive } from './context';

/** Free ports, all held open at once so that no two are the same. */
export async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(
		Array.from({ length: count }, () =>
			new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
				const server = createServer();
				server.on('error', reject);
				server.listen(0, '127.0.0.1', () => resolve(server));
			}),
		),
	);
	const ports = servers.map((server) => {
		const address = server.address();
		return typeof address === 'object' && address ? address.port : 0;
	});
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

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

/** Stops `n8n start`: SIGTERM, SIGKILL after 20 s, then whatever it started (its task runner) if still alive. */
export async function stopN8n(n8n: ChildProcess): Promise<void> {
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
