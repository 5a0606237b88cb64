/**
 * One version's `n8n start` for the smoke: its own user folder (prepared by global-setup.ts),
 * its own free ports, logged in as the owner. What differs between n8n versions is handled here,
 * each difference found by asking that n8n (never by comparing version numbers).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { alive } from '../e2e/support/context';
import { N8nApi, n8nEnv, n8nEnvValue, sleep, tail } from '../e2e/support/n8n';
import { REPO_ROOT } from '../e2e/support/state';
import type { PreparedVersion } from './state';
import { versionEnv } from './versions';

const OWNER = { email: 'owner@komoju-compat.test', password: 'Compat-owner-Passw0rd', firstName: 'Compat', lastName: 'Owner' };

async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(
		Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
			const server = createServer();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => resolve(server));
		})),
	);
	const ports = servers.map((server) => {
		const address = server.address();
		return typeof address === 'object' && address ? address.port : 0;
	});
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

async function ownerPasswordHash(version: PreparedVersion, password: string): Promise<string> {
	const cache = await n8nEnvValue('$KOMOJU_N8N_CACHE');
	const requireFromN8n = createRequire(join(cache, `n8n-${version.n8n}`, 'node_modules', 'n8n', 'package.json'));
	const bcrypt = requireFromN8n('bcryptjs') as { hashSync: (password: string, rounds: number) => string };
	return bcrypt.hashSync(password, 10);
}

export interface Instance {
	url: string;
	log: string;
	api: N8nApi;
	/** How this version publishes a workflow (for the report). */
	stop: () => Promise<void>;
}

function descendantsOf(pid: number): number[] {
	let children: number[] = [];
	try {
		children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
			.split('\n')
			.map((line) => Number(line.trim()))
			.filter((child) => child > 0);
	} catch {
		children = []; // ps exits 1 when there are none
	}
	return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

async function stop(n8n: ChildProcess): Promise<void> {
	if (!n8n.pid || n8n.exitCode !== null || n8n.signalCode !== null) return;
	const descendants = descendantsOf(n8n.pid);
	const exited = new Promise<void>((resolve) => n8n.once('exit', () => resolve()));
	n8n.kill('SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const inTime = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 20_000)))]);
	clearTimeout(timer);
	if (!inTime) {
		n8n.kill('SIGKILL');
		await exited;
	}
	for (const pid of descendants) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Logs in as the owner. n8n 2.x creates the owner from N8N_INSTANCE_OWNER_* at start; an n8n
 * without that (1.x) answers the login 401 and has its owner set up the way its first screen
 * does it, `POST /rest/owner/setup`.
 */
async function login(url: string): Promise<N8nApi> {
	const api = new N8nApi(url, OWNER);
	try {
		await api.login();
		return api;
	} catch (error) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (response.status !== 200) {
			throw new Error(`${(error as Error).message}; then POST /rest/owner/setup: ${response.status} ${(await response.text()).slice(0, 300)}`);
		}
		await api.login();
		return api;
	}
}

export async function startInstance(version: PreparedVersion, timeoutMs = 180_000): Promise<Instance> {
	const [port, brokerPort] = await freePorts(2);
	const url = `http://127.0.0.1:${port}`;
	const log = join(version.userFolder, 'n8n-start.log');
	const logFd = openSync(log, 'a');
	const n8n = spawn('bash', [join(REPO_ROOT, 'scripts/n8n/n8n.sh'), version.userFolder, 'start'], {
		cwd: REPO_ROOT,
		stdio: ['ignore', logFd, logFd],
		env: n8nEnv({
			...versionEnv(version),
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: await ownerPasswordHash(version, OWNER.password),
		}),
	});
	if (!n8n.pid) throw new Error(`could not start n8n ${version.n8n}`);
	const pid = n8n.pid;
	// If jest dies without the afterAll, do not leave n8n behind.
	process.once('exit', () => {
		if (n8n.exitCode === null && n8n.signalCode === null) n8n.kill('SIGKILL');
	});
	const logTail = () => tail(readFileSync(log, 'utf8'));
	try {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (!alive(pid)) throw new Error(`n8n ${version.n8n} start exited early; last lines of ${log}:\n${logTail()}`);
			const status = await fetch(`${url}/healthz/readiness`).then((r) => r.status, () => 0);
			if (status === 200) break;
			if (Date.now() > deadline) throw new Error(`n8n ${version.n8n} not ready after ${timeoutMs / 1000} s; last lines of ${log}:\n${logTail()}`);
			await sleep(500);
		}
		const api = await login(url);
		return { url, log, api, stop: () => stop(n8n) };
	} catch (error) {
		await stop(n8n);
		throw error;
	}
}

/**
 * Publishes (activates) a workflow and waits until its webhooks are live, whichever way this
 * n8n does it: 2.x `POST /rest/workflows/:id/activate` with the version to publish (and, where
 * n8n has it, `GET …/publication-status` until `published`: an outbox registers the webhooks a
 * moment later); 1.x `PATCH /rest/workflows/:id` with `active: true`, live when it answers.
 */
export async function publish(api: N8nApi, workflowId: string, timeoutMs = 30_000): Promise<'activate' | 'patch'> {
	const workflow = await api.data('GET', `/rest/workflows/${workflowId}`);
	let how: 'activate' | 'patch' = 'activate';
	const activate = await api.request('POST', `/rest/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
	if (activate.status === 404) {
		how = 'patch';
		const patched = await api.data('PATCH', `/rest/workflows/${workflowId}`, { active: true, versionId: workflow.versionId });
		if (!patched.active) throw new Error(`workflow ${workflowId} is not active after PATCH: ${JSON.stringify(patched).slice(0, 300)}`);
		return how;
	}
	if (activate.status !== 200 || !activate.body?.data?.active) {
		throw new Error(`POST /rest/workflows/${workflowId}/activate: ${activate.status} ${activate.text.slice(0, 500)}`);
	}
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = await api.request('GET', `/rest/workflows/${workflowId}/publication-status`);
		if (status.status === 404) return how; // no outbox in this version: active means live
		if (status.status !== 200) throw new Error(`GET publication-status: ${status.status} ${status.text.slice(0, 300)}`);
		const { data } = status.body;
		if (data.status === 'published' && data.liveVersionId === workflow.versionId) return how;
		if (data.status === 'failed' || data.status === 'partial') throw new Error(`publishing ${workflowId}: ${JSON.stringify(data.triggers)}`);
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId} not published after ${timeoutMs / 1000} s: ${JSON.stringify(data)}`);
		await sleep(200);
	}
}
