/**
 * A real `n8n start` for the benchmark, set up the way test/e2e/global-setup.ts does it, with the
 * e2e helpers (runScript, n8nCli, n8nEnv, N8nApi, waitForN8n) imported, not copied:
 * a fresh user folder, the built package installed by scripts/n8n/install-package.sh, the
 * credentials and workflows imported with `n8n import:*`, then `n8n start` with an owner
 * managed by the environment so that the REST API can be used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { waitForN8n } from '../../test/e2e/support/context';
import { n8nCli, n8nEnv, n8nEnvValue, ownerPasswordHash, runScript, tail, type N8nApi } from '../../test/e2e/support/n8n';
import { REPO_ROOT, type E2eState } from '../../test/e2e/support/state';
import type { CredentialJson, WorkflowJson } from '../../test/e2e/support/workflows';

export const OWNER = { email: 'owner@komoju-bench.test', password: 'Bench-owner-Passw0rd' };

export interface N8nInstance {
	url: string;
	pid: number;
	api: N8nApi;
	userFolder: string;
	log: string;
	startSeconds: number;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** A value from scripts/n8n/env.sh. */
export const shellValue = n8nEnvValue;

export async function prepareUserFolder(
	credentials: CredentialJson[],
	workflows: WorkflowJson[],
	packageDir: string,
): Promise<{ runDir: string; userFolder: string }> {
	mkdirSync(join(REPO_ROOT, '.e2e'), { recursive: true });
	const runDir = mkdtempSync(join(REPO_ROOT, '.e2e', 'bench-'));
	const userFolder = join(runDir, 'n8n');
	const tools = await runScript('tools.sh', []);
	if (tools.code !== 0) throw new Error(`scripts/n8n/tools.sh failed:\n${tail(tools.stdout + tools.stderr)}`);
	const installed = await runScript('install-package.sh', [userFolder, packageDir]);
	if (installed.code !== 0) throw new Error(`install-package.sh failed :\n${tail(installed.stdout + installed.stderr)}`);
	const credentialsFile = join(runDir, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
	const workflowsFile = join(runDir, 'workflows.json');
	writeFileSync(workflowsFile, JSON.stringify(workflows, null, 2));
	await n8nCli(userFolder, ['import:credentials', `--input=${credentialsFile}`]);
	await n8nCli(userFolder, ['import:workflow', `--input=${workflowsFile}`]);
	return { runDir, userFolder };
}

/** `n8n start` on a prepared user folder; resolves once it is ready and logged in. */
export async function startN8n(runDir: string, userFolder: string, label: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<N8nInstance> {
	const started = Date.now();
	const port = await freePort();
	const brokerPort = await freePort();
	const log = join(runDir, `n8n-start-${label}.log`);
	const logFd = openSync(log, 'a');
	// n8n.sh ends in `exec node …`, so the child's pid is the n8n process itself.
	const child: ChildProcess = spawn('bash', [join(REPO_ROOT, 'scripts/n8n/n8n.sh'), userFolder, 'start'], {
		cwd: REPO_ROOT,
		stdio: ['ignore', logFd, logFd],
		env: n8nEnv({
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: await ownerPasswordHash(OWNER.password),
			N8N_LOG_LEVEL: 'warn',
			...extraEnv,
		}),
	});
	if (!child.pid) throw new Error('could not start n8n');
	const kill = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	process.once('exit', kill);
	const url = `http://127.0.0.1:${port}`;
	const state = { runDir, userFolder, n8n: { url, port, pid: child.pid, log, owner: OWNER, startedAt: started } } as unknown as E2eState;
	const api = await waitForN8n(state);
	return {
		url,
		pid: child.pid,
		api,
		userFolder,
		log,
		startSeconds: (Date.now() - started) / 1000,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(kill, 15_000);
			await exited;
			clearTimeout(timer);
			process.removeListener('exit', kill);
		},
	};
}
