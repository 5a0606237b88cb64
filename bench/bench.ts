/**
 * `npm run bench`: the three benchmarks of issue 6 inside a real n8n 2.40.7 (`n8n start`, the
 * built package installed as n8n installs it) against the KOMOJU sandbox, in one run.
 *
 *   node bench/bench.js [--items 1000] [--big 10000] [--scenarios 1,2,3] [--no-restart] [--out bench/results.md]
 *   node bench/bench.js --compare <package dir> | --compare-rev <git rev> [--rounds 3] [other options]   (A/B mode, lib/compare.ts)
 *
 * What is timed: the node under test's own `executionTime` from the execution's runData (read
 * over n8n's REST API), so n8n's start, the webhook, Split Out and saving the execution are not
 * counted. The webhook's wall time is printed next to it. Memory: VmRSS of the n8n process
 * (/proc/<pid>/status) sampled every 20 ms during the run, minus the idle VmRSS before it; CPU:
 * utime+stime of the n8n process during the run.
 */
import { sleep } from '../test/e2e/support/n8n';
import { CARDS, SECRET_KEY } from '../test/e2e/support/sandbox-client';
import { readMemory } from './lib/memory';
import { buildPackage } from './lib/build';
import { runCompare } from './lib/compare';
import { readOptions } from './lib/options';
import { prepareUserFolder, startN8n } from './lib/n8n-instance';
import { benchCredentials, benchWorkflows, CONCURRENCIES, pickRows, S2_ROWS, S3_ROWS, WF } from './lib/workflows';
import { renderResults, type Results } from './lib/report';
import { writeSection } from './lib/results-file';
import { countCreates, createTokensDirectly, describeMachine, getItems as itemsFor, getRequests as requestsFor, log, publishAll, runPipeline as timedRun, runRaw } from './lib/runs';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('../sandbox/server');

const options = readOptions();
const { items: ITEMS, big: BIG, scenarios: SCENARIOS, restart: RESTART, out: OUT, rate: RATE, latency: LATENCY } = options;
const N8N_EXTRA_ENV = options.n8nExtraEnv;

/** 1-minute load averages seen at the start and end of each timed run (the machine is shared). */
const loads: number[] = [];
const runPipeline = async (...args: Parameters<typeof timedRun>) => {
	const run = await timedRun(...args);
	loads.push(...run.loads);
	return run;
};

async function main(): Promise<void> {
	const compare = Boolean(options.compareDir || options.compareRev);
	// The A/B mode runs everything twice per round.
	const deadlineMinutes = compare ? 60 * 2 * options.rounds : 60;
	const deadline = setTimeout(() => {
		log(`bench: global deadline (${deadlineMinutes} min) passed; exiting`);
		process.exit(3);
	}, deadlineMinutes * 60_000);
	deadline.unref();
	await (compare ? runCompare(options) : runBenchmark());
}

async function runBenchmark(): Promise<void> {
	const { machine, nodeBinary } = await describeMachine();
	log(`bench: ${JSON.stringify(machine)}; items ${ITEMS}, big ${BIG}, scenarios ${SCENARIOS.join(',')}`);

	const sandbox = await startSandbox({ latencyMs: 0 });
	const ids = await createTokensDirectly(sandbox.url, ITEMS);
	log(`bench: sandbox ${sandbox.url}, ${ids.length} secure tokens created directly`);

	const workflows = benchWorkflows(sandbox.url, ids[0]);
	const packageDir = options.packageDir || buildPackage();
	const { runDir, userFolder } = await prepareUserFolder(benchCredentials(sandbox.url, SECRET_KEY), workflows, packageDir);
	const publishIds = workflows.map((w) => w.id);

	let n8n = await startN8n(runDir, userFolder, 'main', N8N_EXTRA_ENV);
	await publishAll(n8n.api, publishIds);
	log(`bench: n8n ${machine.n8n} ready in ${n8n.startSeconds.toFixed(1)} s (pid ${n8n.pid}); user folder ${userFolder}`);
	await sleep(3000);
	const idleAtStart = readMemory(n8n.pid);
	log(`bench: n8n idle footprint ${idleAtStart.rssMb.toFixed(0)} MB RSS (VmHWM ${idleAtStart.hwmMb.toFixed(0)} MB)`);

	const results: Results = { machine, itemsS1: ITEMS, itemsS3: BIG, rate: RATE, latencyMs: LATENCY, idleAtStartMb: idleAtStart.rssMb, n8nStartSeconds: n8n.startSeconds };
	const getItems = (count: number) => itemsFor(ids, count);
	const getRequests = (count: number) => requestsFor(ids, count);

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
			for (const { workflowId, name, label } of pickRows(S2_ROWS, options.s2, '--s2')) {
				const run = `s2-${name}`;
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
			for (const { workflowId, label } of pickRows(S3_ROWS, options.s3, '--s3')) {
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
