import { call, card, control, expectError, Sandbox, startTwoMerchants } from './helpers';

const VISA = '4111111111111111';
const DAY_MS = 24 * 3600 * 1000;

let sb: Sandbox;
beforeAll(async () => {
	sb = await startTwoMerchants();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

/** A captured payment without tax (its total is its amount). */
async function pay(amount: number, extra: Record<string, unknown> = {}, key?: string) {
	const res = await call(sb, 'POST', '/api/v1/payments', { json: { amount, currency: 'JPY', tax: 0, payment_details: card(VISA), ...extra }, key });
	expect(res.status).toBe(200);
	return res.body as { id: string; total: number };
}

const transactions = async (query = '') => (await call(sb, 'GET', `/api/v1/balances/JPY/transactions${query}`)).body;

describe('the ledger: GET /balances/{currency} and its transactions', () => {
	it('books a payment and its fee when captured, each refund, and the payout of a settlement', async () => {
		const payment = await pay(10000);
		await call(sb, 'POST', `/api/v1/payments/${payment.id}/refund`, { json: { amount: 1000 } });
		const before = await call(sb, 'GET', '/api/v1/balances/JPY');
		// 10000 − fee 360 − its tax 36 − refund 1000
		expect(before.body).toMatchObject({
			currency: 'JPY',
			total_balance_cents: 8604,
			payments: { captured_amount_total_cents: 10000, processing_fees_cents: -396, total_cents: 9604 },
			refunds: { refunded_amount_total_cents: -1000, total_cents: -1000 },
			corrections: { total_cents: 0 },
		});
		const settlement = sb.settle();
		expect(settlement.settlement_amount_cents).toBe(8604);
		const after = await call(sb, 'GET', '/api/v1/balances/JPY');
		expect(after.body).toMatchObject({ total_balance_cents: 0, payments: { total_cents: 0 }, refunds: { total_cents: 0 } });

		const list = await transactions();
		expect(list).toMatchObject({ resource: 'list', total: 4 });
		expect(list.data.map((entry: { type: string; amount_cents: number }) => [entry.type, entry.amount_cents])).toEqual([
			['settlement', -8604],
			['refund', -1000],
			['fee', -396],
			['payment', 10000],
		]);
		const [entry] = (await call(sb, 'GET', `/api/v1/balances/JPY/transactions/${list.data[1].id}`)).body;
		expect(entry).toEqual(list.data[1]);
		// The same entries, with the same ids, on every read.
		expect((await transactions()).data).toEqual(list.data);
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it('filters transactions by type and time, and refuses an unknown type, currency or transaction', async () => {
		await pay(500);
		expect((await transactions('?type=fee')).data.map((entry: { type: string }) => entry.type)).toEqual(['fee']);
		expect((await transactions('?end_time=2000-01-01T00:00:00Z')).total).toBe(0);
		expectError(await call(sb, 'GET', '/api/v1/balances/JPY/transactions?type=gift'), 422, 'invalid_parameter', 'type');
		expectError(await call(sb, 'GET', '/api/v1/balances/XXX'), 422, 'invalid_parameter', 'currency');
		expectError(await call(sb, 'GET', '/api/v1/balances/JPY/transactions/zzzzzzzzzzzzzzzzzzzzzzzzz'), 404, 'not_found');
		expect((await call(sb, 'GET', '/api/v1/balances/USD')).body).toMatchObject({ currency: 'USD', total_balance_cents: 0 });
	});

	it('keeps merchants apart', async () => {
		await pay(700, {}, 'sk_test_other');
		expect((await call(sb, 'GET', '/api/v1/balances/JPY')).body.total_balance_cents).toBe(0);
		expect((await call(sb, 'GET', '/api/v1/balances/JPY', { key: 'sk_test_other' })).body.total_balance_cents).toBe(700 - 25 - 2);
	});
});

describe('settlements (POST /__sandbox/settle)', () => {
	it('settles the unsettled payments of one currency once, records settlement.created, and lists and shows them', async () => {
		const first = await pay(1000);
		const settlement = await control(sb, 'POST', '/__sandbox/settle', {});
		expect(settlement.status).toBe(201);
		expect(await control(sb, 'POST', '/__sandbox/settle', {})).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/Nothing to settle/) } } });
		expect(await control(sb, 'POST', '/__sandbox/settle', { currency: 'XXX' })).toMatchObject({ status: 400 });
		const second = await pay(2000);

		const shown = await call(sb, 'GET', `/api/v1/settlements/${settlement.body.id}`);
		expect(shown.body).toEqual(settlement.body);
		expect(shown.body).toMatchObject({ resource: 'settlement', status: 'paid', currency: 'JPY', transaction_amount_cents: 1000, fee_amount_cents: 36, fee_tax_amount_cents: 3 });
		expect(sb.settlements()[0].payments).toEqual([first.id]);
		const next = sb.settle();
		expect(sb.settlements()[1].payments).toEqual([second.id]);

		const list = await call(sb, 'GET', '/api/v1/settlements');
		expect(list.body).toMatchObject({ resource: 'list', total: 2 });
		expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([next.id, settlement.body.id]);
		// The list shows the contract's Settlement; only GET /settlements/{id} adds the section totals.
		expect(list.body.data[0]).not.toHaveProperty('payments');
		expect(sb.events()[0]).toMatchObject({ type: 'settlement.created', data: { id: next.id, resource: 'settlement' } });
		expectError(await call(sb, 'GET', `/api/v1/settlements/${next.id}`, { key: 'sk_test_other' }), 404, 'not_found');
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it('answers the CSV as text/csv, one row per payment, with fields quoted as RFC 4180 wants', async () => {
		const plain = await pay(1000, { external_order_num: 'A-1' });
		const awkward = await pay(2500, { external_order_num: 'B "2", rush' });
		await call(sb, 'POST', `/api/v1/payments/${awkward.id}/refund`, { json: { amount: 500 } });
		const { id } = sb.settle();
		const res = await call(sb, 'GET', `/api/v1/settlements/${id}/csv`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const lines = res.text.split('\r\n');
		expect(lines).toEqual([
			'payment_id,captured_at,external_order_num,currency,captured_amount,refunded_amount,chargeback_amount,fee,fee_tax,net_amount',
			expect.stringMatching(new RegExp(`^${plain.id},\\d{4}-\\d{2}-\\d{2}T[^,]+\\+09:00,A-1,JPY,1000,0,0,36,3,961$`)),
			expect.stringMatching(new RegExp(`^${awkward.id},[^,]+,"B ""2"", rush",JPY,2500,500,0,90,9,1901$`)),
			'',
		]);
		expectError(await call(sb, 'GET', '/api/v1/settlements/nope/csv'), 404, 'not_found');
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it('puts a refund made after its payment was settled into the next settlement, as a row of its own', async () => {
		const payment = await pay(3000);
		sb.settle();
		await call(sb, 'POST', `/api/v1/payments/${payment.id}/refund`, { json: { amount: 1200 } });
		const next = sb.settle();
		expect(next).toMatchObject({ transaction_amount_cents: -1200, fee_amount_cents: 0, settlement_amount_cents: -1200 });
		const csv = (await call(sb, 'GET', `/api/v1/settlements/${next.id}/csv`)).text;
		expect(csv.split('\r\n')[1]).toBe(`${payment.id},,,JPY,0,1200,0,0,0,-1200`);
	});
});

describe('chargebacks (POST /__sandbox/chargebacks)', () => {
	async function chargeback(extra: Record<string, unknown> = {}) {
		const payment = await pay(4000);
		const res = await control(sb, 'POST', '/__sandbox/chargebacks', { payment: payment.id, ...extra });
		expect(res.status).toBe(201);
		return { payment, chargeback: res.body };
	}

	it('opens a pending chargeback on a captured payment, shown as the contract’s ChargebackRequestDetail', async () => {
		const { payment, chargeback: opened } = await chargeback({ reasonCode: '10.4', reason: 'Other fraud' });
		const shown = await call(sb, 'GET', `/api/v1/chargeback_requests/${opened.id}`);
		expect(shown.body).toEqual(opened);
		expect(shown.body).toMatchObject({
			status: 'pending',
			reason_code: '10.4',
			reason: 'Other fraud',
			payment: { id: payment.id, amount: 4000, currency: 'JPY', masked_card_number: '************1111', payment_method: { type: 'credit_card', brand: 'visa', last_four_digits: '1111' } },
			defense: { documents: [] },
		});
		expect(Date.parse(shown.body.due_date) - Date.parse(shown.body.created_at)).toBe(7 * DAY_MS);
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it.each<[string, (paymentId: string) => Record<string, unknown>]>([
		['no payment', () => ({})],
		['an unknown field', (payment) => ({ payment, amount: 1 })],
		['a due date of 0 days', (payment) => ({ payment, dueInDays: 0 })],
	])('refuses to open one with %s', async (_name, input) => {
		const payment = await pay(100);
		expect((await control(sb, 'POST', '/__sandbox/chargebacks', input(payment.id))).status).toBe(400);
		expect(sb.chargebacks()).toHaveLength(0);
	});

	it('refuses a second pending chargeback on a payment, and one on a payment that is not captured', async () => {
		const { payment } = await chargeback();
		expect(await control(sb, 'POST', '/__sandbox/chargebacks', { payment: payment.id })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/already has a pending/) } } });
		const authorized = await call(sb, 'POST', '/api/v1/payments', { json: { amount: 100, currency: 'JPY', tax: 0, capture: false, payment_details: card(VISA) } });
		expect(await control(sb, 'POST', '/__sandbox/chargebacks', { payment: authorized.body.id })).toMatchObject({ status: 400 });
	});

	it('accept: 204 without a body, books the amount out of the balance; accepting again answers 204 and changes nothing', async () => {
		const { chargeback: opened } = await chargeback();
		const accepted = await call(sb, 'POST', `/api/v1/chargeback_requests/${opened.id}/accept`, { idempotencyKey: 'accept-1' });
		expect({ status: accepted.status, text: accepted.text }).toEqual({ status: 204, text: '' });
		const again = await call(sb, 'POST', `/api/v1/chargeback_requests/${opened.id}/accept`, { idempotencyKey: 'accept-2' });
		expect(again.status).toBe(204);
		expect((await call(sb, 'GET', `/api/v1/chargeback_requests/${opened.id}`)).body).toMatchObject({ status: 'accepted', timeline: [{ type: 'created' }, { type: 'accepted' }] });
		expect((await transactions('?type=chargeback')).data.map((entry: { amount_cents: number }) => entry.amount_cents)).toEqual([-4000]);
		expect((await call(sb, 'GET', '/api/v1/balances/JPY')).body.corrections).toEqual({ total_cents: -4000 });
		const settlement = sb.settle();
		expect(settlement).toMatchObject({ transaction_amount_cents: 0, corrections: { total_cents: -4000 } });
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it('expires a pending chargeback at its due date: it can no longer be accepted', async () => {
		const { chargeback: opened } = await chargeback({ dueInDays: 2 });
		sb.advanceClock(2 * DAY_MS + 1000);
		expect((await call(sb, 'GET', `/api/v1/chargeback_requests/${opened.id}`)).body).toMatchObject({ status: 'expired', timeline: [{ type: 'created' }, { type: 'expired' }] });
		expectError(await call(sb, 'POST', `/api/v1/chargeback_requests/${opened.id}/accept`, { idempotencyKey: 'late' }), 422, 'unprocessable_entity');
		expect((await transactions('?type=chargeback')).total).toBe(0);
	});

	it('lists pending chargebacks first, then newest first, with status, payment and due-date filters', async () => {
		const a = await chargeback({ dueInDays: 3 });
		const b = await chargeback({ dueInDays: 10 });
		const c = await chargeback({ dueInDays: 5 });
		await call(sb, 'POST', `/api/v1/chargeback_requests/${c.chargeback.id}/accept`, { idempotencyKey: 'c' });
		const ids = async (query: string) => (await call(sb, 'GET', `/api/v1/chargeback_requests${query}`)).body.data.map((item: { id: string }) => item.id);
		expect(await ids('')).toEqual([b.chargeback.id, a.chargeback.id, c.chargeback.id]);
		expect(await ids('?status=accepted')).toEqual([c.chargeback.id]);
		expect(await ids(`?payment_id=${a.payment.id}`)).toEqual([a.chargeback.id]);
		const dueBy = new Date(Date.parse(a.chargeback.due_date) + DAY_MS).toISOString();
		expect(await ids(`?due_date_end=${encodeURIComponent(dueBy)}`)).toEqual([a.chargeback.id]);
		expectError(await call(sb, 'GET', '/api/v1/chargeback_requests?status=won'), 422, 'invalid_parameter', 'status');
		const [item] = (await call(sb, 'GET', `/api/v1/chargeback_requests?payment_id=${b.payment.id}`)).body.data;
		expect(item).toEqual({
			id: b.chargeback.id,
			payment_id: b.payment.id,
			amount: 4000,
			currency: 'JPY',
			payment_method: { type: 'credit_card', brand: 'visa', last_four_digits: '1111' },
			reason_code: 'CB_Fraud',
			reason: expect.any(String),
			created_at: b.chargeback.created_at,
			due_date: b.chargeback.due_date,
			status: 'pending',
		});
		expect(sb.contractReport().violationCount).toBe(0);
	});

	it('is forgotten by reset(), like settlements and subscriptions', async () => {
		await chargeback();
		sb.settle();
		sb.reset();
		expect([sb.chargebacks(), sb.settlements(), sb.subscriptions()]).toEqual([[], [], []]);
	});
});
