/** The command line of `node bench/bench.js` (see bench/README.md), read once for both modes. */
import { join } from 'node:path';

import { REPO_ROOT } from '../../test/e2e/support/state';

export interface BenchOptions {
	items: number;
	big: number;
	scenarios: number[];
	/** Scenario 3 starts a fresh n8n for each run, so one run's heap does not count in the next one's peak. */
	restart: boolean;
	/** bench/results.md, or `-` for stdout only. */
	out: string;
	rate: number;
	latency: number;
	/** A package folder built elsewhere (e.g. a patched copy) instead of this checkout's sources. */
	packageDir: string;
	/** Which scenario 2 rows to run: komoju, http, http-retry. */
	s2: string[];
	/** Which scenario 3 rows to run: defaults (KOMOJU, concurrency 5), c20 (KOMOJU, 20), http. */
	s3: string[];
	/** e.g. BENCH_N8N_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile n8n itself. */
	n8nExtraEnv: NodeJS.ProcessEnv;
	/** A/B mode: the baseline ("A") as a built package folder… */
	compareDir: string;
	/** …or as a git revision of this repository, built into a package folder first. */
	compareRev: string;
	rounds: number;
}

export function readOptions(argv: string[] = process.argv): BenchOptions {
	const arg = (name: string, fallback: string): string => {
		const index = argv.indexOf(`--${name}`);
		return index >= 0 ? argv[index + 1] : fallback;
	};
	return {
		items: Number(arg('items', '1000')),
		big: Number(arg('big', '10000')),
		scenarios: arg('scenarios', '1,2,3').split(',').map(Number),
		restart: !argv.includes('--no-restart'),
		out: arg('out', join(REPO_ROOT, 'bench', 'results.md')),
		rate: Number(arg('rate', '100')),
		latency: Number(arg('latency', '50')),
		packageDir: arg('package-dir', ''),
		s2: arg('s2', 'komoju,http,http-retry').split(','),
		s3: arg('s3', 'defaults,c20,http').split(','),
		n8nExtraEnv: process.env.BENCH_N8N_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_N8N_NODE_OPTIONS } : {},
		compareDir: arg('compare', ''),
		compareRev: arg('compare-rev', ''),
		rounds: Number(arg('rounds', '3')),
	};
}
