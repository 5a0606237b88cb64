// @ts-check
'use strict';

/**
 * A jest reporter that ends the run with one line, e.g.
 *   KOMOJU contract: 4211 requests and 4211 answers checked against contract.json, 312 deliberate probes, 0 violations
 * and fails the run (getLastError) when there was any violation, also one no test saw (in a
 * beforeAll, between e2e tests, in the e2e global setup).
 *
 * - jest: the test files' tallies in the run folder (global-setup.ts, guard.ts);
 * - e2e (KOMOJU_E2E_STATE set): the sandbox of the run, `GET <sandbox>/__sandbox/contract`.
 */

const fs = require('node:fs');
const path = require('node:path');
const { summaryLine } = require('../../sandbox/contract');

/**
 * @typedef {{ requestsChecked: number, answersChecked: number, probes: number, violationCount: number,
 *   violations: Array<{ where: string, method: string, path: string, message: string }> }} Tally
 */

/** @param {string} dir @returns {Tally} */
function readRunDir(dir) {
	/** @type {Tally} */
	const total = { requestsChecked: 0, answersChecked: 0, probes: 0, violationCount: 0, violations: [] };
	for (const file of fs.readdirSync(dir)) {
		for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
			if (!line.trim()) continue;
			const t = /** @type {Tally} */ (JSON.parse(line));
			total.requestsChecked += t.requestsChecked;
			total.answersChecked += t.answersChecked;
			total.probes += t.probes;
			total.violationCount += t.violationCount;
			total.violations.push(...t.violations);
		}
	}
	return total;
}

/** @param {string} stateFile @returns {Promise<Tally>} */
async function readE2eSandbox(stateFile) {
	const { sandbox } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
	const response = await fetch(`${sandbox.url}/__sandbox/contract`);
	if (response.status !== 200) throw new Error(`GET ${sandbox.url}/__sandbox/contract: ${response.status}`);
	return /** @type {Tally} */ (await response.json());
}

/** Each distinct violation once, with how often it was seen (ids and list indexes folded). @param {Tally} total */
function violationLines(total) {
	/** @type {Map<string, number>} */
	const seen = new Map();
	for (const v of total.violations) {
		const key = `${v.where} ${v.method} ${v.path.replace(/\/[a-z0-9]{25}(?=\/|$)/g, '/{id}')}: ${v.message.replace(/\.\d+\./g, '[].')}`;
		seen.set(key, (seen.get(key) || 0) + 1);
	}
	return [...seen].slice(0, 100).map(([key, n]) => `  ${n > 1 ? `${n}x ` : ''}${key}`);
}

class ContractReporter {
	/** @param {{ json?: boolean, outputFile?: string }} globalConfig jest's global config (the parts used here) */
	constructor(globalConfig) {
		this.globalConfig = globalConfig;
		/** @type {Error | undefined} */
		this.error = undefined;
	}

	async onRunComplete() {
		/** @type {Tally | null} */
		let total = null;
		const stateFile = process.env.KOMOJU_E2E_STATE;
		const dir = process.env.KOMOJU_CONTRACT_RUN_DIR;
		try {
			if (stateFile && fs.existsSync(stateFile)) total = await readE2eSandbox(stateFile);
			else if (dir && fs.existsSync(dir)) total = readRunDir(dir);
		} catch (e) {
			this.error = new Error(`KOMOJU contract: could not read the tally: ${e instanceof Error ? e.message : String(e)}`);
			process.stderr.write(`\n${this.error.message}\n`);
			return;
		} finally {
			if (dir) fs.rmSync(dir, { recursive: true, force: true });
		}
		if (!total) return;
		const lines = [summaryLine(total), ...violationLines(total)];
		// `--json` without --outputFile prints the results on stdout: keep it parseable
		const out = this.globalConfig.json && !this.globalConfig.outputFile ? process.stderr : process.stdout;
		// jest's own summary reporter runs after this one: print after it, as the run's last line
		setImmediate(() => out.write(`${lines.join('\n')}\n`));
		if (total.violationCount > 0) {
			this.error = new Error(`${summaryLine(total)}: every sandbox answer, and every request in strict mode, must follow contract.json`);
		}
	}

	getLastError() {
		return this.error;
	}
}

module.exports = ContractReporter;
