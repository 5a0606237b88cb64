/**
 * One real n8n for the whole e2e run:
 *   1. scripts/n8n/tools.sh (Node 24 + n8n 2.40.7 in the cache; seconds once installed)
 *   2. a new user folder under .e2e/, with the built package installed as n8n installs it
 *   3. the KOMOJU sandbox (in this process), a fake SMTP server and a fake OpenAI
 *   4. fixtures on the sandbox (a saved customer, tokens in each final state)
 *   5. one `n8n import:credentials` and one `n8n import:workflow` for everything
 *   6. `n8n start` on a free port, with an owner managed by the environment so the tests can
 *      log in, and wait until it is ready
 * Everything the tests need is written to <run>/state.json (path in KOMOJU_E2E_STATE).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox/server';
import { waitForN8n } from './support/context';
import { startFakeOpenAi } from './support/fake-openai';
import { startFakeSmtp } from './support/fake-smtp';
import { n8nCli, n8nEnv, ownerPasswordHash, runScript, tail } from './support/n8n';
import { authenticate, CARDS, SandboxClient, SECRET_KEY } from './support/sandbox-client';
import { REPO_ROOT, STATE_ENV, type E2eState, type Fixtures } from './support/state';
import { moneyWorkflows } from './support/money-workflows';
import { freePorts } from './support/processes';
import { credentialsFor, loadExample, exampleFiles, patchedExamples, testWorkflows } from './support/workflows';
import { makeRunDir, timed, type RunHandles } from '../run-folder';

export interface E2eHandles extends RunHandles {
	n8n?: ChildProcess;
}

declare global {
	// eslint-disable-next-line no-var
	var __KOMOJU_E2E__: E2eHandles | undefined;
}

const OWNER = { email: 'owner@komoju-e2e.test', password: 'E2e-owner-Passw0rd' };

async function createFixtures(sandbox: SandboxClient): Promise<Fixtures> {
	const customerId = await sandbox.createCustomer(CARDS.challengeOk, 'hanako@example.com');
	const ok = await sandbox.createToken(CARDS.frictionlessOk);
	await authenticate(ok.authentication_url);
	const errored = await sandbox.createToken(CARDS.frictionlessFail);
	await authenticate(errored.authentication_url);
	const skipped = await sandbox.createToken(CARDS.regular);
	const needsVerify = await sandbox.createToken(CARDS.challengeOk);
	const statuses = await Promise.all([ok, skipped, errored, needsVerify].map(async (t) => (await sandbox.getToken(t.id)).verification_status));
	if (statuses.join() !== 'OK,SKIPPED,ERRORED,NEEDS_VERIFY') throw new Error(`fixture tokens ended as ${statuses.join()}`);
	await sandbox.clearRequests();
	return { customerId, tokens: { ok: ok.id, skipped: skipped.id, errored: errored.id, needsVerify: needsVerify.id } };
}

export default async function globalSetup(): Promise<void> {
	const timings: Record<string, number> = {};
	const runDir = makeRunDir('run-');
	const handles: E2eHandles = { runDir, closers: [] };
	globalThis.__KOMOJU_E2E__ = handles;
	const userFolder = join(runDir, 'n8n');
	process.stdout.write(`\n[e2e] run folder ${runDir}\n`);

	try {
		await timed(timings, 'tools.sh', async () => {
			const result = await runScript('tools.sh', []);
			if (result.code !== 0) throw new Error(`scripts/n8n/tools.sh failed:\n${tail(result.stdout + result.stderr)}`);
		});
		await timed(timings, 'install-package.sh', async () => {
			// KOMOJU_E2E_PACKAGE_DIR: test another build of the package (default: packages/n8n-nodes-komoju).
			const packageDir = process.env.KOMOJU_E2E_PACKAGE_DIR;
			const result = await runScript('install-package.sh', packageDir ? [userFolder, packageDir] : [userFolder]);
			if (result.code !== 0) throw new Error(`install-package.sh failed (run npm run build first?):\n${tail(result.stdout + result.stderr)}`);
		});

		const sandbox = await startSandbox({ latencyMs: 0 });
		handles.closers.push(() => sandbox.close());
		const sandboxClient = new SandboxClient(sandbox.url);
		const fixtures = await timed(timings, 'fixtures', () => createFixtures(sandboxClient));

		const mailDir = join(runDir, 'mails');
		const smtp = await startFakeSmtp(mailDir);
		handles.closers.push(() => smtp.close());
		const openAiRequests = join(runDir, 'openai-requests.jsonl');
		const openAi = await startFakeOpenAi(openAiRequests);
		handles.closers.push(() => openAi.close());

		const credentialsFile = join(runDir, 'credentials.json');
		writeFileSync(
			credentialsFile,
			JSON.stringify(credentialsFor({ sandboxUrl: sandbox.url, secretKey: SECRET_KEY, smtpPort: smtp.port, openAiUrl: openAi.url }), null, 2),
		);
		const workflowsFile = join(runDir, 'workflows.json');
		const workflows = [
			...testWorkflows({ sandboxUrl: sandbox.url, fixtures }),
			...moneyWorkflows({ sandboxUrl: sandbox.url }),
			...exampleFiles().map(loadExample),
			...patchedExamples(fixtures),
		];
		writeFileSync(workflowsFile, JSON.stringify(workflows, null, 2));

		await timed(timings, 'import:credentials', () => n8nCli(userFolder, ['import:credentials', `--input=${credentialsFile}`]));
		await timed(timings, 'import:workflow', () => n8nCli(userFolder, ['import:workflow', `--input=${workflowsFile}`]));

		// n8n's port and its task broker's: n8n.sh would otherwise pick the broker's on its own.
		const [port, brokerPort] = await freePorts(2);
		const log = join(runDir, 'n8n-start.log');
		const logFd = openSync(log, 'a');
		const n8n = spawn('bash', [join(REPO_ROOT, 'scripts/n8n/n8n.sh'), userFolder, 'start'], {
			cwd: REPO_ROOT,
			stdio: ['ignore', logFd, logFd],
			env: n8nEnv({
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
				N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
				N8N_INSTANCE_OWNER_PASSWORD_HASH: await ownerPasswordHash(OWNER.password),
			}),
		});
		handles.n8n = n8n;
		if (!n8n.pid) throw new Error('could not start n8n');
		// If jest dies without running the teardown, do not leave n8n behind.
		process.once('exit', () => {
			if (n8n.exitCode === null && n8n.signalCode === null) n8n.kill('SIGKILL');
		});

		const state: E2eState = {
			runDir,
			userFolder,
			n8n: { url: `http://127.0.0.1:${port}`, port, pid: n8n.pid, log, owner: OWNER, startedAt: Date.now() },
			sandbox: { url: sandbox.url, secretKey: SECRET_KEY },
			smtp: { port: smtp.port, mailDir },
			openAi: { url: openAi.url, requestsFile: openAiRequests },
			fixtures,
			timings,
		};
		// Wait here: n8n booting next to `n8n execute` runs slows both down more than waiting does.
		await timed(timings, 'n8n start ready', () => waitForN8n(state));
		const stateFile = join(runDir, 'state.json');
		writeFileSync(stateFile, JSON.stringify(state, null, 2));
		process.env[STATE_ENV] = stateFile;
		process.stdout.write(`[e2e] setup (s): ${JSON.stringify(timings)}; n8n on port ${port}\n`);
	} catch (error) {
		const { default: globalTeardown } = await import('./global-teardown');
		await globalTeardown();
		throw error;
	}
}
