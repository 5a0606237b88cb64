/**
 * The compatibility smoke, once per n8n version of versions.ts, each in its own user folder and
 * `n8n start` on its own port (instance.ts), one version after the other, all against the run's
 * one sandbox:
 *   1. the package's nodes are loaded, and which examples' node types and versions this n8n has
 *      (compared with examples.ts, the table examples/README.md shows);
 *   2. the credential's Test (POST /rest/credentials/test);
 *   3. Secure Token Create (card) → the sandbox's 3DS page → Get: OK (the e2e's 3DS workflow:
 *      Webhook → Create → Respond to Webhook → Wait → Get);
 *   4. Payment → Create from a saved customer: captured (through a webhook);
 *   5. the KOMOJU Trigger, published, receiving one signed event from the sandbox: one execution.
 * A version whose install or setup failed fails each of its tests with that error.
 */
import { N8nApi, nodeOutput, sleep } from '../e2e/support/n8n';
import { authenticate, basicAuth, CARDS, sandboxControl, SandboxClient, SECRET_KEY } from '../e2e/support/sandbox-client';
import {
	CREDENTIALS,
	exampleFiles,
	IDS,
	loadExample,
	THREE_DS_WEBHOOK_PATH,
	TRIGGER_EVENTS,
	TRIGGER_NODE,
	TRIGGER_WEBHOOK_ID,
	WEBHOOK_SECRET,
} from '../e2e/support/workflows';
import { EXAMPLE_GAPS, missingNodeVersions, type NodeDescription } from './examples';
import { publish, startInstance, type Instance } from './instance';
import { loadCompatState } from './state';
import { PAY_CUSTOMER_ID, PAY_CUSTOMER_PATH } from './workflows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const state = loadCompatState();
const sandbox = new SandboxClient(state.sandbox.url);
const control = <T>(method: string, path: string, body: unknown, expected: number) => sandboxControl<T>(sandbox.url, method, path, body, expected);

/** Polls `probe` until it returns something (bounded); throws with `what` when time is up. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await probe();
		if (found !== undefined) return found;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
		await sleep(200);
	}
}

it('runs every version of the matrix', () => {
	expect(state.versions.length).toBeGreaterThan(0);
	process.stdout.write(`[compat] versions: ${state.versions.map((v) => `${v.n8n}/${v.node}${v.setupError ? ' (setup FAILED)' : ''}`).join(', ')}\n`);
});

describe.each(state.versions)('n8n $n8n on Node $node', (version) => {
	let instance: Instance;
	let api: N8nApi;

	beforeAll(async () => {
		if (version.setupError) throw new Error(`n8n ${version.n8n} (Node ${version.node}) could not be installed or set up:\n${version.setupError}`);
		instance = await startInstance(version);
		api = instance.api;
	}, 240_000);

	afterAll(async () => {
		await instance?.stop();
		// The next version registers its own trigger URL.
		await control('DELETE', '/webhooks', undefined, 204);
	}, 60_000);

	beforeEach(async () => {
		await sandbox.clearFaults();
		await sandbox.clearRequests();
	});

	it('loads the package’s nodes; the examples’ node types and versions are as examples/README.md says', async () => {
		const response = await api.request('GET', '/types/nodes.json');
		expect(response.status).toBe(200);
		const types = response.body as NodeDescription[];
		expect(types.map((t) => t.name).filter((name) => name.startsWith('n8n-nodes-komoju.')).sort()).toEqual([
			'n8n-nodes-komoju.komoju',
			'n8n-nodes-komoju.komojuEventsTrigger',
			'n8n-nodes-komoju.komojuTool',
			'n8n-nodes-komoju.komojuTrigger',
		]);
		const gaps = Object.fromEntries(exampleFiles().map((file) => [file, missingNodeVersions(loadExample(file), types)]));
		expect(gaps).toEqual(EXAMPLE_GAPS[version.n8n]);
	});

	it('passes the credential’s Test', async () => {
		const result = await api.data('POST', '/rest/credentials/test', {
			credentials: { ...CREDENTIALS.komoju, type: 'komojuApi', data: { secretKey: SECRET_KEY, baseUrl: sandbox.url, apiVersion: '2025-01-28' } },
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const requests = await sandbox.apiRequests('GET', '/api/v1/payments');
		expect(requests.map((r) => [r.query, r.status, r.headers.authorization])).toEqual([[{ per_page: '1' }, 200, basicAuth(SECRET_KEY)]]);
	});

	it('Secure Token Create (card) → the sandbox’s 3DS page → Get: OK', async () => {
		await publish(api, IDS.threeDs);
		const order = `COMPAT-3DS-${version.n8n}`;
		const started = await fetch(`${instance.url}/webhook/${THREE_DS_WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ order, amount: 4200, card: CARDS.challengeOk }),
		});
		const text = await started.text();
		expect({ status: started.status, text }).toEqual({ status: 200, text: expect.stringContaining('authenticationUrl') });
		const link = JSON.parse(text) as { executionId: string; secureTokenId: string; authenticationUrl: string; resumeUrl: string };
		expect(link.authenticationUrl).toBe(`${sandbox.url}/three_d_secure_service/offsite?token=${link.secureTokenId}`);
		// Respond to Webhook answers before the Wait node has put the execution to sleep.
		expect(await api.executionStatusWithin(link.executionId, 'waiting', 30_000)).toBe('waiting');

		const location = await authenticate(link.authenticationUrl, '123456');
		expect(location.href).toBe(`${link.resumeUrl}${link.resumeUrl.includes('?') ? '&' : '?'}secure_token_id=${link.secureTokenId}`);
		const resumed = await fetch(location, { redirect: 'manual' });
		expect(resumed.status).toBe(200);

		const execution = await api.finishedExecution(link.executionId, 60_000);
		expect(execution.status).toBe('success');
		const run = { status: execution.status, data: execution.data };
		expect(nodeOutput(run, 'Get').map((item) => item.json)).toEqual([
			expect.objectContaining({ id: link.secureTokenId, resource: 'secure_token', verification_status: 'OK' }),
		]);
		expect(nodeOutput(run, 'Record status').map((item) => item.json)).toEqual([{ order, secureTokenId: link.secureTokenId, verificationStatus: 'OK' }]);
	});

	it('Payment → Create from a saved customer: captured', async () => {
		await publish(api, PAY_CUSTOMER_ID);
		const order = `COMPAT-PAY-${version.n8n}`;
		const response = await fetch(`${instance.url}/webhook/${PAY_CUSTOMER_PATH}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ order, amount: 1800 }),
		});
		const text = await response.text();
		expect(response.status).toBe(200);
		const payment = JSON.parse(text) as Json;
		expect(payment).toMatchObject({
			resource: 'payment',
			status: 'captured',
			amount: 1800,
			tax: 0,
			total: 1800,
			currency: 'JPY',
			customer: state.fixtures.customerId,
			external_order_num: order,
		});
		const posts = await sandbox.apiRequests('POST', '/api/v1/payments');
		expect(posts.map((r) => [r.body.customer, r.body.amount, r.status])).toEqual([[state.fixtures.customerId, 1800, 200]]);
		expect(posts[0].idempotencyKey).toEqual(expect.any(String));
		expect(posts[0].headers.authorization).toBe(basicAuth(SECRET_KEY));
	});

	it('KOMOJU Trigger, published: one signed event from the sandbox starts one execution', async () => {
		await publish(api, IDS.trigger);
		const url = `${instance.url}/webhook/${TRIGGER_WEBHOOK_ID}/komoju`;
		await control('DELETE', '/webhooks', undefined, 204);
		await control('DELETE', '/deliveries', undefined, 204);
		const hook = await control<{ id: string }>('POST', '/webhooks', { url, secret: WEBHOOK_SECRET, events: TRIGGER_EVENTS }, 201);
		type Attempt = { webhookId: string | null; source: string; eventType: string; eventId: string | null; deliveryId: string; status: number | null; signature: string };
		const attempt = (match: (a: Attempt) => boolean) =>
			until('delivery attempt', async () => (await control<Attempt[]>('GET', '/deliveries', undefined, 200)).find((a) => a.webhookId === hook.id && match(a)));
		const ping = await attempt((a) => a.source === 'ping');
		expect(ping).toMatchObject({ eventType: 'ping', signature: 'valid', status: 200 });

		const customerId = await sandbox.createCustomer(CARDS.regular, `trigger-${version.n8n}@example.com`);
		const delivery = await attempt((a) => a.eventType === 'customer.created');
		expect(delivery).toMatchObject({ source: 'event', signature: 'valid', status: 200 });

		const ids = await until('an execution of the trigger workflow', async () => {
			const found = await api.executionIds(IDS.trigger);
			return found.length > 0 ? found : undefined;
		});
		expect(ids).toHaveLength(1);
		const execution = await api.finishedExecution(ids[0]);
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook', workflowId: IDS.trigger });
		const output = nodeOutput({ status: execution.status, data: execution.data }, TRIGGER_NODE);
		expect(output.map((item) => item.json)).toEqual([
			expect.objectContaining({
				id: delivery.eventId,
				type: 'customer.created',
				data: expect.objectContaining({ id: customerId, resource: 'customer' }),
				delivery: { id: delivery.deliveryId, event: 'customer.created', signatureVerified: true },
			}),
		]);
		// The ping and the event, each delivered once: still exactly one execution.
		const mine = (await control<Attempt[]>('GET', '/deliveries', undefined, 200)).filter((a) => a.webhookId === hook.id);
		expect(mine.map((a) => [a.source, a.eventType, a.status])).toEqual([
			['ping', 'ping', 200],
			['event', 'customer.created', 200],
		]);
		expect(await api.executionIds(IDS.trigger)).toEqual(ids);
	});
});
