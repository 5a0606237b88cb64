/**
 * setupFilesAfterEnv: fails the test during which a KOMOJU sandbox recorded a new contract
 * violation (an answer that breaks contract.json, or, in strict mode, a request that does), with
 * the violations' messages.
 *
 * - jest (test/sandbox, test/integration, …): the sandboxes run in this process, so the guard
 *   reads the process-wide tally of sandbox/contract.js; after the file, the tally is appended to
 *   the run folder (global-setup.ts) for the summary line (reporter.js).
 * - e2e (KOMOJU_E2E_STATE set): the sandbox runs in jest's global setup, so the guard asks it,
 *   `GET <sandbox>/__sandbox/contract`; reporter.js prints the summary.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

import { processReport } from '../../sandbox/contract';

const RUN_DIR_ENV = 'KOMOJU_CONTRACT_RUN_DIR';

interface Tally {
	violationCount: number;
	violations: Array<{ seq: number; where: string; method: string; path: string; message: string }>;
}

const e2eStateFile = process.env.KOMOJU_E2E_STATE;

async function currentTally(): Promise<Tally> {
	if (!e2eStateFile) return processReport();
	const { loadState } = await import('../e2e/support/state');
	const response = await fetch(`${loadState().sandbox.url}/__sandbox/contract`);
	if (response.status !== 200) throw new Error(`GET /__sandbox/contract: ${response.status}`);
	return (await response.json()) as Tally;
}

/** The number of the newest violation so far (violations are numbered in order). */
function lastSeq(tally: Tally): number {
	return tally.violations.length ? tally.violations[tally.violations.length - 1].seq : 0;
}

let startSeq: number | undefined;

beforeEach(async () => {
	startSeq = lastSeq(await currentTally());
});

afterEach(async () => {
	const start = startSeq;
	startSeq = undefined;
	if (start === undefined) return;
	const fresh = (await currentTally()).violations.filter((v) => v.seq > start);
	if (fresh.length > 0) {
		throw new Error(
			`KOMOJU contract: ${fresh.length} violation${fresh.length === 1 ? '' : 's'} during this test:\n` +
				fresh.map((v) => `  ${v.where} ${v.method} ${v.path}: ${v.message}`).join('\n'),
		);
	}
});

afterAll(() => {
	const dir = process.env[RUN_DIR_ENV];
	if (e2eStateFile || !dir) return;
	appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(processReport())}\n`);
});
