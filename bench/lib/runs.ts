/**
 * One measured run each: a workflow in n8n (the node's executionTime, memory, CPU), the raw-HTTP
 * floor, the sandbox fixtures and counts. Shared by the plain benchmark and the A/B mode.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import type { N8nApi } from '../../test/e2e/support/n8n';
import { REPO_ROOT } from '../../test/e2e/support/state';
import { CARDS, FUTURE_YEAR, SECRET_KEY } from '../../test/e2e/support/sandbox-client';
import { readMemory, sampleMemory } from './memory';
import { shellValue, type N8nInstance } from './n8n-instance';
import type { Machine } from './report';
import type { CreateCount, NodeRun, RawRun } from './types';
import { API_VERSION, TARGET } from './workflows';

export const log = (line: string) => process.stdout.write(`${line}\n`);

export function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The machine and versions, for the report's first line; also the Node binary n8n runs on. */
export async function describeMachine(): Promise<{ machine: Machine; nodeBinary: string }> {
	const nodeBinary = await shellValue('$N8N_NODE');
	const n8nVersion = (await shellValue('$KOMOJU_N8N_VERSION')) || '?';
	const nodeVersion = (await new Promise<string>((resolve) => {
		const child = spawn(nodeBinary, ['--version']);
		let out = '';
		child.stdout.on('data', (c) => (out += c));
		child.on('exit', () => resolve(out.trim()));
	})) || '?';
	const machine = {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model ?? '?',
		ramGb: Math.round(totalmem() / 1024 ** 3),
		node: nodeVersion,
		n8n: n8nVersion,
		date: new Date().toISOString(),
	};
	return { machine, nodeBinary };
}

/** Input items for the Get workflows and the same requests for raw-http.mjs. */
export const getItems = (ids: string[], count: number) => Array.from({ length: count }, (_, i) => ({ id: ids[i % ids.length], i }));
export const getRequests = (ids: string[], count: number) => Array.from({ length: count }, (_, i) => ({ method: 'GET', path: `/secure_tokens/${ids[i % ids.length]}` }));

export async function runPipeline(n8n: N8nInstance, workflowId: string, label: string, items: unknown[]): Promise<NodeRun> {
	const loadStart = loadavg()[0];
	const idle = readMemory(n8n.pid);
	const cpuBefore = cpuMs(n8n.pid);
	const sampler = sampleMemory(n8n.pid);
	const started = performance.now();
	const response = await fetch(`${n8n.url}/webhook/bench-${workflowId}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	await response.text();
	const wallMs = performance.now() - started;
	const loadEnd = loadavg()[0];
	const memory = sampler.stop();
	const cpu = cpuMs(n8n.pid) - cpuBefore;
	const [executionId] = await n8n.api.executionIds(workflowId);
	const execution = await n8n.api.finishedExecution(executionId, 600_000);
	const task = execution.data.resultData.runData[TARGET]?.[0];
	if (!task) throw new Error(`${label}: the node did not run (execution ${executionId}, ${execution.status})`);
	const output = task.data?.main?.[0] ?? [];
	const run: NodeRun = {
		label,
		items: items.length,
		nodeMs: Number((task as { executionTime?: number }).executionTime),
		wallMs,
		status: execution.status,
		outputItems: output.length,
		errorItems: output.filter((item) => item.json?.error !== undefined).length,
		nodeError: task.error ? String(task.error.message ?? task.error) : undefined,
		idleRssMb: idle.rssMb,
		peakRssMb: memory.peakRssMb,
		hwmBeforeMb: idle.hwmMb,
		hwmAfterMb: memory.hwmMb,
		cpuMs: cpu,
		loads: [loadStart, loadEnd],
	};
	log(
		`  ${label.padEnd(34)} node ${(run.nodeMs / 1000).toFixed(2)} s (${((run.items / run.nodeMs) * 1000).toFixed(0)} items/s), ` +
			`wall ${(wallMs / 1000).toFixed(2)} s, ${run.status}, out ${run.outputItems} (errors ${run.errorItems})` +
			`${run.nodeError ? `, node error: ${run.nodeError.slice(0, 80)}` : ''}, RSS ${idle.rssMb.toFixed(0)} → peak ${memory.peakRssMb.toFixed(0)} MB, CPU ${cpu} ms`,
	);
	return run;
}

export async function runRaw(nodeBinary: string, sandboxUrl: string, concurrency: number, requests: unknown[], label: string): Promise<RawRun> {
	const dir = mkdtempSync(join(tmpdir(), 'komoju-raw-'));
	const file = join(dir, 'config.json');
	writeFileSync(file, JSON.stringify({ baseUrl: sandboxUrl, secretKey: SECRET_KEY, apiVersion: API_VERSION, concurrency, requests }));
	const out = await new Promise<string>((resolve, reject) => {
		const child = spawn(nodeBinary, [join(REPO_ROOT, 'bench', 'raw-http.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
		let text = '';
		child.stdout.on('data', (chunk) => (text += chunk));
		child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`raw-http.mjs exited with ${code}`))));
	}).finally(() => rmSync(dir, { recursive: true, force: true })); // the A/B mode runs it many times
	const result = JSON.parse(out.trim()) as { ms: number; statuses: Record<string, number>; errors: number };
	const run = { label, concurrency, items: requests.length, ...result };
	log(`  ${label.padEnd(34)} ${(run.ms / 1000).toFixed(2)} s (${((run.items / run.ms) * 1000).toFixed(0)} items/s), statuses ${JSON.stringify(run.statuses)}, errors ${run.errors}`);
	return run;
}

export async function createTokensDirectly(sandboxUrl: string, count: number): Promise<string[]> {
	const ids: string[] = new Array(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			const response = await fetch(`${sandboxUrl}/api/v1/secure_tokens`, {
				method: 'POST',
				headers: {
					Authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}`,
					'X-KOMOJU-API-VERSION': API_VERSION,
					'Content-Type': 'application/json',
				},
				body: JSON.stringify({
					amount: 1000,
					currency: 'JPY',
					return_url: `https://shop.example.com/return?run=fixture&item=${index}`,
					payment_details: { type: 'credit_card', number: CARDS.regular, month: 12, year: FUTURE_YEAR, verification_value: '123' },
				}),
			});
			const body = (await response.json()) as { id: string };
			if (response.status !== 200) throw new Error(`creating fixture token: ${response.status} ${JSON.stringify(body)}`);
			ids[index] = body.id;
		}
	};
	await Promise.all(Array.from({ length: 20 }, worker));
	return ids;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function countCreates(sandbox: any, run: string, items: number, label: string): CreateCount {
	const perItem = new Array<number>(items).fill(0);
	for (const token of sandbox.secureTokens() as Array<{ returnUrl: string }>) {
		const url = new URL(token.returnUrl);
		if (url.searchParams.get('run') !== run) continue;
		perItem[Number(url.searchParams.get('item'))]++;
	}
	const statuses: Record<string, number> = {};
	let requests = 0;
	for (const request of sandbox.requests as Array<{ kind: string; method: string; path: string; status: number | null }>) {
		if (request.kind !== 'api' || request.method !== 'POST' || request.path !== '/api/v1/secure_tokens') continue;
		requests++;
		const key = String(request.status ?? 'none');
		statuses[key] = (statuses[key] ?? 0) + 1;
	}
	const count = {
		label,
		requests,
		statuses,
		itemsWithToken: perItem.filter((n) => n > 0).length,
		itemsWithoutToken: perItem.filter((n) => n === 0).length,
		duplicates: perItem.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
		maxTokensPerItem: Math.max(...perItem),
	};
	log(`  ${label.padEnd(34)} ${JSON.stringify(count)}`);
	return count;
}

export async function publishAll(api: N8nApi, ids: string[]): Promise<void> {
	for (const id of ids) await api.publish(id, 60_000);
}
