/**
 * `npm run bench`: the three benchmarks of issue 6 inside a real n8n 2.40.7 (`n8n start`, the
 * built package installed as n8n installs it) against the KOMOJU sandbox, in one run.
 *
 *   node bench/bench.js [--items 1000] [--big 10000] [--scenarios 1,2,3] [--no-restart] [--out bench/results.md]
 *
 * What is timed: the node under test's own `executionTime` from the execution's runData (read
 * over n8n's REST API), so n8n's start, the webhook, Split Out and saving the execution are not
 * counted. The webhook's wall time is printed next to it. Memory: VmRSS of the n8n process
 * (/proc/<pid>/status) sampled every 20 ms during the run, minus the idle VmRSS before it; CPU:
 * utime+stime of the n8n process during the run.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sleep, type N8nApi } from '../test/e2e/support/n8n';
import { REPO_ROOT } from '../test/e2e/support/state';
import { CARDS, FUTURE_YEAR, SECRET_KEY } from '../test/e2e/support/sandbox-client';
import { readMemory, sampleMemory } from './lib/memory';
import { buildPackage } from './lib/build';
import { prepareUserFolder, shellValue, startN8n, type N8nInstance } from './lib/n8n-instance';
import { API_VERSION, benchCredentials, benchWorkflows, CONCURRENCIES, TARGET, WF } from './lib/workflows';
import { renderResults, type Results } from './lib/report';
import type { CreateCount, NodeRun, RawRun } from './lib/types';
import { writeSection } from './lib/results-file';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('../sandbox/server');

function arg(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}
const ITEMS = Number(arg('items', '1000'));
const BIG = Number(arg('big', '10000'));
const SCENARIOS = arg('scenarios', '1,2,3').split(',').map(Number);
const RESTART = !process.argv.includes('--no-restart');
const OUT = arg('out', join(REPO_ROOT, 'bench', 'results.md'));
const RATE = Number(arg('rate', '100'));
const LATENCY = Number(arg('latency', '50'));
/** A package folder built elsewhere (e.g. a patched copy) instead of this checkout's sources. */
const PACKAGE_DIR = arg('package-dir', '');
/** Which scenario 3 rows to run: defaults (KOMOJU, concurrency 5), c20 (KOMOJU, 20), http. */
const S3_VARIANTS = arg('s3', 'defaults,c20,http').split(',');
/** Which scenario 2 rows to run: komoju, http, http-retry. */
const S2_VARIANTS = arg('s2', 'komoju,http,http-retry').split(',');
/** e.g. BENCH_N8N_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile n8n itself. */
const N8N_EXTRA_ENV: NodeJS.ProcessEnv = process.env.BENCH_N8N_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_N8N_NODE_OPTIONS } : {};

const log = (line: string) => process.stdout.write(`${line}\n`);

function cpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** 1-minute load averages seen at the start and end of each timed run (the machine is shared). */
export const loads: number[] = [];

async function runPipeline(n8n: N8nInstance, workflowId: string, label: string, items: unknown[]): Promise<NodeRun> {
	loads.push(loadavg()[0]);
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
	loads.push(loadavg()[0]);
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
	};
	log(
		`  ${label.padEnd(34)} node ${(run.nodeMs / 1000).toFixed(2)} s (${((run.items / run.nodeMs) * 1000).toFixed(0)} items/s), ` +
			`wall ${(wallMs / 1000).toFixed(2)} s, ${run.status}, out ${run.outputItems} (errors ${run.errorItems})` +
			`${run.nodeError ? `, node error: ${run.nodeError.slice(0, 80)}` : ''}, RSS ${idle.rssMb.toFixed(0)} → peak ${memory.peakRssMb.toFixed(0)} MB, CPU ${cpu} ms`,
	);
	return run;
}

async function runRaw(nodeBinary: string, sandboxUrl: string, concurrency: number, requests: unknown[], label: string): Promise<RawRun> {
	const dir = mkdtempSync(join(tmpdir(), 'komoju-raw-'));
	const file = join(dir, 'config.json');
	writeFileSync(file, JSON.stringify({ baseUrl: sandboxUrl, secretKey: SECRET_KEY, apiVersion: API_VERSION, concurrency, requests }));
	const out = await new Promise<string>((resolve, reject) => {
		const child = spawn(nodeBinary, [join(REPO_ROOT, 'bench', 'raw-http.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
		let text = '';
		child.stdout.on('data', (chunk) => (text += chunk));
		child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`raw-http.mjs exited with ${code}`))));
	});
	const result = JSON.parse(out.trim()) as { ms: number; statuses: Record<string, number>; errors: number };
	const run = { label, concurrency, items: requests.length, ...result };
	log(`  ${label.padEnd(34)} ${(run.ms / 1000).toFixed(2)} s (${((run.items / run.ms) * 1000).toFixed(0)} items/s), statuses ${JSON.stringify(run.statuses)}, errors ${run.errors}`);
	return run;
}

async function createTokensDirectly(sandboxUrl: string, count: number): Promise<string[]> {
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
function countCreates(sandbox: any, run: string, items: number, label: string): CreateCount {
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

async function publishAll(api: N8nApi, ids: string[]): Promise<void> {
	for (const id of ids) await api.publish(id, 60_000);
}

async function main(): Promise<void> {
	const startedAt = new Date();
	const deadline = setTimeout(() => {
		log('bench: global deadline (60 min) passed; exiting');
		process.exit(3);
	}, 60 * 60_000);
	deadline.unref();

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
		date: startedAt.toISOString(),
	};
	log(`bench: ${JSON.stringify(machine)}; items ${ITEMS}, big ${BIG}, scenarios ${SCENARIOS.join(',')}`);

	const sandbox = await startSandbox({ latencyMs: 0 });
	const ids = await createTokensDirectly(sandbox.url, ITEMS);
	log(`bench: sandbox ${sandbox.url}, ${ids.length} secure tokens created directly`);

	const workflows = benchWorkflows(sandbox.url);
	const packageDir = PACKAGE_DIR || buildPackage();
	const { runDir, userFolder } = await prepareUserFolder(benchCredentials(sandbox.url, SECRET_KEY), workflows, packageDir);
	const publishIds = workflows.map((w) => w.id);

	let n8n = await startN8n(runDir, userFolder, 'main', N8N_EXTRA_ENV);
	await publishAll(n8n.api, publishIds);
	log(`bench: n8n ${n8nVersion} ready in ${n8n.startSeconds.toFixed(1)} s (pid ${n8n.pid}); user folder ${userFolder}`);
	await sleep(3000);
	const idleAtStart = readMemory(n8n.pid);
	log(`bench: n8n idle footprint ${idleAtStart.rssMb.toFixed(0)} MB RSS (VmHWM ${idleAtStart.hwmMb.toFixed(0)} MB)`);

	const results: Results = { machine, itemsS1: ITEMS, itemsS3: BIG, rate: RATE, latencyMs: LATENCY, idleAtStartMb: idleAtStart.rssMb, n8nStartSeconds: n8n.startSeconds };
	const getItems = (count: number) => Array.from({ length: count }, (_, i) => ({ id: ids[i % ids.length], i }));
	const getRequests = (count: number) => Array.from({ length: count }, (_, i) => ({ method: 'GET', path: `/secure_tokens/${ids[i % ids.length]}` }));

	try {
		if (SCENARIOS.includes(1)) {
			log(`\nScenario 1: latency ${LATENCY} ms, ${ITEMS} × Secure Token Get`);
			sandbox.configure({ latencyMs: LATENCY, rateLimitPerSecond: 0 });
			// One untimed warm-up, so the first timed run does not pay for n8n's lazy loading.
			await runPipeline(n8n, WF.get(20), 'warm-up (KOMOJU c=20, 50 items)', getItems(50));
			results.s1 = { komoju: [], raw: [] };
			for (const c of CONCURRENCIES) results.s1.komoju.push(await runPipeline(n8n, WF.get(c), `KOMOJU Get, concurrency ${c}`, getItems(ITEMS)));
			results.s1.http = await runPipeline(n8n, WF.getHttp, 'HTTP Request 4.2 (defaults)', getItems(ITEMS));
			for (const c of CONCURRENCIES) results.s1.raw.push(await runRaw(nodeBinary, sandbox.url, c, getRequests(ITEMS), `raw node:http, concurrency ${c}`));
			results.s1.rawUnbounded = await runRaw(nodeBinary, sandbox.url, ITEMS, getRequests(ITEMS), `raw node:http, concurrency ${ITEMS}`);
		}

		if (SCENARIOS.includes(2)) {
			log(`\nScenario 2: rate limit ${RATE}/s, ${ITEMS} × Secure Token Create (card ${CARDS.regular})`);
			sandbox.configure({ latencyMs: 0, rateLimitPerSecond: RATE });
			results.s2 = [];
			const all: Record<string, [string, string, string]> = {
				komoju: [WF.createKomoju, 's2-komoju', 'KOMOJU Create (defaults)'],
				http: [WF.createHttp, 's2-http', 'HTTP Request 4.2 (defaults)'],
				'http-retry': [WF.createHttpRetry, 's2-http-retry', 'HTTP Request 4.2 + Retry On Fail'],
			};
			const variants = S2_VARIANTS.map((name) => all[name]);
			for (const [workflowId, run, label] of variants) {
				await sleep(2500); // let the rolling rate window empty
				sandbox.clearRequests();
				const items = Array.from({ length: ITEMS }, (_, i) => ({ i, run }));
				const nodeRun = await runPipeline(n8n, workflowId, label, items);
				await sleep(500);
				results.s2.push({ run: nodeRun, count: countCreates(sandbox, run, ITEMS, label) });
			}
			sandbox.configure({ latencyMs: 0, rateLimitPerSecond: 0 });
		}

		if (SCENARIOS.includes(3)) {
			log(`\nScenario 3: ${BIG} × Secure Token Get at zero latency${RESTART ? ' (a fresh n8n for each run)' : ''}`);
			sandbox.configure({ latencyMs: 0, rateLimitPerSecond: 0 });
			results.s3 = { runs: [], raw: [] };
			const all: Record<string, [string, string]> = {
				defaults: [WF.getDefaults, 'KOMOJU Get (defaults: concurrency 5)'],
				c20: [WF.get(20), 'KOMOJU Get, concurrency 20'],
				http: [WF.getHttp, 'HTTP Request 4.2 (defaults)'],
			};
			const variants = S3_VARIANTS.map((name) => all[name]);
			for (const [workflowId, label] of variants) {
				if (RESTART) {
					await n8n.stop();
					n8n = await startN8n(runDir, userFolder, workflowId, N8N_EXTRA_ENV);
					await sleep(3000);
					// A small warm-up so lazy loading is not counted as the run's memory.
					await runPipeline(n8n, workflowId, `warm-up (${label}, 20 items)`, getItems(20));
					await sleep(2000);
				}
				results.s3.runs.push(await runPipeline(n8n, workflowId, label, getItems(BIG)));
			}
			results.s3.raw.push(await runRaw(nodeBinary, sandbox.url, 5, getRequests(BIG), 'raw node:http, concurrency 5'));
			results.s3.raw.push(await runRaw(nodeBinary, sandbox.url, 20, getRequests(BIG), 'raw node:http, concurrency 20'));
		}
	} finally {
		await n8n.stop();
		await sandbox.close();
	}

	results.loads = loads;
	const markdown = renderResults(results);
	log(`\n${markdown}`);
	if (OUT !== '-') {
		writeSection(OUT, `bench-${SCENARIOS.join('')}`, markdown);
		log(`bench: written to ${OUT}`);
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
		process.exit(1);
	},
);
