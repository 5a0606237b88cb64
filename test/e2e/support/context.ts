/** What a test file needs from the run: state, the sandbox, `n8n execute`, the running n8n. */
import { readFileSync } from 'node:fs';

import { execute, N8nApi, sleep, tail, type ExecuteResult } from './n8n';
import { SandboxClient } from './sandbox-client';
import { loadState, type E2eState } from './state';

export interface E2e {
	state: E2eState;
	sandbox: SandboxClient;
	execute: (workflowId: string) => Promise<ExecuteResult>;
	/** The running `n8n start`, logged in as the owner; waits until it is ready. */
	n8n: () => Promise<N8nApi>;
}

/** Whether a process still runs (signal 0 only checks). */
export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export async function waitForN8n(state: E2eState, timeoutMs = 180_000): Promise<N8nApi> {
	const api = new N8nApi(state.n8n.url, state.n8n.owner);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!alive(state.n8n.pid)) {
			throw new Error(`n8n start exited early; last lines of ${state.n8n.log}:\n${tail(readFileSync(state.n8n.log, 'utf8'))}`);
		}
		try {
			const response = await fetch(`${state.n8n.url}/healthz/readiness`);
			if (response.status === 200) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			throw new Error(`n8n start not ready after ${timeoutMs / 1000} s; last lines of ${state.n8n.log}:\n${tail(readFileSync(state.n8n.log, 'utf8'))}`);
		}
		await sleep(500);
	}
	await api.login();
	return api;
}

export function e2eContext(): E2e {
	const state = loadState();
	let api: Promise<N8nApi> | undefined;
	return {
		state,
		sandbox: new SandboxClient(state.sandbox.url),
		execute: (workflowId) => execute(state.userFolder, workflowId),
		n8n: () => (api ??= waitForN8n(state)),
	};
}
