/**
 * n8n in queue mode (scripts/queue-mode/run.sh starts it): one main, two workers, each with the
 * package installed in its own user folder, Redis, PostgreSQL and the KOMOJU sandbox.
 *
 * The 1,000-item workflow is started several times at once through the main's production
 * webhook; while the workers run those executions, the 3DS round trip goes through the main's
 * webhooks (Respond to Webhook relayed from a worker, the Wait node's resume URL on the main).
 * Which worker ran an execution is read from the workers' logs ("Worker started execution <id>").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nApi, n8nCli, nodeOutput, sleep, type Execution } from '../e2e/support/n8n';
import { authenticate, CARDS, SandboxClient, SECRET_KEY } from '../e2e/support/sandbox-client';
import { IDS, THREE_DS_WEBHOOK_PATH, WAIT_RESPONSE_TEXT } from '../e2e/support/workflows';
import { executionsEnqueuedIn, executionsStartedIn, loadQueueState } from './state';
import { BULK, queueCredentials, queueWorkflows } from './workflows';

const state = loadQueueState();
const sandbox = new SandboxClient(state.sandboxUrl);
const summary: Record<string, unknown> = { executions: state.executions, concurrency: state.concurrency };
let n8n: N8nApi;
let bulkStartedAt = 0;

function seconds(since: number): number {
	return Math.round((Date.now() - since) / 100) / 10;
}

/** Which worker's log names each execution id (an id may appear in several logs, or twice). */
function workerRuns(): Map<string, string[]> {
	const runs = new Map<string, string[]>();
	for (const worker of state.workers) {
		for (const id of executionsStartedIn(worker.log)) runs.set(id, [...(runs.get(id) ?? []), worker.name]);
	}
	return runs;
}

const UNFINISHED = ['new', 'running', 'waiting'];

/** The bulk workflow's executions and their statuses. */
async function bulkStatuses(): Promise<Array<{ id: string; status: string }>> {
	const ids = await n8n.executionIds(BULK.id);
	return await Promise.all(ids.map(async (id) => ({ id, status: (await n8n.data('GET', `/rest/executions/${id}`)).status as string })));
}

/** The bulk workflow's executions, once `count` of them exist and all have finished. */
async function finishedBulkExecutions(count: number, timeoutMs = 240_000): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const statuses = await bulkStatuses();
		if (statuses.length >= count && statuses.every(({ status }) => !UNFINISHED.includes(status))) {
			return await Promise.all(statuses.map(({ id }) => n8n.execution(id)));
		}
		if (Date.now() > deadline) throw new Error(`after ${timeoutMs / 1000} s, of ${count} bulk executions: ${JSON.stringify(statuses)}`);
		await sleep(1000);
	}
}

beforeAll(async () => {
	const credentialsFile = join(state.runDir, 'credentials.json');
	const workflowsFile = join(state.runDir, 'workflows.json');
	writeFileSync(credentialsFile, JSON.stringify(queueCredentials(state.sandboxUrl, SECRET_KEY), null, 2));
	writeFileSync(workflowsFile, JSON.stringify(queueWorkflows(state.sandboxUrl), null, 2));
	// Into the shared PostgreSQL (the queue-mode settings come from run.sh's environment).
	await n8nCli(state.main.folder, ['import:credentials', `--input=${credentialsFile}`]);
	await n8nCli(state.main.folder, ['import:workflow', `--input=${workflowsFile}`]);

	n8n = new N8nApi(state.main.url, state.main.owner);
	await n8n.login();
	await n8n.publish(BULK.id);
	await n8n.publish(IDS.threeDs);
	await sandbox.clearRequests();

	bulkStartedAt = Date.now();
	const answers = await Promise.all(
		Array.from({ length: state.executions }, () =>
			fetch(`${state.main.url}/webhook/${BULK.path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
		),
	);
	expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
});

afterAll(() => {
	process.stdout.write(`\n[queue] measured: ${JSON.stringify(summary, null, 2)}\n`);
});

describe('n8n queue mode: one main, two workers, the package on each', () => {
	it('runs the 3DS round trip through the main’s webhooks while the workers run the 1,000-item executions', async () => {
		const started = Date.now();
		const response = await fetch(`${state.main.url}/webhook/${THREE_DS_WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ order: 'QUEUE-3DS', amount: 4200, card: CARDS.challengeOk }),
		});
		const text = await response.text();
		expect({ status: response.status, text }).toEqual({ status: 200, text: expect.stringContaining('authenticationUrl') });
		const link = JSON.parse(text) as { executionId: string; secureTokenId: string; authenticationUrl: string; resumeUrl: string };
		expect(link.resumeUrl.startsWith(`${state.main.url}/webhook-waiting/${link.executionId}`)).toBe(true);
		expect(await n8n.executionStatusWithin(link.executionId, 'waiting', 60_000)).toBe('waiting');

		// The customer's browser: the 3DS challenge, then back to n8n's resume URL (on the main).
		const back = await authenticate(link.authenticationUrl, '123456');
		expect(back.searchParams.get('secure_token_id')).toBe(link.secureTokenId);
		// n8n 2.40.7 in queue mode once answered the resume with 500 "There was a problem executing
		// the workflow" (1 run in 8): the execution stays waiting and a reload of the page resumes it.
		// So the browser reloads, at most twice and only while the execution still waits; the
		// statuses it saw are reported.
		const resumeStatuses: number[] = [];
		for (;;) {
			const resumed = await fetch(back, { redirect: 'manual' });
			const answer = { status: resumed.status, text: await resumed.text() };
			resumeStatuses.push(answer.status);
			if (answer.status !== 500 || resumeStatuses.length === 3) {
				expect(answer).toEqual({ status: 200, text: WAIT_RESPONSE_TEXT });
				break;
			}
			expect(await n8n.executionStatusWithin(link.executionId, 'waiting', 5_000)).toBe('waiting');
			await sleep(1_000);
		}

		const execution = await n8n.finishedExecution(link.executionId, 120_000);
		expect(execution.status).toBe('success');
		const run = { status: execution.status, data: execution.data };
		expect(nodeOutput(run, 'Get')[0].json).toMatchObject({ id: link.secureTokenId, verification_status: 'OK' });
		expect(nodeOutput(run, 'Record status').map((item) => item.json)).toEqual([
			{ order: 'QUEUE-3DS', secureTokenId: link.secureTokenId, verificationStatus: 'OK' },
		]);

		// Both halves (before the Wait and after the resume) ran as jobs on a worker, not on the main.
		const ranOn = workerRuns().get(link.executionId) ?? [];
		expect(ranOn).toHaveLength(2);
		expect(executionsStartedIn(state.main.log)).not.toContain(link.executionId);
		summary.threeDs = {
			executionId: link.executionId,
			ranOn,
			seconds: seconds(started),
			resumeStatuses,
			bulkExecutionsUnfinishedWhenItEnded: (await bulkStatuses()).filter(({ status }) => UNFINISHED.includes(status)).length,
		};
	});

	let executions: Execution[] = [];

	it(`runs every 1,000-item execution to success: 1,000 paired SKIPPED tokens each`, async () => {
		executions = await finishedBulkExecutions(state.executions);
		summary.bulkSeconds = seconds(bulkStartedAt);
		expect(executions).toHaveLength(state.executions);
		for (const execution of executions) {
			const error = execution.data.resultData.error?.message;
			expect({ id: execution.id, status: execution.status, mode: execution.mode, error }).toEqual({ id: execution.id, status: 'success', mode: 'webhook', error: undefined });
			const run = { status: execution.status, data: execution.data };
			const items = nodeOutput(run, BULK.createNode);
			expect(items).toHaveLength(BULK.items);
			const wrong = items.filter(
				(item, i) =>
					JSON.stringify(item.pairedItem) !== JSON.stringify({ item: i }) ||
					item.json.resource !== 'secure_token' ||
					item.json.verification_status !== 'SKIPPED',
			);
			expect(wrong.slice(0, 3)).toEqual([]);
			expect(new Set(items.map((item) => item.json.id)).size).toBe(BULK.items);
		}
	});

	it('spreads the executions over both workers, each run exactly once and never on the main', () => {
		expect(state.workers.map((worker) => worker.name)).toEqual(['worker1', 'worker2']);
		const runs = workerRuns();
		const enqueued = executionsEnqueuedIn(state.main.log);
		const perWorker: Record<string, string[]> = Object.fromEntries(state.workers.map((worker) => [worker.name, []]));
		for (const { id } of executions) {
			expect({ id, ranOn: runs.get(id) ?? [] }).toEqual({ id, ranOn: [expect.any(String)] });
			expect(enqueued).toContain(id);
			perWorker[(runs.get(id) ?? [])[0]]?.push(id);
		}
		expect(executionsStartedIn(state.main.log)).toEqual([]);
		summary.bulkExecutionsPerWorker = perWorker;
		const used = Object.fromEntries(Object.entries(perWorker).map(([worker, ids]) => [worker, ids.length > 0]));
		expect(used).toEqual({ worker1: true, worker2: true });
	});

	it('leaves exactly one secure token per item per execution on the sandbox, each created once under its own idempotency key', async () => {
		const tokens = (await sandbox.secureTokens()).filter((token) => token.returnUrl.startsWith(BULK.returnUrl));
		const orders = tokens.map((token) => token.returnUrl.slice(BULK.returnUrl.length));
		const expected = executions.flatMap(({ id }) => Array.from({ length: BULK.items }, (_, i) => `${id}-${i}`));
		expect(tokens).toHaveLength(state.executions * BULK.items);
		expect(new Set(orders).size).toBe(orders.length);
		expect([...orders].sort()).toEqual([...expected].sort());
		expect(tokens.every((token) => token.verificationStatus === 'SKIPPED')).toBe(true);
		// Item i of every execution asked for 1000 + i yen.
		expect(tokens.filter((token) => token.amount !== 1000 + Number(token.returnUrl.split('-').pop()))).toEqual([]);

		// The tokens n8n output are the tokens the sandbox holds.
		const output = executions.flatMap((execution) =>
			nodeOutput({ status: execution.status, data: execution.data }, BULK.createNode).map((item) => item.json.id as string),
		);
		expect([...output].sort()).toEqual(tokens.map((token) => token.id).sort());

		const posts = (await sandbox.apiRequests('POST', '/api/v1/secure_tokens')).filter((request) =>
			String(request.body?.return_url ?? '').startsWith(BULK.returnUrl),
		);
		const keys = posts.map((request) => request.idempotencyKey);
		expect(posts).toHaveLength(state.executions * BULK.items);
		expect(keys.every((key) => typeof key === 'string' && key.length > 0)).toBe(true);
		expect(new Set(keys).size).toBe(keys.length);
		expect(posts.every((request) => request.status === 200 && request.idempotency === 'stored')).toBe(true);
		summary.sandbox = { bulkTokens: tokens.length, bulkPosts: posts.length, uniqueIdempotencyKeys: new Set(keys).size };
	});
});
