/** Renders the A/B mode's tables (markdown): medians over the rounds per row and build, then B/A per row. */
import type { Machine } from './report';

export type BuildName = 'A' | 'B';

/** One timed run of one row on one build. */
export interface Sample {
	nodeMs: number;
	cpuMs: number;
	/** API requests the run sent: the items for the Gets, the sandbox's count of POSTs for the creates (429s retried). */
	requests: number;
	/** Only where the scenario measures memory (scenario 3). */
	peakAboveIdleMb?: number;
	errorItems: number;
	failed: boolean;
	loads: [number, number];
}

export interface CompareRow {
	scenario: number;
	label: string;
	/** The concurrency whose raw-HTTP floor this row is compared with, if one is measured. */
	rawConcurrency?: number;
	samples: Record<BuildName, Sample[]>;
}

export interface CompareResults {
	machine: Machine;
	rounds: number;
	builds: Record<BuildName, string>;
	scenarioTitles: Record<number, string>;
	rows: CompareRow[];
	/** Raw-HTTP times (ms), one per round, by `rawKey(scenario, concurrency)`. */
	raw: Map<string, number[]>;
	/** CPU the n8n not being timed used, per second of the other's runs: the cost of keeping both up. */
	idleCpuMsPerSecond: number;
}

export const rawKey = (scenario: number, concurrency: number) => `${scenario}/${concurrency}`;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const ratio = (b: number, a: number) => (a > 0 ? (b / a).toFixed(3) : '–');

interface Summary {
	nodeMs: number;
	minMs: number;
	maxMs: number;
	cpuPerRequest: number;
	requests: number;
	peakAboveIdleMb?: number;
	errors: string;
	loads: string;
}

function summarize(samples: Sample[]): Summary {
	const times = samples.map((x) => x.nodeMs);
	const peaks = samples.flatMap((x) => (x.peakAboveIdleMb === undefined ? [] : [x.peakAboveIdleMb]));
	const loads = samples.flatMap((x) => x.loads);
	const failed = samples.filter((x) => x.failed).length;
	return {
		nodeMs: median(times),
		minMs: Math.min(...times),
		maxMs: Math.max(...times),
		cpuPerRequest: median(samples.map((x) => x.cpuMs / x.requests)),
		requests: median(samples.map((x) => x.requests)),
		peakAboveIdleMb: peaks.length ? median(peaks) : undefined,
		errors: `${samples.reduce((sum, x) => sum + x.errorItems, 0)}${failed ? ` (${failed} runs failed)` : ''}`,
		loads: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
	};
}

export function renderComparison(r: CompareResults): string {
	const lines: string[] = [
		`A/B run ${r.machine.date}: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.ramGb} GB RAM, n8n ${r.machine.n8n} on Node ${r.machine.node}.`,
		'',
		`**A** (baseline) = ${r.builds.A}; **B** = ${r.builds.B}. ${r.rounds} rounds; in each round every row runs on A and on B back to back ` +
			'(A first in odd rounds, B first in even ones), then raw HTTP at the rows\' concurrencies. Values are medians over the rounds. ' +
			`Both n8n instances stay up and only one is sent work at a time; the idle one used ${r.idleCpuMsPerSecond.toFixed(1)} ms of CPU per second of the other's runs.`,
		'',
		'Time: the node\'s `executionTime`, median (min–max). n8n CPU per request: utime + stime of that n8n process during the run ÷ the API requests it sent. ' +
			'Load: the 1-minute load average at the start and end of that row\'s runs, min–max.',
		'',
	];
	const ratios: string[] = [];
	for (const scenario of [...new Set(r.rows.map((row) => row.scenario))]) {
		lines.push(`#### Scenario ${scenario}: ${r.scenarioTitles[scenario]}`, '');
		lines.push(
			'| row | build | time (s) | × raw at the same concurrency | n8n CPU ms per request | requests per run | peak above idle (MB) | error items | load (1 min) |',
			'|---|---|---|---|---|---|---|---|---|',
		);
		for (const row of r.rows.filter((x) => x.scenario === scenario)) {
			const raw = row.rawConcurrency === undefined ? undefined : r.raw.get(rawKey(scenario, row.rawConcurrency));
			const rawMs = raw?.length ? median(raw) : undefined;
			const a = summarize(row.samples.A);
			const b = summarize(row.samples.B);
			for (const [name, x] of [['A', a], ['B', b]] as const) {
				lines.push(
					`| ${row.label} | ${name} | ${s(x.nodeMs)} (${s(x.minMs)}–${s(x.maxMs)}) | ${rawMs ? `${(x.nodeMs / rawMs).toFixed(2)} (raw c=${row.rawConcurrency}: ${s(rawMs)} s)` : '–'} | ` +
						`${x.cpuPerRequest.toFixed(2)} | ${x.requests} | ${x.peakAboveIdleMb === undefined ? '–' : x.peakAboveIdleMb.toFixed(0)} | ${x.errors} | ${x.loads} |`,
				);
			}
			// Each round's A and B ran back to back, so their ratio is the least disturbed by drift.
			const paired = row.samples.B.map((x, i) => x.nodeMs / row.samples.A[i].nodeMs);
			ratios.push(
				`| ${scenario} | ${row.label} | ${ratio(b.nodeMs, a.nodeMs)} | ${Math.min(...paired).toFixed(3)}–${Math.max(...paired).toFixed(3)} | ${ratio(b.cpuPerRequest, a.cpuPerRequest)} | ` +
					`${a.peakAboveIdleMb === undefined || b.peakAboveIdleMb === undefined ? '–' : ratio(b.peakAboveIdleMb, a.peakAboveIdleMb)} |`,
			);
		}
		lines.push('');
	}
	lines.push('#### B/A per row (below 1: B is faster or smaller)', '');
	lines.push('| scenario | row | time | time, per round | n8n CPU per request | peak above idle |', '|---|---|---|---|---|---|', ...ratios);
	return lines.join('\n');
}
