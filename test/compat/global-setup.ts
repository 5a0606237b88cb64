/**
 * The compatibility matrix's setup (`npm run test:compat`), once per run:
 *   1. the KOMOJU sandbox (in this process, strict contract mode, as in the e2e) and a saved
 *      customer on it;
 *   2. for each version of versions.ts, one after the other (never two n8n installs at once):
 *      scripts/n8n/tools.sh with KOMOJU_N8N_VERSION / KOMOJU_N8N_NODE_VERSION (minutes the
 *      first time, seconds once cached), a user folder of its own under .e2e/compat-*, the built
 *      package installed by install-package.sh as in the e2e, and the smoke's credentials and
 *      workflows imported with that version's CLI.
 * A version that cannot be installed or prepared is not skipped: its error is kept in the state
 * and every test of that version fails with it (smoke.compat.ts), so the run fails.
 * The smoke itself starts each version's `n8n start` in turn (one n8n at a time).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox/server';
import { runScript, tail } from '../e2e/support/n8n';
import { CARDS, SandboxClient, SECRET_KEY } from '../e2e/support/sandbox-client';
import { STATE_ENV } from '../e2e/support/state';
import { makeRunDir, timed, type RunHandles } from '../run-folder';
import type { CompatState, PreparedVersion } from './state';
import { selectedVersions, versionEnv, type CompatVersion } from './versions';
import { compatCredentials, compatWorkflows } from './workflows';

declare global {
	// eslint-disable-next-line no-var
	var __KOMOJU_COMPAT__: RunHandles | undefined;
}

const log = (line: string) => process.stdout.write(`[compat] ${line}\n`);

/** Runs one of scripts/n8n/*.sh for this version; throws with its output's end when it fails. */
async function script(version: CompatVersion, name: string, args: string[], what: string): Promise<void> {
	const result = await runScript(name, args, versionEnv(version));
	if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr, 30)}`);
}

async function prepare(version: CompatVersion, runDir: string, files: { credentials: string; workflows: string }): Promise<PreparedVersion> {
	const prepared: PreparedVersion = { ...version, userFolder: join(runDir, `n8n-${version.n8n}`), timings: {} };
	const { timings, userFolder } = prepared;
	try {
		log(`n8n ${version.n8n} on Node ${version.node}: scripts/n8n/tools.sh (installs it the first time: several minutes)`);
		await timed(timings, 'tools.sh', () =>
			script(version, 'tools.sh', [], `Installing n8n ${version.n8n} on Node ${version.node} (KOMOJU_N8N_VERSION=${version.n8n} KOMOJU_N8N_NODE_VERSION=${version.node} scripts/n8n/tools.sh)`),
		);
		await timed(timings, 'install-package.sh', () => script(version, 'install-package.sh', [userFolder], 'install-package.sh (run npm run build first?)'));
		await timed(timings, 'import:credentials', () =>
			script(version, 'n8n.sh', [userFolder, 'import:credentials', `--input=${files.credentials}`], `n8n ${version.n8n} import:credentials`),
		);
		await timed(timings, 'import:workflow', () =>
			script(version, 'n8n.sh', [userFolder, 'import:workflow', `--input=${files.workflows}`], `n8n ${version.n8n} import:workflow`),
		);
		log(`n8n ${version.n8n} ready to start (s): ${JSON.stringify(timings)}`);
	} catch (error) {
		prepared.setupError = error instanceof Error ? error.message : String(error);
		log(`n8n ${version.n8n} FAILED in setup; its tests will fail with:\n${prepared.setupError}`);
	}
	return prepared;
}

export default async function globalSetup(): Promise<void> {
	const versions = selectedVersions();
	const runDir = makeRunDir('compat-');
	const handles: RunHandles = { runDir, closers: [] };
	globalThis.__KOMOJU_COMPAT__ = handles;
	log(`run folder ${runDir}; versions: ${versions.map((v) => `n8n ${v.n8n} (Node ${v.node})`).join(', ')}`);
	try {
		const sandbox = await startSandbox({ latencyMs: 0 });
		handles.closers.push(() => sandbox.close());
		const client = new SandboxClient(sandbox.url);
		const customerId = await client.createCustomer(CARDS.challengeOk, 'compat@example.com');
		await client.clearRequests();

		const files = { credentials: join(runDir, 'credentials.json'), workflows: join(runDir, 'workflows.json') };
		writeFileSync(files.credentials, JSON.stringify(compatCredentials(sandbox.url, SECRET_KEY), null, 2));
		writeFileSync(files.workflows, JSON.stringify(compatWorkflows(sandbox.url, customerId), null, 2));

		const prepared: PreparedVersion[] = [];
		for (const version of versions) prepared.push(await prepare(version, runDir, files));

		const state: CompatState = { runDir, sandbox: { url: sandbox.url, secretKey: SECRET_KEY }, fixtures: { customerId }, versions: prepared };
		const stateFile = join(runDir, 'state.json');
		writeFileSync(stateFile, JSON.stringify(state, null, 2));
		process.env[STATE_ENV] = stateFile;
	} catch (error) {
		const { default: globalTeardown } = await import('./global-teardown');
		await globalTeardown();
		throw error;
	}
}
