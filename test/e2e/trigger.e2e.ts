/**
 * The KOMOJU Trigger in the running `n8n start`, fed by the sandbox's signed webhooks:
 * the sandbox's webhook is registered with the trigger's production URL and the credential's
 * secret, so a customer created through the API reaches n8n as a signed `customer.created`.
 * Executions are counted through n8n's REST API (GET /rest/executions for the workflow).
 */
import { e2eContext } from './support/context';
import { nodeOutput, sleep, type N8nApi } from './support/n8n';
import { CARDS, sandboxControl } from './support/sandbox-client';
import { IDS, TRIGGER_EVENTS, TRIGGER_NODE, TRIGGER_WEBHOOK_ID, WEBHOOK_SECRET } from './support/workflows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Attempt {
	seq: number;
	deliveryId: string;
	webhookId: string | null;
	url: string;
	eventId: string | null;
	eventType: string;
	source: 'event' | 'ping' | 'send';
	signature: 'valid' | 'wrong' | 'missing' | 'tampered';
	attempt: number;
	redelivery: boolean;
	status: number | null;
	error: string | null;
	ok: boolean;
}

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;
let productionUrl: string;

const control = <T>(method: string, path: string, body: unknown, expected: number) => sandboxControl<T>(sandbox.url, method, path, body, expected);

const deliveries = () => control<Attempt[]>('GET', '/deliveries', undefined, 200);

/** Polls the sandbox's attempt log until `match` finds an answered attempt. */
async function waitForAttempt(match: (attempt: Attempt) => boolean, timeoutMs = 15_000): Promise<Attempt> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = (await deliveries()).find(match);
		if (found) return found;
		if (Date.now() > deadline) throw new Error(`no such delivery attempt after ${timeoutMs / 1000} s: ${JSON.stringify(await deliveries())}`);
		await sleep(100);
	}
}

const executionIds = () => n8n.executionIds(IDS.trigger);

/** Polls until the workflow has `count` executions; returns their ids (newest first). */
async function waitForExecutions(count: number, timeoutMs = 15_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const ids = await executionIds();
		if (ids.length >= count || Date.now() > deadline) return ids;
		await sleep(200);
	}
}

/**
 * Runs `deliver` and checks that it started nothing. n8n answers a trigger's webhook before the
 * execution is saved, so the check comes after a pause long enough for a started execution to
 * show up (one does in well under a second here), and again at the end by the control delivery
 * that does start one. Relative to the executions before, so one failure does not cascade.
 */
async function expectNothingStarted<T>(deliver: () => Promise<T>): Promise<T> {
	const before = await executionIds();
	const result = await deliver();
	await sleep(1500);
	expect(await executionIds()).toEqual(before);
	return result;
}

function paymentCaptured(id: string): Json {
	return {
		id,
		type: 'payment.captured',
		resource: 'event',
		data: { id: `pay_${id}`, resource: 'payment', status: 'captured', amount: 1200, currency: 'JPY' },
		created_at: new Date().toISOString(),
		reason: null,
	};
}

const send = (event: Json, signature?: Attempt['signature']) =>
	control<Attempt>('POST', '/webhooks/send', { url: productionUrl, secret: WEBHOOK_SECRET, event, ...(signature ? { signature } : {}) }, 200);

let hookId: string;
let customerDelivery: Attempt;

beforeAll(async () => {
	n8n = await e2e.n8n();
	await n8n.publish(IDS.trigger);
	productionUrl = `${e2e.state.n8n.url}/webhook/${TRIGGER_WEBHOOK_ID}/komoju`;
	await control('DELETE', '/webhooks', undefined, 204);
	await control('DELETE', '/deliveries', undefined, 204);
});

afterAll(async () => {
	// Other files create customers too: their events must not reach this workflow.
	await control('DELETE', '/webhooks', undefined, 204);
});

describe('KOMOJU Trigger with the sandbox’s signed webhooks', () => {
	it('acknowledges the ping without starting the workflow, then starts it once for customer.created', async () => {
		expect(await executionIds()).toEqual([]);

		const hook = await control<{ id: string; url: string; events: string[] }>(
			'POST',
			'/webhooks',
			{ url: productionUrl, secret: WEBHOOK_SECRET, events: TRIGGER_EVENTS },
			201,
		);
		hookId = hook.id;
		expect(hook).toMatchObject({ url: productionUrl, events: TRIGGER_EVENTS });

		const ping = await waitForAttempt((a) => a.webhookId === hookId && a.source === 'ping');
		expect(ping).toMatchObject({ eventType: 'ping', signature: 'valid', status: 200, ok: true, attempt: 1 });
		await sleep(1500);
		expect(await executionIds()).toEqual([]);

		const customerId = await sandbox.createCustomer(CARDS.regular, 'trigger@example.com');
		customerDelivery = await waitForAttempt((a) => a.webhookId === hookId && a.eventType === 'customer.created');
		expect(customerDelivery).toMatchObject({ source: 'event', signature: 'valid', status: 200, ok: true, attempt: 1, redelivery: false });

		const ids = await waitForExecutions(1);
		expect(ids).toHaveLength(1);
		const execution = await n8n.finishedExecution(ids[0]);
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook', workflowId: IDS.trigger });
		const output = nodeOutput({ status: execution.status, data: execution.data }, TRIGGER_NODE);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			id: customerDelivery.eventId,
			type: 'customer.created',
			resource: 'event',
			data: { id: customerId, resource: 'customer', email: 'trigger@example.com' },
			delivery: { id: customerDelivery.deliveryId, event: 'customer.created', signatureVerified: true },
		});
		expect(nodeOutput({ status: execution.status, data: execution.data }, 'Received')).toHaveLength(1);

		// Only the ping and the customer's event were delivered, each once.
		const mine = (await deliveries()).filter((a) => a.webhookId === hookId);
		expect(mine.map((a) => [a.source, a.eventType, a.status])).toEqual([
			['ping', 'ping', 200],
			['event', 'customer.created', 200],
		]);
	});

	it('acknowledges a redelivery of the same delivery without starting the workflow again', async () => {
		if (!customerDelivery) throw new Error('no customer.created delivery to redeliver (see the test before)');
		const before = await executionIds();
		const redelivered = await expectNothingStarted(() =>
			control<Attempt>('POST', `/deliveries/${customerDelivery.deliveryId}/redeliver`, undefined, 200),
		);
		expect(before).toHaveLength(1);
		expect(redelivered).toMatchObject({
			deliveryId: customerDelivery.deliveryId,
			eventId: customerDelivery.eventId,
			redelivery: true,
			attempt: 2,
			status: 200,
			ok: true,
		});
	});

	it.each(['wrong', 'missing', 'tampered'] as const)('answers 401 to a selected event with signature %s and starts nothing', async (signature) => {
		const attempt = await expectNothingStarted(() => send(paymentCaptured(`evt_e2e_${signature}`), signature));
		expect(attempt).toMatchObject({ source: 'send', signature, eventType: 'payment.captured', status: 401, ok: false, error: 'HTTP 401' });
	});

	it('acknowledges an event that is not selected without starting the workflow', async () => {
		const attempt = await expectNothingStarted(() => send({ ...paymentCaptured('evt_e2e_not_selected'), type: 'payment.refunded' }));
		expect(attempt).toMatchObject({ signature: 'valid', eventType: 'payment.refunded', status: 200, ok: true });
	});

	it('control: a validly signed selected event sent the same way starts exactly one more execution', async () => {
		// The same event id as the rejected ones: a rejected delivery must not count for deduplication.
		const before = await executionIds();
		const attempt = await send(paymentCaptured('evt_e2e_wrong'));
		expect(attempt).toMatchObject({ signature: 'valid', eventType: 'payment.captured', status: 200, ok: true });
		const ids = await waitForExecutions(before.length + 1);
		expect(ids.slice(1)).toEqual(before);
		const execution = await n8n.finishedExecution(ids[0]);
		expect(execution.status).toBe('success');
		expect(nodeOutput({ status: execution.status, data: execution.data }, TRIGGER_NODE)[0].json).toMatchObject({
			id: 'evt_e2e_wrong',
			type: 'payment.captured',
			delivery: { id: attempt.deliveryId, event: 'payment.captured', signatureVerified: true },
		});
		// Nothing else turned up late: in all, the customer's event and this one.
		await sleep(1500);
		expect(await executionIds()).toEqual(ids);
		expect(ids).toHaveLength(2);
	});

	it('skips every redelivery of three distinct events, and an old body sent again with a new X-Komoju-ID', async () => {
		const before = await executionIds();
		const redeliver = (attempt: Attempt) => control<Attempt>('POST', `/deliveries/${attempt.deliveryId}/redeliver`, undefined, 200);
		const sent: Array<{ event: Json; attempt: Attempt }> = [];
		for (const id of ['evt_e2e_dedupe_1', 'evt_e2e_dedupe_2', 'evt_e2e_dedupe_3']) {
			const event = paymentCaptured(id);
			const attempt = await send(event);
			expect(attempt).toMatchObject({ status: 200, ok: true });
			expect(await waitForExecutions(before.length + sent.length + 1)).toHaveLength(before.length + sent.length + 1);
			sent.push({ event, attempt });
			expect(await expectNothingStarted(() => redeliver(attempt))).toMatchObject({ redelivery: true, status: 200 });
		}
		// Every earlier delivery again, and the first event's body under a new delivery id.
		for (const { attempt } of sent) await expectNothingStarted(() => redeliver(attempt));
		const replay = await expectNothingStarted(() => send(sent[0].event));
		expect(replay.deliveryId).not.toBe(sent[0].attempt.deliveryId);
		expect(await executionIds()).toHaveLength(before.length + 3);
	});
});
