/** Renders the benchmark's tables (markdown), with each target checked. */
import type { CreateCount, NodeRun, RawRun } from './types';

export interface Machine {
	cpus: number;
	cpuModel: string;
	ramGb: number;
	node: string;
	n8n: string;
	date: string;
}

export interface Results {
	machine: Machine;
	itemsS1: number;
	itemsS3: number;
	rate: number;
	latencyMs: number;
	idleAtStartMb: number;
	n8nStartSeconds: number;
	loads?: number[];
	s1?: { komoju: NodeRun[]; http?: NodeRun; raw: RawRun[]; rawUnbounded?: RawRun };
	s2?: Array<{ run: NodeRun; count: CreateCount }>;
	s3?: { runs: NodeRun[]; raw: RawRun[] };
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const rate = (items: number, ms: number) => ((items / ms) * 1000).toFixed(0);
const mb = (value: number) => value.toFixed(0);
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

export function renderResults(r: Results): string {
	const lines: string[] = [];
	const push = (...more: string[]) => lines.push(...more);
	push(
		`Run ${r.machine.date}: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.ramGb} GB RAM, n8n ${r.machine.n8n} on Node ${r.machine.node} (\`n8n start\`, SQLite, regular mode). ` +
			`n8n ready in ${r.n8nStartSeconds.toFixed(1)} s; idle footprint ${mb(r.idleAtStartMb)} MB RSS.`,
		'',
		r.loads?.length
			? `1-minute load average at the start and end of the timed runs: ${Math.min(...r.loads).toFixed(1)} to ${Math.max(...r.loads).toFixed(1)} on ${r.machine.cpus} cores (above ${r.machine.cpus} means other processes, e.g. other test runs on this shared machine, competed for the CPU; n8n's CPU time per item is less affected than its wall time).`
			: '',
		'',
		'Times are the node under test\'s own `executionTime` from the execution\'s runData (REST `GET /rest/executions/:id`); the webhook\'s wall time (n8n receiving the POST, Split Out, the node, saving the execution) is in the last column.',
		'',
	);

	if (r.s1) {
		const raw = new Map(r.s1.raw.map((run) => [run.concurrency, run]));
		push(`#### Scenario 1: ${r.itemsS1} × Secure Token Get, ${r.latencyMs} ms latency, no rate limit`, '');
		push('| variant | concurrency | time (s) | items/s | × raw floor at the same concurrency | errors | wall (s) |', '|---|---|---|---|---|---|---|');
		for (const run of r.s1.komoju) {
			const c = Number(/concurrency (\d+)/.exec(run.label)?.[1]);
			const floor = raw.get(c);
			push(`| KOMOJU node | ${c} | ${s(run.nodeMs)} | ${rate(run.items, run.nodeMs)} | ${floor ? (run.nodeMs / floor.ms).toFixed(2) : '–'} | ${run.errorItems}${run.nodeError ? ' (node failed)' : ''} | ${s(run.wallMs)} |`);
		}
		if (r.s1.http) {
			const run = r.s1.http;
			const floor = r.s1.rawUnbounded;
			push(`| HTTP Request 4.2 (defaults) | all at once | ${s(run.nodeMs)} | ${rate(run.items, run.nodeMs)} | ${floor ? `${(run.nodeMs / floor.ms).toFixed(2)} (vs raw, ${floor.concurrency} at once)` : '–'} | ${run.errorItems}${run.nodeError ? ` (node failed: ${run.nodeError.slice(0, 60)})` : ''} | ${s(run.wallMs)} |`);
		}
		for (const run of [...r.s1.raw, ...(r.s1.rawUnbounded ? [r.s1.rawUnbounded] : [])]) {
			push(`| raw node:http keep-alive (floor) | ${run.concurrency} | ${s(run.ms)} | ${rate(run.items, run.ms)} | 1.00 | ${run.errors + Object.entries(run.statuses).filter(([k]) => k !== '200').reduce((a, [, n]) => a + n, 0)} | – |`);
		}
		const k20 = r.s1.komoju.find((run) => /concurrency 20$/.test(run.label));
		const raw20 = raw.get(20);
		if (k20 && raw20) {
			const ratio = k20.nodeMs / raw20.ms;
			push('', `Target 1 (concurrency 20 within 1.3× of the raw floor at 20): ${s(k20.nodeMs)} s vs ${s(raw20.ms)} s = ${ratio.toFixed(2)}× → ${verdict(ratio <= 1.3 && k20.errorItems === 0 && !k20.nodeError)}.`);
		}
		if (k20 && r.s1.http) {
			push(`KOMOJU at concurrency 20 vs HTTP Request (all ${r.itemsS1} at once): ${(r.s1.http.nodeMs / k20.nodeMs).toFixed(2)}× the HTTP Request node's speed.`);
		}
		push('');
	}

	if (r.s2) {
		const minimumMs = (r.itemsS1 / r.rate) * 1000;
		push(`#### Scenario 2: rate limit ${r.rate}/s, ${r.itemsS1} × Secure Token Create (minimum time ${r.itemsS1}/${r.rate} = ${s(minimumMs)} s)`, '');
		push(
			'| variant | time (s) | × minimum | execution | success items in the output | error items | items with a token in KOMOJU | items without | duplicate tokens | requests sent | 429 answers |',
			'|---|---|---|---|---|---|---|---|---|---|---|',
		);
		for (const { run, count } of r.s2) {
			const ok = run.nodeError ? 0 : run.outputItems - run.errorItems;
			push(
				`| ${run.label} | ${s(run.nodeMs)} | ${(run.nodeMs / minimumMs).toFixed(2)} | ${run.status}${run.nodeError ? ` (${run.nodeError.slice(0, 50)})` : ''} | ${ok} | ${run.errorItems} | ${count.itemsWithToken} | ${count.itemsWithoutToken} | ${count.duplicates} (max ${count.maxTokensPerItem} per item) | ${count.requests} | ${count.statuses['429'] ?? 0} |`,
			);
		}
		const komoju = r.s2.find(({ run }) => run.label.startsWith('KOMOJU'));
		if (komoju) {
			const { run, count } = komoju;
			const ok = !run.nodeError && run.outputItems - run.errorItems === r.itemsS1 && count.itemsWithToken === r.itemsS1 && count.duplicates === 0;
			const timeOk = run.nodeMs <= 1.25 * minimumMs;
			push(
				'',
				`Target 2 (${r.itemsS1}/${r.itemsS1} successes, exactly one token each, ≤ 1.25 × ${s(minimumMs)} s = ${s(1.25 * minimumMs)} s): ` +
					`${run.outputItems - run.errorItems}/${r.itemsS1} successes, ${count.duplicates} duplicates, ${count.itemsWithoutToken} items without a token → ${verdict(ok)}; ` +
					`time ${s(run.nodeMs)} s = ${(run.nodeMs / minimumMs).toFixed(2)}× → ${verdict(timeOk)}.`,
			);
		}
		push('');
	}

	if (r.s3) {
		push(`#### Scenario 3: ${r.itemsS3} × Secure Token Get, zero latency (a fresh n8n per row)`, '');
		push(
			'| variant | time (s) | items/s | ms per item | n8n CPU ms per item | idle RSS (MB) | peak RSS (MB) | peak above idle (MB) | VmHWM after (MB) | errors | wall (s) |',
			'|---|---|---|---|---|---|---|---|---|---|---|',
		);
		for (const run of r.s3.runs) {
			push(
				`| ${run.label} | ${s(run.nodeMs)} | ${rate(run.items, run.nodeMs)} | ${(run.nodeMs / run.items).toFixed(3)} | ${(run.cpuMs / run.items).toFixed(3)} | ${mb(run.idleRssMb)} | ${mb(run.peakRssMb)} | ${mb(run.peakRssMb - run.idleRssMb)} | ${mb(run.hwmAfterMb)} | ${run.errorItems}${run.nodeError ? ` (node failed: ${run.nodeError.slice(0, 60)})` : ''} | ${s(run.wallMs)} |`,
			);
		}
		for (const run of r.s3.raw) {
			push(`| raw node:http keep-alive, concurrency ${run.concurrency} | ${s(run.ms)} | ${rate(run.items, run.ms)} | ${(run.ms / run.items).toFixed(3)} | – | – | – | – | – | ${run.errors} | – |`);
		}
		const komoju = r.s3.runs.find((run) => run.label.startsWith('KOMOJU Get (defaults'));
		const http = r.s3.runs.find((run) => run.label.startsWith('HTTP Request'));
		if (komoju && http) {
			const perItemOk = komoju.nodeMs <= http.nodeMs;
			const cpuOk = komoju.cpuMs <= http.cpuMs;
			const memory = komoju.peakRssMb - komoju.idleRssMb;
			push(
				'',
				`Target 3a (per-item overhead no worse than HTTP Request's): time per item ${(komoju.nodeMs / komoju.items).toFixed(3)} vs ${(http.nodeMs / http.items).toFixed(3)} ms → ${verdict(perItemOk)}; ` +
					`n8n CPU per item ${(komoju.cpuMs / komoju.items).toFixed(3)} vs ${(http.cpuMs / http.items).toFixed(3)} ms → ${verdict(cpuOk)}.`,
				`Target 3b (peak memory for ${r.itemsS3} items < 300 MB above idle): KOMOJU ${mb(memory)} MB → ${verdict(memory < 300)}; HTTP Request ${mb(http.peakRssMb - http.idleRssMb)} MB.`,
			);
		}
		push('');
	}
	return lines.join('\n');
}
