/**
 * The real n8n (scripts/n8n): its CLI (`n8n import:*`, `execute.sh`) and, while `n8n start`
 * runs, its REST API and webhooks.
 */
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { REPO_ROOT } from './state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A value from scripts/n8n/env.sh, e.g. `$KOMOJU_N8N_HOME` (where Node 24 and n8n are installed). */
export async function n8nEnvValue(expression: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const child = spawn('bash', ['-c', `source "${join(REPO_ROOT, 'scripts/n8n/env.sh')}" && printf %s "${expression}"`]);
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error('sourcing scripts/n8n/env.sh failed'))));
	});
}

/** bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, with the bcryptjs of the n8n installed in `n8nHome` (the pinned one unless given). */
export async function ownerPasswordHash(password: string, n8nHome?: string): Promise<string> {
	const requireFromN8n = createRequire(join(n8nHome ?? (await n8nEnvValue('$KOMOJU_N8N_HOME')), 'node_modules', 'n8n', 'package.json'));
	const bcrypt = requireFromN8n('bcryptjs') as { hashSync: (password: string, rounds: number) => string };
	return bcrypt.hashSync(password, 10);
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
	seconds: number;
}

/**
 * The environment for n8n processes: jest's, without NODE_ENV=test, which jest sets and which
 * makes n8n use an in-memory SQLite database (every CLI call would start from an empty one).
 */
export function n8nEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
	if (env.NODE_ENV === 'test') delete env.NODE_ENV;
	return env;
}

/** Runs one of scripts/n8n/*.sh; never rejects (the exit code is in the result). */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
	const started = Date.now();
	return new Promise((resolve) => {
		execFile(
			'bash',
			[join(REPO_ROOT, 'scripts', 'n8n', script), ...args],
			{ cwd: REPO_ROOT, env: n8nEnv(env), maxBuffer: 256 * 1024 * 1024 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
			},
		);
	});
}

/** `n8n <command>` in the run's user folder; throws with n8n's output when it fails. */
export async function n8nCli(userFolder: string, args: string[]): Promise<CliResult> {
	const result = await runScript('n8n.sh', [userFolder, ...args]);
	if (result.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${tail(result.stdout + result.stderr)}`);
	}
	return result;
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** One node's output items in a run: runData[node][run].data.main[output]. */
export interface Item {
	json: Json;
	/** n8n's binary data of the item: where it is stored (`id`) and what it is, not its bytes. */
	binary?: Record<string, { id?: string; data?: string; fileName?: string; mimeType?: string; fileExtension?: string; fileSize?: string }>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number }>;
	error?: Json;
}

export interface Run {
	status: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Item[] | null> }; error?: Json; executionStatus?: string }>>;
			error?: Json;
			lastNodeExecuted?: string;
		};
	};
}

export function nodeOutput(run: Run, node: string, output = 0, runIndex = 0): Item[] {
	const task = run.data.resultData.runData[node]?.[runIndex];
	if (!task) throw new Error(`node "${node}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	return task.data?.main[output] ?? [];
}

export function ranNodes(run: Run): string[] {
	return Object.keys(run.data.resultData.runData);
}

export interface ExecuteResult {
	run: Run;
	/** execute.sh's exit code: 0 success, 1 failed run (n8n's own exit code can be a segfault). */
	code: number;
	seconds: number;
	logs: string;
}

/**
 * `n8n execute --id=<id>` through scripts/n8n/execute.sh. The run JSON decides, not n8n's exit
 * code (n8n 2.40.7 sometimes segfaults after printing a successful run).
 */
export async function execute(userFolder: string, workflowId: string): Promise<ExecuteResult> {
	const result = await runScript('execute.sh', [userFolder, workflowId]);
	const line = result.stdout.trim().split('\n').pop() ?? '';
	if (result.code === 2 || !line.startsWith('{')) {
		throw new Error(`n8n execute --id=${workflowId} printed no run (exit ${result.code}):\n${tail(result.stderr)}`);
	}
	return { run: JSON.parse(line) as Run, code: result.code, seconds: result.seconds, logs: result.stderr };
}

/**
 * Reads n8n's execution data as the REST API sends it: `flatted` JSON, where the first entry is
 * the root and every string inside an object or array is the index of another entry.
 */
export function parseFlatted(text: string): Json {
	const table = JSON.parse(text) as unknown[];
	const revived = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (revived.has(index)) return revived.get(index);
		const entry = table[index];
		if (entry === null || typeof entry !== 'object') {
			revived.set(index, entry);
			return entry;
		}
		const copy: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		revived.set(index, copy);
		for (const [key, value] of Object.entries(entry)) {
			(copy as Record<string, unknown>)[key] = typeof value === 'string' ? revive(Number(value)) : value;
		}
		return copy;
	};
	return revive(0);
}

export interface Execution {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	workflowId: string;
	data: Run['data'];
}

/** A logged-in owner's view of a running `n8n start`. */
export class N8nApi {
	private cookie = '';

	constructor(
		readonly baseUrl: string,
		private readonly owner: { email: string; password: string },
	) {}

	async login(): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
		});
		const setCookie = response.headers.get('set-cookie') ?? '';
		const match = /n8n-auth=([^;]+)/.exec(setCookie);
		if (response.status !== 200 || !match) {
			throw new Error(`login as ${this.owner.email}: ${response.status} ${await response.text()}`);
		}
		this.cookie = `n8n-auth=${match[1]}`;
	}

	async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				Cookie: this.cookie,
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: Json = undefined;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = undefined;
		}
		return { status: response.status, body: parsed, text };
	}

	/** `{ data }` of a 200 answer; throws otherwise. */
	async data(method: string, path: string, body?: unknown): Promise<Json> {
		const response = await this.request(method, path, body);
		if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${response.text.slice(0, 500)}`);
		return response.body.data;
	}

	/**
	 * Publishes the workflow's current version, as the editor's Publish button does, and waits
	 * until its triggers are live: in 2.40.7 /activate only queues the publication (an outbox
	 * worker registers the webhooks a moment later), so a webhook call right after it can 404.
	 */
	async publish(workflowId: string, timeoutMs = 30_000): Promise<void> {
		const workflow = await this.data('GET', `/rest/workflows/${workflowId}`);
		if (workflow.activeVersionId !== workflow.versionId) {
			const published = await this.data('POST', `/rest/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
			if (!published.active) throw new Error(`workflow ${workflowId} is not active after publishing`);
		}
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const status = await this.data('GET', `/rest/workflows/${workflowId}/publication-status`);
			if (status.status === 'published' && status.liveVersionId === workflow.versionId) return;
			if (status.status === 'failed' || status.status === 'partial') {
				throw new Error(`publishing ${workflowId}: ${JSON.stringify(status.triggers)}`);
			}
			if (Date.now() > deadline) throw new Error(`workflow ${workflowId} not published after ${timeoutMs / 1000} s: ${JSON.stringify(status)}`);
			await sleep(200);
		}
	}

	async execution(id: string): Promise<Execution> {
		const execution = await this.data('GET', `/rest/executions/${id}`);
		return { ...execution, data: parseFlatted(execution.data) };
	}

	/** Polls an execution until it has finished (success, error, …), not waiting or running. */
	async finishedExecution(id: string, timeoutMs = 30_000): Promise<Execution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.execution(id);
			if (!['new', 'running', 'waiting'].includes(execution.status)) return execution;
			if (Date.now() > deadline) throw new Error(`execution ${id} still ${execution.status} after ${timeoutMs / 1000} s`);
			await sleep(250);
		}
	}

	/** Polls an execution's status until it is `wanted` (or the time is up); returns the last status. */
	async executionStatusWithin(id: string, wanted: string, timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const { status } = await this.data('GET', `/rest/executions/${id}`);
			if (status === wanted || Date.now() > deadline) return status;
			await sleep(100);
		}
	}

	/** A binary file of an execution, as the editor downloads it (`GET /rest/binary-data`). */
	async binaryData(id: string): Promise<Buffer> {
		const response = await fetch(`${this.baseUrl}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`, { headers: { Cookie: this.cookie } });
		if (response.status !== 200) throw new Error(`GET /rest/binary-data?id=${id}: ${response.status} ${await response.text()}`);
		return Buffer.from(await response.arrayBuffer());
	}

	/** Ids of a workflow's executions, newest first. */
	async executionIds(workflowId: string): Promise<string[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.data('GET', `/rest/executions?filter=${filter}`);
		// A running execution can be listed twice (as running and as stored): each id once.
		return [...new Set((data.results as Array<{ id: string }>).map((execution) => execution.id))];
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
