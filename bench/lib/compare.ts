/**
 * The A/B mode (`--compare <package dir>` or `--compare-rev <git rev>`): the baseline build "A"
 * and this checkout's build "B", each installed into its own n8n user folder, run interleaved —
 * in every round each row runs on A and on B back to back, then raw HTTP — so that a change in
 * the machine's load hits both builds alike.
 *
 * Both n8n instances are started once and stay up, but only one is sent work at a time. Running
 * both at once would make them compete for the 2 cores; restarting n8n for every run would cost
 * ≈ 15 s each and time a cold process (lazy loading, JIT). An idle n8n uses little CPU, and it
 * is symmetric (B idles while A runs and back); the report prints what the idle one used.
 */
import { resolve } from 'node:path';

import { sleep } from '../../test/e2e/support/n8n';
import { SECRET_KEY } from '../../test/e2e/support/sandbox-client';
import { buildPackage } from './build';
import { buildRevision, describeCheckout } from './builds';
import { rawKey, renderComparison, type BuildName, type CompareRow, type Sample } from './compare-report';
import { prepareUserFolder, startN8n, type N8nInstance } from './n8n-instance';
import type { BenchOptions } from './options';
import { writeSection } from './results-file';
import { countCreates, cpuMs, createTokensDirectly, describeMachine, getItems, getRequests, log, publishAll, runPipeline, runRaw } from './runs';
import { benchCredentials, benchWorkflows, CONCURRENCIES, pickRows, S2_ROWS, S3_ROWS, WF } from './workflows';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('../../sandbox/server');

interface Build {
	name: BuildName;
	runDir: string;
	userFolder: string;
	n8n: N8nInstance;
}

interface Row extends CompareRow {
	key: string;
	workflowId: string;
}

function rowsOf(o: BenchOptions): Row[] {
	const row = (scenario: number, key: string, label: string, workflowId: string, rawConcurrency?: number): Row => ({
		scenario,
		key,
		label,
		workflowId,
		rawConcurrency,
		samples: { A: [], B: [] },
	});
	return o.scenarios.flatMap((scenario) => {
		if (scenario === 1) {
			return [
				...CONCURRENCIES.map((c) => row(1, `c${c}`, `KOMOJU Get, concurrency ${c}`, WF.get(c), c)),
				row(1, 'http', 'HTTP Request 4.2 (all at once)', WF.getHttp, o.items),
			];
		}
		if (scenario === 2) return pickRows(S2_ROWS, o.s2, '--s2').map((x) => row(2, x.name, x.label, x.workflowId));
		if (scenario === 3) return pickRows(S3_ROWS, o.s3, '--s3').map((x) => row(3, x.name, x.label, x.workflowId, x.concurrency));
		throw new Error(`--scenarios: no scenario ${scenario}`);
	});
}

export async function runCompare(o: BenchOptions): Promise<void> {
	const { machine, nodeBinary } = await describeMachine();
	log(`bench (A/B): ${JSON.stringify(machine)}; items ${o.items}, big ${o.big}, scenarios ${o.scenarios.join(',')}, rounds ${o.rounds}`);
	const rows = rowsOf(o);
	const baseline = o.compareRev ? buildRevision(o.compareRev) : { packageDir: resolve(o.compareDir), description: `\`${resolve(o.compareDir)}\`` };
	const current = o.packageDir
		? { packageDir: resolve(o.packageDir), description: `\`${resolve(o.packageDir)}\`` }
		: { packageDir: buildPackage(), description: describeCheckout() };

	const sandbox = await startSandbox({ latencyMs: 0 });
	const ids = await createTokensDirectly(sandbox.url, o.items);
	const workflows = benchWorkflows(sandbox.url, ids[0]);
	const builds: Build[] = [];
	const raw = new Map<string, number[]>();
	let idleCpuMs = 0;
	let timedMs = 0;

	const start = async (build: Omit<Build, 'n8n'>, label: string): Promise<N8nInstance> => {
		const n8n = await startN8n(build.runDir, build.userFolder, `${build.name}-${label}`, o.n8nExtraEnv);
		await sleep(3000);
		return n8n;
	};

	/** One timed run of `row` on `build`, while `other` idles. */
	const measure = async (row: Row, build: Build, other: Build, round: number): Promise<Sample> => {
		const tag = `s${row.scenario}-${row.key}-${build.name}-r${round}`;
		if (row.scenario === 3 && o.restart) {
			// A fresh n8n, so one run's heap does not count in the next one's peak; a small warm-up
			// so lazy loading is not counted either.
			await build.n8n.stop();
			build.n8n = await start(build, tag);
			await runPipeline(build.n8n, row.workflowId, `${build.name} warm-up (${row.label}, 20 items)`, getItems(ids, 20));
			await sleep(2000);
		}
		if (row.scenario === 2) {
			await sleep(2500); // let the rolling rate window empty
			sandbox.clearRequests();
		}
		const items = row.scenario === 2 ? Array.from({ length: o.items }, (_, i) => ({ i, run: tag })) : getItems(ids, row.scenario === 3 ? o.big : o.items);
		const otherCpuBefore = cpuMs(other.n8n.pid);
		const run = await runPipeline(build.n8n, row.workflowId, `${build.name} ${row.label}`, items);
		idleCpuMs += cpuMs(other.n8n.pid) - otherCpuBefore;
		timedMs += run.wallMs;
		let requests = items.length;
		if (row.scenario === 2) {
			await sleep(500);
			requests = countCreates(sandbox, tag, o.items, `${build.name} ${row.label}`).requests;
		}
		return {
			nodeMs: run.nodeMs,
			cpuMs: run.cpuMs,
			requests,
			peakAboveIdleMb: row.scenario === 3 ? run.peakRssMb - run.idleRssMb : undefined,
			errorItems: run.errorItems,
			failed: run.status !== 'success' || run.nodeError !== undefined,
			loads: run.loads,
		};
	};

	try {
		for (const [name, packageDir] of [['A', baseline.packageDir], ['B', current.packageDir]] as const) {
			const folder = { name, ...(await prepareUserFolder(benchCredentials(sandbox.url, SECRET_KEY), workflows, packageDir)) };
			const build: Build = { ...folder, n8n: await start(folder, 'main') };
			await publishAll(build.n8n.api, workflows.map((w) => w.id));
			log(`bench: ${name} = ${packageDir}: n8n ready in ${build.n8n.startSeconds.toFixed(1)} s (pid ${build.n8n.pid}), user folder ${build.userFolder}`);
			builds.push(build);
		}
		// One untimed warm-up each, so the first timed runs do not pay for n8n's lazy loading.
		for (const build of builds) await runPipeline(build.n8n, WF.get(20), `${build.name} warm-up (KOMOJU c=20, 50 items)`, getItems(ids, 50));

		const [a, b] = builds;
		for (let round = 1; round <= o.rounds; round++) {
			// Alternating who goes first, so neither build always runs right after the other one or a raw run.
			const order = round % 2 ? [a, b] : [b, a];
			for (const scenario of o.scenarios) {
				log(`\nRound ${round}/${o.rounds}, scenario ${scenario}`);
				sandbox.configure({ latencyMs: scenario === 1 ? o.latency : 0, rateLimitPerSecond: scenario === 2 ? o.rate : 0 });
				const scenarioRows = rows.filter((row) => row.scenario === scenario);
				for (const row of scenarioRows) {
					for (const build of order) row.samples[build.name].push(await measure(row, build, build === a ? b : a, round));
				}
				const count = scenario === 3 ? o.big : o.items;
				for (const c of new Set(scenarioRows.flatMap((row) => (row.rawConcurrency === undefined ? [] : [row.rawConcurrency])))) {
					const run = await runRaw(nodeBinary, sandbox.url, c, getRequests(ids, count), `raw node:http, concurrency ${c}`);
					raw.set(rawKey(scenario, c), [...(raw.get(rawKey(scenario, c)) ?? []), run.ms]);
				}
			}
		}
	} finally {
		for (const build of builds) await build.n8n.stop();
		await sandbox.close();
	}

	const markdown = renderComparison({
		machine,
		rounds: o.rounds,
		builds: { A: baseline.description, B: current.description },
		scenarioTitles: {
			1: `${o.items} × Secure Token Get, ${o.latency} ms latency`,
			2: `rate limit ${o.rate}/s, ${o.items} × Secure Token Create`,
			3: `${o.big} × Secure Token Get, zero latency${o.restart ? ' (a fresh n8n per run)' : ''}`,
		},
		rows,
		raw,
		idleCpuMsPerSecond: timedMs ? (idleCpuMs / timedMs) * 1000 : 0,
	});
	log(`\n${markdown}`);
	if (o.out !== '-') {
		writeSection(o.out, `bench-compare-${o.scenarios.join('')}`, markdown);
		log(`bench: written to ${o.out}`);
	}
}
