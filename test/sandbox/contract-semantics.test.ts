/**
 * Rules of KOMOJU's contract (its official SDK, restated in shared/komoju-contract) that the
 * sandbox once got wrong: consumption tax, tax-included refunds, unique order numbers, customer
 * and session fields, fraud_details, the error codes of refused transitions and tokens, the
 * payment methods list, and 502 declines. See docs/contract.md.
 */
import { call, card, CARDS, expectError, FUTURE_YEAR, openAuthPage, Sandbox, startTwoMerchants } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startTwoMerchants();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const VISA = '4111111111111111';

async function pay(extra: Record<string, unknown> = {}, opts: { key?: string; idempotencyKey?: string } = {}) {
	return call(sb, 'POST', '/api/v1/payments', { json: { amount: 1000, currency: 'JPY', payment_details: card(VISA), ...extra }, ...opts });
}

async function authorized(extra: Record<string, unknown> = {}) {
	const res = await pay({ capture: false, ...extra });
	expect(res.status).toBe(200);
	return res.body as { id: string; amount: number; tax: number; total: number };
}

const capture = (id: string, json: Record<string, unknown> = {}) => call(sb, 'POST', `/api/v1/payments/${id}/capture`, { json });
const refund = (id: string, json: Record<string, unknown> = {}) => call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json });

describe('tax on POST /payments (CreatePaymentRequestWithPaymentDetailsTax)', () => {
	it('adds 10 % consumption tax when tax is omitted: the docs sample, amount 300 → tax 30, total 330', async () => {
		const res = await pay({ amount: 300 });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ amount: 300, tax: 30, payment_method_fee: 0, total: 330 });
		expect(res.body.total).toBe(res.body.amount + res.body.tax + res.body.payment_method_fee);
	});

	it('treats "auto" like an omitted tax', async () => {
		expect((await pay({ amount: 300, tax: 'auto' })).body).toMatchObject({ amount: 300, tax: 30, total: 330 });
	});

	it.each([
		[999, 'JPY', 99],
		[19, 'JPY', 1],
		[9, 'JPY', 0],
		[0, 'JPY', 0],
		[1234, 'USD', 123],
		[1005, 'KRW', 100],
	])('rounds the automatic tax down to the smallest unit: %i %s → tax %i', async (amount, currency, tax) => {
		const res = await pay({ amount, currency });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ amount, currency, tax, total: amount + tax });
	});

	it('keeps an explicit integer tax, 0 included', async () => {
		expect((await pay({ tax: 0 })).body).toMatchObject({ amount: 1000, tax: 0, total: 1000 });
		expect((await pay({ tax: 80 })).body).toMatchObject({ amount: 1000, tax: 80, total: 1080 });
	});

	it.each([['0'], ['80'], ['AUTO'], ['auto '], [''], [null], [-1], [1.5], [true], [{}]])('refuses tax %j with 422 invalid_parameter tax', async (tax) => {
		expectError(await pay({ tax }), 422, 'invalid_parameter', 'tax');
		expect(sb.payments()).toHaveLength(0);
	});

	it('still accepts a digit-string amount (form values are strings), taxed automatically', async () => {
		expect((await pay({ amount: '300' })).body).toMatchObject({ amount: 300, tax: 30, total: 330 });
	});

	it('in a form body, tax=auto works and tax=0 is refused', async () => {
		const base = `amount=300&currency=JPY&payment_details[type]=credit_card&payment_details[number]=${VISA}&payment_details[month]=8&payment_details[year]=${FUTURE_YEAR}`;
		const auto = await call(sb, 'POST', '/api/v1/payments', { form: `${base}&tax=auto` });
		expect(auto.body).toMatchObject({ amount: 300, tax: 30, total: 330 });
		expectError(await call(sb, 'POST', '/api/v1/payments', { form: `${base}&tax=0` }), 422, 'invalid_parameter', 'tax');
	});

	it('shows the tax-included payment in its event', async () => {
		const res = await pay({ amount: 300 });
		expect(sb.events()[0].data).toMatchObject({ amount: 300, tax: 30, total: 330 });
		expect(sb.events()[0].data).toEqual(res.body);
	});
});

describe('tax on capture (CapturePaymentRequest: amount before tax)', () => {
	it('captures the whole authorization, tax included, when the body is empty', async () => {
		const p = await authorized();
		expect(p).toMatchObject({ amount: 1000, tax: 100, total: 1100 });
		expect((await capture(p.id)).body).toMatchObject({ status: 'captured', amount: 1000, tax: 100, total: 1100 });
	});

	it('recomputes an automatic tax on a partial amount', async () => {
		const p = await authorized();
		expect((await capture(p.id, { amount: 600 })).body).toMatchObject({ amount: 600, tax: 60, total: 660 });
	});

	it('uses an explicit capture tax (integer or "auto")', async () => {
		const a = await authorized();
		expect((await capture(a.id, { amount: 600, tax: 0 })).body).toMatchObject({ amount: 600, tax: 0, total: 600 });
		const b = await authorized({ tax: 80 });
		expect((await capture(b.id, { amount: 500, tax: 'auto' })).body).toMatchObject({ amount: 500, tax: 50, total: 550 });
	});

	it('keeps an explicit tax of the authorization when the capture names none', async () => {
		const whole = await authorized({ tax: 0 });
		expect((await capture(whole.id)).body).toMatchObject({ amount: 1000, tax: 0, total: 1000 });
		const part = await authorized({ tax: 80 });
		expect((await capture(part.id, { amount: 600 })).body).toMatchObject({ amount: 600, tax: 80, total: 680 });
	});

	it('refuses to capture more than was authorized, before or with tax', async () => {
		const noTax = await authorized({ tax: 0 });
		const over = await capture(noTax.id, { tax: 'auto' });
		expectError(over, 422, 'invalid_parameter', 'tax');
		expect(over.body.error.message).toContain('1000 JPY');
		const auto = await authorized();
		expectError(await capture(auto.id, { amount: 1000, tax: 101 }), 422, 'invalid_parameter', 'tax');
		expectError(await capture(auto.id, { amount: 1001, tax: 0 }), 422, 'invalid_parameter', 'amount');
		expectError(await capture(auto.id, { tax: '100' }), 422, 'invalid_parameter', 'tax');
		expect((await call(sb, 'GET', `/api/v1/payments/${auto.id}`)).body).toMatchObject({ status: 'authorized', amount: 1000, tax: 100 });
	});
});

describe('refunds include tax (Refund.amount)', () => {
	it('refunds the total by default', async () => {
		const p = (await pay()).body;
		const res = await refund(p.id);
		expect(res.body).toMatchObject({ status: 'refunded', total: 1100, amount_refunded: 1100, refunds: [expect.objectContaining({ amount: 1100 })] });
		expect(sb.events().map((e) => e.type)).toEqual(['payment.refunded', 'payment.refund.created', 'payment.captured']);
	});

	it('allows partial refunds up to the total; refunded only when the total is refunded', async () => {
		const p = (await pay()).body;
		const first = await refund(p.id, { amount: 1000 });
		expect(first.body).toMatchObject({ status: 'captured', amount_refunded: 1000 });
		const tooMuch = await refund(p.id, { amount: 101 });
		expectError(tooMuch, 422, 'invalid_parameter', 'amount');
		expect(tooMuch.body.error.message).toContain('100 JPY');
		const rest = await refund(p.id);
		expect(rest.body).toMatchObject({ status: 'refunded', amount_refunded: 1100 });
		expect(rest.body.refunds.map((r: { amount: number }) => r.amount)).toEqual([1000, 100]);
	});

	it('refunds what a partial capture charged, tax included', async () => {
		const p = await authorized();
		await capture(p.id, { amount: 600 });
		expect((await refund(p.id)).body).toMatchObject({ status: 'refunded', total: 660, amount_refunded: 660 });
	});
});

describe('external_order_num is unique per merchant', () => {
	it('refuses a second payment with a used number and stores nothing', async () => {
		expect((await pay({ external_order_num: 'order-1' })).status).toBe(200);
		expectError(await pay({ external_order_num: 'order-1', amount: 5 }), 422, 'invalid_parameter', 'external_order_num');
		expect(sb.payments()).toHaveLength(1);
		expect(sb.events()).toHaveLength(1);
		expect((await pay({ external_order_num: 'order-2' })).status).toBe(200);
	});

	it('keeps the number used after the payment is cancelled or refunded', async () => {
		const a = await authorized({ external_order_num: 'c-1' });
		await call(sb, 'POST', `/api/v1/payments/${a.id}/cancel`);
		expectError(await pay({ external_order_num: 'c-1' }), 422, 'invalid_parameter', 'external_order_num');
		const b = (await pay({ external_order_num: 'r-1' })).body;
		await refund(b.id);
		expectError(await pay({ external_order_num: 'r-1' }), 422, 'invalid_parameter', 'external_order_num');
	});

	it('lets another merchant use the same number', async () => {
		expect((await pay({ external_order_num: 'shared' })).status).toBe(200);
		expect((await pay({ external_order_num: 'shared' }, { key: 'sk_test_other' })).status).toBe(200);
	});

	it('does not use up the number on a declined payment', async () => {
		expectError(await pay({ external_order_num: 'retry-1', payment_details: card('4123111111111059') }), 402, 'card_declined');
		expect((await pay({ external_order_num: 'retry-1' })).status).toBe(200);
	});

	it('replays an idempotent retry instead of refusing it; a new key is refused', async () => {
		const first = await pay({ external_order_num: 'idem-1' }, { idempotencyKey: 'k-1' });
		const replay = await pay({ external_order_num: 'idem-1' }, { idempotencyKey: 'k-1' });
		expect(first.status).toBe(200);
		expect(replay.status).toBe(200);
		expect(replay.text).toBe(first.text);
		expect(sb.payments()).toHaveLength(1);
		expectError(await pay({ external_order_num: 'idem-1' }, { idempotencyKey: 'k-2' }), 422, 'invalid_parameter', 'external_order_num');
	});

	it('keeps a session from paying a number that is already used', async () => {
		expect((await pay({ external_order_num: 'o-9' })).status).toBe(200);
		const s = (await call(sb, 'POST', '/api/v1/sessions', { json: { amount: 1000, currency: 'JPY', payment_data: { external_order_num: 'o-9' } } })).body;
		const page = await fetch(sb.sessionPageUrl(s.id), {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ number: VISA, month: '08', year: String(FUTURE_YEAR), verification_value: '123' }).toString(),
			redirect: 'manual',
		});
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('external_order_num');
		expect(sb.payments()).toHaveLength(1);
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body.status).toBe('pending');
	});
});

describe('customers take only the contract fields (CreateCustomerRequest, UpdateCustomerRequest)', () => {
	it('refuses locale on create and update', async () => {
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA), locale: 'ja' } }), 422, 'invalid_parameter', 'locale');
		expect(sb.customers()).toHaveLength(0);
		const c = (await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA), currency: 'JPY', email: 'a@example.com', metadata: { k: 'v' } } })).body;
		expect(c).toMatchObject({ email: 'a@example.com', currency: 'JPY', metadata: { k: 'v' } });
		expect(c).not.toHaveProperty('locale');
		expectError(await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { locale: 'en' } }), 422, 'invalid_parameter', 'locale');
		expect((await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { email: 'b@example.com', currency: 'USD', metadata: {} } })).body).toMatchObject({
			email: 'b@example.com',
			currency: 'USD',
			metadata: {},
		});
	});
});

describe('sessions (CreateSessionRequestWith*Mode, LineItem)', () => {
	const create = (json: Record<string, unknown>) => call(sb, 'POST', '/api/v1/sessions', { json });

	it.each([
		[{ mode: 'customer' }, 'missing_parameter', 'currency'],
		[{ amount: 1000 }, 'missing_parameter', 'currency'],
		[{ amount: 0, currency: 'JPY' }, 'invalid_parameter', 'amount'],
		[{ mode: 'payment', amount: 0, currency: 'JPY' }, 'invalid_parameter', 'amount'],
		[{ mode: 'customer_payment', amount: 0, currency: 'JPY' }, 'invalid_parameter', 'amount'],
		[{ mode: 'customer_payment', currency: 'JPY' }, 'missing_parameter', 'amount'],
		[{ mode: 'customer', amount: 500, currency: 'JPY' }, 'invalid_parameter', 'amount'],
		[{ amount: 1000, currency: 'JPY', line_items: [{ description: 'A', amount: 1, external_product_num: 7 }] }, 'invalid_parameter', 'line_items.0.external_product_num'],
	])('refuses %j with 422 %s %s', async (json, code, param) => {
		expectError(await create(json), 422, code, param);
		expect(sb.sessions()).toHaveLength(0);
	});

	it('creates a customer-mode session with mode and currency only; amount is 0 (or may be sent as 0)', async () => {
		const bare = await create({ mode: 'customer', currency: 'JPY' });
		expect(bare.status).toBe(200);
		expect(bare.body).toMatchObject({ mode: 'customer', amount: 0, currency: 'JPY' });
		expect((await create({ mode: 'customer', currency: 'USD', amount: 0 })).body).toMatchObject({ amount: 0, currency: 'USD' });
	});

	it('takes SDK line items: quantity defaults to 1, no sum rule, external_product_num and image kept', async () => {
		const res = await create({
			amount: 1000,
			currency: 'JPY',
			line_items: [
				{ description: 'Tea', amount: 300 },
				{ description: 'Cup', amount: 150, quantity: 2, external_product_num: 'SKU-1', image: 'https://shop.example/cup.png' },
			],
		});
		expect(res.status).toBe(200);
		expect(res.body.line_items).toEqual([
			{ description: 'Tea', amount: 300, quantity: 1 },
			{ description: 'Cup', amount: 150, quantity: 2, image: 'https://shop.example/cup.png', external_product_num: 'SKU-1' },
		]);
		expect((await create({ mode: 'customer', currency: 'JPY', line_items: [{ description: 'Card on file', amount: 0 }] })).status).toBe(200);
	});
});

describe('fraud_details (FraudDetails: customer_ip and customer_email required)', () => {
	it.each([
		[{ customer_ip: '192.0.2.1' }, 'fraud_details.customer_email'],
		[{ customer_email: 'a@b.example' }, 'fraud_details.customer_ip'],
		[{}, 'fraud_details.customer_ip'],
		[{ customer_ip: '192.0.2.1', customer_email: '' }, 'fraud_details.customer_email'],
	])('refuses %j with 422 missing_parameter %s', async (fraud, param) => {
		expectError(await pay({ fraud_details: fraud }), 422, 'missing_parameter', param);
		expect(sb.payments()).toHaveLength(0);
	});

	it('accepts every FraudDetails field', async () => {
		const fraud = {
			customer_ip: '192.0.2.1', customer_email: 'a@b.example', customer_id: 'u-1', browser_language: 'ja', browser_user_agent: 'UA', browser_session_id: 's-1', phone: '0312345678',
		};
		expect((await pay({ fraud_details: fraud })).status).toBe(200);
	});
});

describe('error codes of refused transitions and unusable tokens', () => {
	it('answers not_capturable, not_refundable and not_cancellable, naming the status', async () => {
		const p = (await pay()).body;
		const cap = await capture(p.id);
		expectError(cap, 422, 'not_capturable');
		expect(cap.body.error.message).toContain('its status is captured');
		expect((await call(sb, 'POST', `/api/v1/payments/${p.id}/cancel`)).body.error).toMatchObject({ code: 'not_cancellable', message: expect.stringContaining('captured') });
		await refund(p.id);
		const again = await refund(p.id);
		expectError(again, 422, 'not_refundable');
		expect(again.body.error.message).toContain('its status is refunded');
	});

	it('answers invalid_token for a used or expired token and an unverified or failed secure token', async () => {
		const token = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA) } })).body;
		expect((await pay({ payment_details: token.id })).status).toBe(200);
		expectError(await pay({ payment_details: token.id }), 422, 'invalid_token', 'payment_details');
		const old = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA) } })).body;
		const request = { amount: 1000, currency: 'JPY', return_url: 'https://shop.example/back' };
		const pending = (await call(sb, 'POST', '/api/v1/secure_tokens', { json: { ...request, payment_details: card(CARDS.visa.successChallenge) } })).body;
		const failed = (await call(sb, 'POST', '/api/v1/secure_tokens', { json: { ...request, payment_details: card(CARDS.visa.failureFrictionless) } })).body;
		await openAuthPage(failed.authentication_url);
		expectError(await pay({ payment_details: pending.id }), 422, 'invalid_token', 'payment_details');
		expectError(await pay({ payment_details: failed.id }), 402, 'invalid_token', 'payment_details');
		sb.advanceClock(24 * 3600 * 1000);
		expectError(await pay({ payment_details: old.id }), 422, 'invalid_token', 'payment_details');
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: old.id } }), 422, 'invalid_token', 'payment_details');
		expectError(await pay({ payment_details: 'no-such-token' }), 404, 'not_found', 'payment_details');
	});
});

describe('GET /payment_methods (ListOfAvailablePaymentMethod)', () => {
	it('is a bare array whose items carry every required AvailablePaymentMethod field', async () => {
		const res = await call(sb, 'GET', '/api/v1/payment_methods');
		expect(res.status).toBe(200);
		expect(Array.isArray(res.body)).toBe(true);
		expect(res.body.length).toBeGreaterThan(0);
		// AvailablePaymentMethod.required in the contract
		for (const item of res.body) {
			for (const key of ['name_en', 'name_ja', 'name_ko', 'type_slug', 'currency']) expect(typeof item[key]).toBe('string');
		}
		expect(res.body[0]).toEqual({ type_slug: 'credit_card', currency: 'JPY', name_en: 'Credit Card', name_ja: 'クレジットカード', name_ko: '신용카드' });
	});
});

describe('card declines as HTTP 502 (KOMOJU plugins handle both)', () => {
	it('gives a 502 decline through a status fault, creating nothing; the next request is normal', async () => {
		const decline = { error: { code: 'insufficient_funds', message: 'The card has insufficient funds.', param: null, details: {} } };
		sb.injectFault({ method: 'POST', path: '/api/v1/payments', exact: true, action: { status: 502, body: decline } });
		const res = await pay({}, { idempotencyKey: 'decline-1' });
		expect(res.status).toBe(502);
		expect(res.headers.get('content-type')).toContain('application/json');
		expect(res.body).toEqual(decline);
		expect(sb.payments()).toHaveLength(0);
		expect(sb.events()).toHaveLength(0);
		// a fault stores no idempotent result: the retry with the same key is processed
		expect((await pay({}, { idempotencyKey: 'decline-1' })).status).toBe(200);
		expectError(await pay({ payment_details: card('4123111111111000') }), 402, 'insufficient_funds');
	});
});
