/**
 * Every operation of the Subscription, Settlement, Balance, Balance Transaction and Chargeback
 * resources in a real n8n (`n8n execute`, one workflow: support/money-workflows.ts), with the
 * settlement CSV as n8n stores and serves it; then a published KOMOJU Trigger receiving the
 * sandbox's signed subscription.* deliveries (trigger.e2e.ts has the refused signatures).
 */
import { e2eContext } from './support/context';
import { nodeOutput, ranNodes, sleep, type N8nApi } from './support/n8n';
import { CARDS, sandboxControl } from './support/sandbox-client';
import { MONEY_IDS, SUBSCRIPTION_EVENTS, SUBSCRIPTION_TRIGGER_NODE, SUBSCRIPTION_TRIGGER_WEBHOOK_ID } from './support/money-workflows';
import { WEBHOOK_SECRET } from './support/workflows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;

beforeAll(async () => {
	n8n = await e2e.n8n();
});

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

const control = <T>(method: string, path: string, body: unknown, expected: number) => sandboxControl<T>(sandbox.url, method, path, body, expected);

describe('every money operation in one workflow', () => {
	it('subscribes, bills, lists and deletes; accepts a chargeback; settles and downloads the CSV; reads the balance and its ledger', async () => {
		const { run } = await e2e.execute(MONEY_IDS.operations);
		expect(run.status).toBe('success');
		expect(ranNodes(run)).toHaveLength(21);
		const one = (node: string) => {
			const items = nodeOutput(run, node);
			expect({ node, items: items.length }).toEqual({ node, items: 1 });
			return items[0];
		};

		const customer = one('Customer Create').json;
		const subscription = one('Subscription Create').json;
		expect(subscription).toMatchObject({
			resource: 'subscription',
			status: 'active',
			amount: 1200,
			currency: 'JPY',
			period: 'monthly',
			customer: { uuid: customer.id },
			metadata: { plan: 'tea-club' },
			payments: [expect.any(String)],
		});
		expect(one('Subscription Get').json).toMatchObject({ id: subscription.id, payments: subscription.payments });
		const bill = one('Bill the next period').json;
		expect(bill.payment).toMatchObject({ status: 'captured', amount: 1200, customer: customer.id });
		expect(one('Subscription Get Many').json).toMatchObject({ id: subscription.id, payments: [subscription.payments[0], bill.payment.id] });
		expect(one('Subscription Delete').json).toMatchObject({ id: subscription.id, status: 'cancelled' });

		const chargeback = one('Chargeback Get Many').json;
		expect(chargeback).toMatchObject({ payment_id: subscription.payments[0], amount: 1200, status: 'pending' });
		expect(one('Chargeback Get').json).toMatchObject({ id: chargeback.id, status: 'pending', payment: { id: subscription.payments[0] } });
		expect(one('Chargeback Accept').json).toMatchObject({ id: chargeback.id, status: 'accepted' });

		const settlement = one('Settlement Get Many').json;
		expect(one('KOMOJU pays out').json).toMatchObject({ id: settlement.id });
		expect(one('Settlement Get').json).toMatchObject({ id: settlement.id, resource: 'settlement', corrections: { total_cents: -1200 } });
		const withCsv = one('Settlement Get CSV');
		expect(withCsv.json).toMatchObject({ id: settlement.id, resource: 'settlement' });
		expect(withCsv.binary?.data).toMatchObject({ fileName: `settlement-${settlement.id}.csv`, mimeType: 'text/csv', id: expect.any(String) });
		// The file n8n stored is the file KOMOJU sent, byte for byte, as the editor downloads it.
		const stored = await n8n.binaryData(withCsv.binary!.data.id!);
		expect(stored.equals(await sandbox.settlementCsv(settlement.id))).toBe(true);
		const settled = (await sandbox.settlements()).find((s) => s.id === settlement.id)!;
		const rows = nodeOutput(run, 'CSV rows').map((item) => item.json);
		expect(rows.map((row) => row.payment_id)).toEqual(settled.payments);
		expect(rows.filter((row) => subscription.payments.includes(row.payment_id) || row.payment_id === bill.payment.id)).toEqual([
			expect.objectContaining({ payment_id: subscription.payments[0], captured_amount: '1200', chargeback_amount: '1200' }),
			expect.objectContaining({ payment_id: bill.payment.id, captured_amount: '1200', chargeback_amount: '0' }),
		]);

		// Everything in JPY was just settled.
		expect(one('Balance Get').json).toMatchObject({ currency: 'JPY', total_balance_cents: 0 });
		const ledger = nodeOutput(run, 'Balance Transaction Get Many').map((item) => item.json);
		expect(ledger).toHaveLength(3);
		expect(ledger[0]).toMatchObject({ type: 'settlement', amount_cents: -settlement.settlement_amount_cents });
		expect(one('Balance Transaction Get').json).toEqual(ledger[0]);

		// Every POST carried an idempotency key; the card number reached KOMOJU once, in Token Create.
		const posts = await sandbox.apiRequests('POST');
		expect(posts.map((request) => request.path).sort()).toEqual(
			['/api/v1/customers', `/api/v1/chargeback_requests/${chargeback.id}/accept`, '/api/v1/subscriptions', '/api/v1/tokens'].sort(),
		);
		expect(posts.every((request) => typeof request.idempotencyKey === 'string')).toBe(true);
		expect(posts.filter((request) => request.cardNumberSent).map((request) => request.path)).toEqual(['/api/v1/tokens']);
		const { ['Card from a form']: form, ...komojuNodes } = run.data.resultData.runData;
		expect(JSON.stringify(form)).toContain(CARDS.regular);
		expect(JSON.stringify(komojuNodes)).not.toContain(CARDS.regular.slice(4));
	});
});

interface Attempt {
	webhookId: string | null;
	eventType: string;
	source: 'event' | 'ping' | 'send';
	signature: string;
	status: number | null;
	ok: boolean;
}

describe('KOMOJU Trigger on subscription events', () => {
	let productionUrl: string;
	let hookId: string;

	beforeAll(async () => {
		await n8n.publish(MONEY_IDS.subscriptionTrigger);
		productionUrl = `${e2e.state.n8n.url}/webhook/${SUBSCRIPTION_TRIGGER_WEBHOOK_ID}/komoju`;
		const hook = await control<{ id: string }>('POST', '/webhooks', { url: productionUrl, secret: WEBHOOK_SECRET, events: SUBSCRIPTION_EVENTS }, 201);
		hookId = hook.id;
	});

	afterAll(async () => {
		// Other files' subscriptions must not reach this workflow.
		await control('DELETE', `/webhooks/${hookId}`, undefined, 204);
	});

	/** Polls until the workflow has `count` executions; returns their ids. */
	async function executions(count: number, timeoutMs = 30_000): Promise<string[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const ids = await n8n.executionIds(MONEY_IDS.subscriptionTrigger);
			if (ids.length >= count || Date.now() > deadline) return ids;
			await sleep(200);
		}
	}

	/** Polls the sandbox's attempt log until this webhook's answered event deliveries number `count`. */
	async function eventDeliveries(count: number, timeoutMs = 15_000): Promise<Attempt[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const mine = (await control<Attempt[]>('GET', '/deliveries', undefined, 200)).filter((a) => a.webhookId === hookId && a.source === 'event' && a.status !== null);
			if (mine.length >= count || Date.now() > deadline) return mine;
			await sleep(100);
		}
	}

	it('starts the workflow once per signed subscription event, each of the five types, with the subscription as data', async () => {
		const subscribe = async (email: string) => {
			const customer = await sandbox.createCustomer(CARDS.regular, email);
			const { status, body } = await sandbox.api<Json>('POST', '/subscriptions', { customer, amount: 900, currency: 'JPY', period: 'weekly' });
			expect(status).toBe(200);
			return { customer, subscription: body };
		};
		// One runs its course: created, captured, captured again, deleted.
		const kept = await subscribe('kept@example.com');
		expect((await sandbox.billSubscription(kept.subscription.id)).events).toEqual(['payment.captured', 'subscription.captured']);
		expect((await sandbox.api('DELETE', `/subscriptions/${kept.subscription.id}`)).status).toBe(200);
		// The other loses its card: three failed charges, then it is suspended.
		const lapsed = await subscribe('lapsed@example.com');
		expect((await sandbox.api('DELETE', `/customers/${lapsed.customer}`)).status).toBe(200);
		for (let attempt = 0; attempt < 3; attempt++) await sandbox.billSubscription(lapsed.subscription.id);

		const expected = [
			...['subscription.created', 'subscription.captured', 'subscription.captured', 'subscription.deleted'],
			...['subscription.created', 'subscription.captured', 'subscription.failed', 'subscription.failed', 'subscription.failed', 'subscription.suspended'],
		];
		const delivered = await eventDeliveries(expected.length);
		expect(delivered.map((a) => [a.eventType, a.signature, a.status]).sort()).toEqual(expected.map((type) => [type, 'valid', 200]).sort());

		const ids = await executions(expected.length);
		expect(ids).toHaveLength(expected.length);
		const outputs: Json[] = [];
		for (const id of ids) {
			const execution = await n8n.finishedExecution(id);
			expect(execution).toMatchObject({ status: 'success', mode: 'webhook', workflowId: MONEY_IDS.subscriptionTrigger });
			const [item] = nodeOutput({ status: execution.status, data: execution.data }, SUBSCRIPTION_TRIGGER_NODE);
			outputs.push(item.json);
		}
		expect(outputs.map((event) => event.type).sort()).toEqual([...expected].sort());
		for (const event of outputs) {
			expect(event).toMatchObject({ resource: 'event', data: { resource: 'subscription' }, delivery: { event: event.type, signatureVerified: true } });
			expect([kept.subscription.id, lapsed.subscription.id]).toContain(event.data.id);
		}
		expect(outputs.find((event) => event.type === 'subscription.suspended').data).toMatchObject({ id: lapsed.subscription.id, status: 'suspended', retry_count: 3 });
		expect(outputs.find((event) => event.type === 'subscription.deleted').data).toMatchObject({ id: kept.subscription.id, status: 'cancelled' });
	});
});
