import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox } from '../../sandbox/server';
import { waitUntil } from '../wait';
import { call, card, control, expectError, Sandbox, startTwoMerchants } from './helpers';

const VISA = '4111111111111111';
/** 2027-01-31 10:00 in Japan: a month later has no 31st. */
const JAN_31_JST = Date.parse('2027-01-31T10:00:00+09:00');

let sb: Sandbox;
beforeAll(async () => {
	sb = await startTwoMerchants();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

async function customer(sandbox: Sandbox = sb, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
	const res = await call(sandbox, 'POST', '/api/v1/customers', { json: { email: 'sub@example.com', payment_details: card(VISA), ...extra }, headers });
	expect(res.status).toBe(200);
	return res.body.id as string;
}

const subscribe = (json: Record<string, unknown>, sandbox: Sandbox = sb, key?: string) =>
	call(sandbox, 'POST', '/api/v1/subscriptions', { json: { amount: 1500, currency: 'JPY', period: 'monthly', ...json }, key });

describe('POST /subscriptions', () => {
	it('answers the contract’s Subscription and charges the first period with the stored card', async () => {
		const customerId = await customer();
		const res = await subscribe({ customer: customerId, metadata: { plan: 'basic' } });
		expect(res.status).toBe(200);
		const [payment] = sb.payments();
		expect(res.body).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{25}$/),
			resource: 'subscription',
			status: 'active',
			amount: 1500,
			currency: 'JPY',
			customer: {
				id: expect.any(Number),
				uuid: customerId,
				merchant_id: 1,
				created_at: expect.any(String),
				updated_at: expect.any(String),
				email: 'sub@example.com',
				currency: 'JPY',
				locale: 'ja',
				name: 'Taro Test',
				phone: null,
				archived_at: null,
			},
			period: 'monthly',
			day: expect.any(Number),
			payment_details: { type: 'credit_card', month: '08', year: String(card(VISA).year), email: 'sub@example.com' },
			retry_count: 0,
			retry_at: null,
			next_capture_at: expect.stringMatching(/\+09:00$/),
			created_at: expect.any(String),
			ended_at: null,
			metadata: { plan: 'basic' },
			payments: [payment.id],
		});
		expect(payment).toMatchObject({ status: 'captured', amount: 1500, tax: 0, total: 1500, customer: customerId, paidWith: 'customer' });
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it.each<[string, Record<string, unknown>, number, string, string]>([
		['no customer', {}, 422, 'missing_parameter', 'customer'],
		['an unknown parameter', { customer: 'x', tax: 0 }, 422, 'invalid_parameter', 'tax'],
		['no period', { customer: 'x', period: undefined }, 422, 'missing_parameter', 'period'],
		['a daily period', { customer: 'x', period: 'daily' }, 422, 'invalid_parameter', 'period'],
		['a negative amount', { customer: 'x', amount: -1 }, 422, 'invalid_parameter', 'amount'],
		['an unknown customer', { customer: 'zzzzzzzzzzzzzzzzzzzzzzzzz' }, 404, 'not_found', 'customer'],
	])('refuses %s and creates nothing', async (_name, json, status, code, param) => {
		expectError(await subscribe(json), status, code, param);
		expect(sb.subscriptions()).toHaveLength(0);
		expect(sb.payments()).toHaveLength(0);
	});

	it('refuses a customer whose card cannot pay (402 insufficient_funds): nothing is created or charged', async () => {
		const customerId = await customer(sb, {}, { 'Komoju-Scenario': 'insufficient_funds' });
		expectError(await subscribe({ customer: customerId }), 402, 'insufficient_funds');
		expect(sb.subscriptions()).toHaveLength(0);
		expect(sb.payments()).toHaveLength(0);
	});

	it('does not let one merchant subscribe another merchant’s customer, or see its subscriptions', async () => {
		const customerId = await customer();
		expectError(await subscribe({ customer: customerId }, sb, 'sk_test_other'), 404, 'not_found', 'customer');
		const mine = await subscribe({ customer: customerId });
		expectError(await call(sb, 'GET', `/api/v1/subscriptions/${mine.body.id}`, { key: 'sk_test_other' }), 404, 'not_found');
		expect((await call(sb, 'GET', '/api/v1/subscriptions', { key: 'sk_test_other' })).body).toMatchObject({ resource: 'subscription_list', total: 0, data: [] });
	});
});

describe('GET and DELETE /subscriptions', () => {
	it('lists as subscription_list, newest first, and reads one', async () => {
		const customerId = await customer();
		const first = await subscribe({ customer: customerId, amount: 100 });
		const second = await subscribe({ customer: customerId, amount: 200 });
		const list = await call(sb, 'GET', '/api/v1/subscriptions?per_page=1');
		expect(list.body).toMatchObject({ resource: 'subscription_list', total: 2, per_page: 1, last_page: 2, data: [{ id: second.body.id }] });
		expect((await call(sb, 'GET', `/api/v1/subscriptions/${first.body.id}`)).body).toEqual(first.body);
	});

	it('deletes: cancelled with ended_at, readable afterwards; a second delete changes and records nothing', async () => {
		const customerId = await customer();
		const { body } = await subscribe({ customer: customerId });
		const deleted = await call(sb, 'DELETE', `/api/v1/subscriptions/${body.id}`);
		expect(deleted.body).toMatchObject({ id: body.id, status: 'cancelled', ended_at: expect.any(String), retry_at: null });
		const again = await call(sb, 'DELETE', `/api/v1/subscriptions/${body.id}`);
		expect(again.body).toEqual(deleted.body);
		expect((await call(sb, 'GET', `/api/v1/subscriptions/${body.id}`)).body).toEqual(deleted.body);
		expect(sb.events().filter((event) => event.type === 'subscription.deleted')).toHaveLength(1);
	});
});

describe('billing a period (POST /__sandbox/subscriptions/{id}/bill)', () => {
	let fixed: Sandbox;
	let clock = JAN_31_JST;
	beforeAll(async () => {
		fixed = await startSandbox({ now: () => clock });
	});
	afterAll(() => fixed.close());
	beforeEach(() => {
		fixed.reset();
		clock = JAN_31_JST;
	});

	it('charges each period and moves next_capture_at to the anchor day, the month’s last day when it has none', async () => {
		const customerId = await customer(fixed);
		const { body } = await subscribe({ customer: customerId }, fixed);
		expect(body).toMatchObject({ day: 31, created_at: '2027-01-31T10:00:00.000+09:00', next_capture_at: '2027-02-28T10:00:00.000+09:00' });
		const billed = await control(fixed, 'POST', `/__sandbox/subscriptions/${body.id}/bill`);
		expect(billed.status).toBe(200);
		expect(billed.body.events).toEqual(['payment.captured', 'subscription.captured']);
		expect(billed.body.payment).toMatchObject({ status: 'captured', amount: 1500, customer: customerId });
		expect(billed.body.subscription).toMatchObject({ next_capture_at: '2027-03-31T10:00:00.000+09:00', payments: [body.payments[0], billed.body.payment.id] });
		expect(fixed.billSubscription(body.id).subscription.next_capture_at).toBe('2027-04-30T10:00:00.000+09:00');
	});

	it.each([
		['weekly', '2027-02-07T10:00:00.000+09:00', 7],
		['yearly', '2028-01-31T10:00:00.000+09:00', 31],
	])('a %s subscription is due %s', async (period, next, day) => {
		const { body } = await subscribe({ customer: await customer(fixed), period }, fixed);
		expect(body).toMatchObject({ period, day, next_capture_at: next });
	});

	it('records subscription.failed with a retry a day later, and suspends after the third failure in a row', async () => {
		const customerId = await customer(fixed);
		const { body } = await subscribe({ customer: customerId }, fixed);
		await call(fixed, 'DELETE', `/api/v1/customers/${customerId}`);
		const first = fixed.billSubscription(body.id);
		expect(first).toMatchObject({ payment: null, events: ['subscription.failed'], subscription: { status: 'active', retry_count: 1, retry_at: '2027-02-01T10:00:00.000+09:00', next_capture_at: body.next_capture_at } });
		fixed.billSubscription(body.id);
		const third = fixed.billSubscription(body.id);
		expect(third).toMatchObject({ events: ['subscription.failed', 'subscription.suspended'], subscription: { status: 'suspended', retry_count: 3, retry_at: null } });
		// The deleted customer is shown as it was last charged.
		expect(third.subscription.customer).toEqual(body.customer);
		expect(fixed.payments()).toHaveLength(1);
		expect(await control(fixed, 'POST', `/__sandbox/subscriptions/${body.id}/bill`)).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/suspended/) } } });
		expect(await control(fixed, 'POST', '/__sandbox/subscriptions/nope/bill')).toMatchObject({ status: 404 });
		expect(fixed.contractReport().violationCount).toBe(0);
	});

	it('a charge after a failure resets retry_count; an expired card fails', async () => {
		const customerId = await customer(fixed, { payment_details: card(VISA, { month: 2, year: 2027 }) });
		const { body } = await subscribe({ customer: customerId }, fixed);
		clock = Date.parse('2027-03-01T10:00:00+09:00');
		expect(fixed.billSubscription(body.id).subscription.retry_count).toBe(1);
		await call(fixed, 'PATCH', `/api/v1/customers/${customerId}`, { json: { payment_details: card(VISA) } });
		const recovered = fixed.billSubscription(body.id);
		expect(recovered.subscription).toMatchObject({ retry_count: 0, retry_at: null, next_capture_at: '2027-03-31T10:00:00.000+09:00' });
		expect(recovered.subscription.payment_details.month).toBe('08');
	});
});

describe('subscription events and webhooks', () => {
	let receiver: http.Server;
	let url: string;
	const received: Array<{ headers: http.IncomingHttpHeaders; raw: Buffer }> = [];
	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => {
		receiver.closeAllConnections();
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('records subscription.* events with the subscription as data, delivered signed to subscribed webhooks', async () => {
		received.length = 0;
		sb.registerWebhook({ url, secret: 'whsec_sub', events: ['subscription.created', 'subscription.captured', 'subscription.deleted'] });
		const { body } = await subscribe({ customer: await customer() });
		sb.billSubscription(body.id);
		await call(sb, 'DELETE', `/api/v1/subscriptions/${body.id}`);
		await sb.waitForDeliveries();
		const deliveries = await waitUntil('five deliveries', () => (received.length === 5 ? received : undefined));
		// Deliveries run side by side and may arrive in any order.
		expect(deliveries.map((d) => d.headers['x-komoju-event']).sort()).toEqual(['ping', 'subscription.captured', 'subscription.captured', 'subscription.created', 'subscription.deleted']);
		for (const { headers, raw } of deliveries) {
			expect(headers['x-komoju-signature']).toBe(createHmac('sha256', 'whsec_sub').update(raw).digest('hex'));
		}
		const deleted = JSON.parse(deliveries.find((d) => d.headers['x-komoju-event'] === 'subscription.deleted')!.raw.toString('utf8'));
		expect(deleted).toMatchObject({ type: 'subscription.deleted', resource: 'event', data: { id: body.id, resource: 'subscription', status: 'cancelled' } });
		const listed = await call(sb, 'GET', '/api/v1/events');
		expect(listed.body.data.map((event: { type: string }) => event.type).slice(0, 3)).toEqual(['subscription.deleted', 'subscription.captured', 'payment.captured']);
		expect(sb.contractReport().violationCount).toBe(0);
	});
});
