/**
 * One version's `n8n start` for the smoke: its own user folder (prepared by global-setup.ts),
 * its own free ports, logged in as the owner. What differs between n8n versions is handled here,
 * each difference found by asking that n8n (never by comparing version numbers).
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { alive } from '../e2e/support/context';
import { N8nApi, n8nEnv, n8nEnvValue, ownerPasswordHash, sleep, tail } from '../e2e/support/n8n';
import { freePorts, stopN8n } from '../e2e/support/processes';
import { REPO_ROOT } from '../e2e/support/state';
import type { PreparedVersion } from './state';
import { versionEnv } from './versions';

const OWNER = { email: 'owner@komoju-compat.test', password: 'Compat-owner-Passw0rd', firstName: 'Compat', lastName: 'Owner' };

export interface Instance {
	url: string;
	log: string;
	api: N8nApi;
	stop: () => Promise<void>;
}

/**
 * Logs in as the owner. n8n 2.40.7 creates the owner from N8N_INSTANCE_OWNER_* at start; an n8n
 * without that (2.0.3, 1.123) answers the login 401 and has its owner set up the way its first
 * screen does it, `POST /rest/owner/setup`.
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

/** `extraEnv` is added to n8n's environment (test/install: a proxy for registry.npmjs.org); undefined removes a variable. */
export async function startInstance(version: PreparedVersion, timeoutMs = 180_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<Instance> {
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
			N8N_INSTANCE_OWNER_PASSWORD_HASH: await ownerPasswordHash(OWNER.password, join(await n8nEnvValue('$KOMOJU_N8N_CACHE'), `n8n-${version.n8n}`)),
			...extraEnv,
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
			// n8n 2.0.3 answers readiness 200 a moment before its REST API is mounted (404 until then).
			const ready = await fetch(`${url}/healthz/readiness`).then((r) => r.status, () => 0);
			const rest = ready === 200 ? await fetch(`${url}/rest/settings`).then((r) => r.status, () => 0) : 0;
			if (rest === 200) break;
			if (Date.now() > deadline) throw new Error(`n8n ${version.n8n} not ready after ${timeoutMs / 1000} s; last lines of ${log}:\n${logTail()}`);
			await sleep(500);
		}
		const api = await login(url);
		return { url, log, api, stop: () => stopN8n(n8n) };
	} catch (error) {
		await stopN8n(n8n);
		throw error;
	}
}

/**
 * Publishes (activates) a workflow as the editor does, `POST /rest/workflows/:id/activate` with
 * the version to publish (1.123 and 2.x all have it), and waits until its webhooks are live:
 * where n8n has `GET …/publication-status` (an outbox registers the webhooks a moment after the
 * answer, 2.40.7) until `published`; without it (2.0.3, 1.123) the answer means live.
 */
export async function publish(api: N8nApi, workflowId: string, timeoutMs = 30_000): Promise<void> {
	const workflow = await api.data('GET', `/rest/workflows/${workflowId}`);
	let versionId = workflow.versionId as string;
	const activate = (id: string) => api.request('POST', `/rest/workflows/${workflowId}/activate`, { versionId: id });
	let answer = await activate(versionId);
	if (answer.status === 404 && answer.body?.message === 'Version not found') {
		// n8n 2.0.3 publishes only versions in the workflow's history, and its import:workflow
		// writes none. Save the workflow once as the editor does after a change (its first node
		// moved by 20 px), which records a version, and publish that one.
		const nodes = (workflow.nodes as Array<{ position: [number, number] }>).map((node, index) =>
			index === 0 ? { ...node, position: [node.position[0], node.position[1] + 20] } : node,
		);
		const saved = await api.data('PATCH', `/rest/workflows/${workflowId}`, { versionId, nodes });
		versionId = saved.versionId;
		answer = await activate(versionId);
	}
	if (answer.status !== 200 || !answer.body?.data?.active) {
		throw new Error(`POST /rest/workflows/${workflowId}/activate: ${answer.status} ${answer.text.slice(0, 500)}`);
	}
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = await api.request('GET', `/rest/workflows/${workflowId}/publication-status`);
		if (status.status === 404 && !status.body) return; // Express's "Cannot GET": no such route here
		if (status.status !== 200) throw new Error(`GET publication-status: ${status.status} ${status.text.slice(0, 300)}`);
		const { data } = status.body;
		if (data.status === 'published' && data.liveVersionId === versionId) return;
		if (data.status === 'failed' || data.status === 'partial') throw new Error(`publishing ${workflowId}: ${JSON.stringify(data.triggers)}`);
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId} not published after ${timeoutMs / 1000} s: ${JSON.stringify(data)}`);
		await sleep(200);
	}
}
