import { ALL_TEST_NUMBERS, call, card, CARDS, control, FUTURE_YEAR, openAuthPage, PUBLISHABLE, expectError, Sandbox, startTwoMerchants, submitPassword, tokenRequest } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startTwoMerchants();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const VISA = '4111111111111111';

async function pay(extra: Record<string, unknown> = {}, opts: { headers?: Record<string, string>; idempotencyKey?: string } = {}) {
	return call(sb, 'POST', '/api/v1/payments', { json: { amount: 1000, currency: 'JPY', payment_details: card(VISA), ...extra }, ...opts });
}

async function authorized(amount = 1000) {
	const res = await pay({ amount, capture: false });
	expect(res.status).toBe(200);
	return res.body.id as string;
}

function eventTypes(): string[] {
	return sb
		.events()
		.map((e) => e.type)
		.reverse();
}

describe('POST /payments with a card', () => {
	it('captures by default and answers the documented payment object', async () => {
		const res = await pay({ tax: 80, description: 'Order 1', external_order_num: 'o-1', locale: 'en', metadata: { a: 'b' }, payment_details: card(VISA, { email: 'taro@example.com' }) });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{25}$/),
			resource: 'payment',
			status: 'captured',
			amount: 1000,
			tax: 80,
			total: 1080,
			payment_method_fee: 0,
			currency: 'JPY',
			customer: null,
			payment_deadline: null,
			payment_details: { type: 'credit_card', email: 'taro@example.com', brand: 'visa', last_four_digits: '1111', month: 8, year: FUTURE_YEAR },
			description: 'Order 1',
			captured_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+09:00$/),
			external_order_num: 'o-1',
			metadata: { a: 'b' },
			created_at: expect.any(String),
			amount_refunded: 0,
			locale: 'en',
			session: null,
			customer_family_name: null,
			customer_given_name: null,
			mcc: null,
			statement_descriptor: null,
			refunds: [],
			refund_requests: [],
		});
		expect(eventTypes()).toEqual(['payment.captured']);
		expect(sb.events()[0].data).toEqual(res.body);
	});

	it('authorizes only with capture: false', async () => {
		const res = await pay({ capture: false, amount: '500', tax: 0 });
		expect(res.body).toMatchObject({ status: 'authorized', amount: 500, captured_at: null, tax: 0, total: 500 });
		expect(eventTypes()).toEqual(['payment.authorized']);
	});

	it.each([
		[{ amount: undefined }, 422, 'missing_parameter', 'amount'],
		[{ amount: -1 }, 422, 'invalid_parameter', 'amount'],
		[{ currency: 'jpy' }, 422, 'invalid_parameter', 'currency'],
		[{ capture: 'yes' }, 422, 'invalid_parameter', 'capture'],
		[{ locale: 'fr' }, 422, 'invalid_parameter', 'locale'],
		[{ metadata: { a: 1 } }, 422, 'invalid_parameter', 'metadata.a'],
		[{ mcc: '5411' }, 422, 'invalid_parameter', 'mcc'],
		[{ return_url: 'ftp://x' }, 422, 'invalid_parameter', 'return_url'],
		[{ fraud_details: { customer_ip: '1.2.3.4', device_id: 'x' } }, 422, 'invalid_parameter', 'fraud_details.device_id'],
		[{ payment_details: undefined }, 422, 'missing_parameter', 'payment_details'],
		[{ customer: 'abc' }, 422, 'invalid_parameter', 'customer'],
		[{ payment_details: 42 }, 422, 'invalid_parameter', 'payment_details'],
		[{ payment_details: card('4123111111111000') }, 402, 'insufficient_funds', null],
		[{ payment_details: card('4123111111111034') }, 402, 'bad_verification_value', 'payment_details.verification_value'],
		[{ payment_details: card(CARDS.visa.successChallenge) }, 422, 'unprocessable_entity', 'payment_details'],
		[{ payment_details: card(CARDS.jcb.successFrictionless) }, 422, 'unprocessable_entity', 'payment_details'],
	])('refuses %j with %i %s', async (extra, status, code, param) => {
		expectError(await pay(extra), status, code, param);
		expect(sb.payments()).toHaveLength(0);
		expect(sb.events()).toHaveLength(0);
	});

	it('accepts fraud_details with the documented keys', async () => {
		const res = await pay({ fraud_details: { customer_ip: '192.0.2.1', customer_email: 'a@b.example', browser_language: 'ja', browser_user_agent: 'UA' } });
		expect(res.status).toBe(200);
		expect(res.body.fraud_details).toBeUndefined();
	});

	it('fails with Komoju-Scenario: insufficient_funds and creates nothing', async () => {
		expectError(await pay({}, { headers: { 'Komoju-Scenario': 'insufficient_funds' } }), 402, 'insufficient_funds');
		expect(sb.payments()).toHaveLength(0);
	});

	it('is 403 with the publishable key', async () => {
		const res = await call(sb, 'POST', '/api/v1/payments', { key: PUBLISHABLE, json: { amount: 1, currency: 'JPY', payment_details: card(VISA) } });
		expectError(res, 403, 'forbidden');
	});

	it('replays an idempotent create: the same payment, created once', async () => {
		const first = await pay({}, { idempotencyKey: 'order-1' });
		const second = await pay({}, { idempotencyKey: 'order-1' });
		expect(second.status).toBe(200);
		expect(second.text).toBe(first.text);
		expect(sb.payments()).toHaveLength(1);
		expect(eventTypes()).toEqual(['payment.captured']);
	});
});

describe('GET and PATCH /payments/{id}', () => {
	it('reads a payment; another merchant gets 404; query parameters are refused', async () => {
		const id = (await pay()).body.id;
		const res = await call(sb, 'GET', `/api/v1/payments/${id}`);
		expect(res.body).toMatchObject({ id, status: 'captured' });
		expectError(await call(sb, 'GET', `/api/v1/payments/${id}`, { key: 'sk_test_other' }), 404, 'not_found');
		expectError(await call(sb, 'GET', `/api/v1/payments/${id}?expand=x`), 422, 'invalid_parameter', 'expand');
		expectError(await call(sb, 'GET', '/api/v1/payments/nope'), 404, 'not_found');
	});

	it('updates description and replaces metadata, with payment.updated', async () => {
		const id = (await pay({ metadata: { a: '1', b: '2' } })).body.id;
		const res = await call(sb, 'PATCH', `/api/v1/payments/${id}`, { json: { description: 'new', metadata: { c: '3' } } });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ description: 'new', metadata: { c: '3' } });
		expect(eventTypes()).toEqual(['payment.captured', 'payment.updated']);
		expect(sb.events()[0].data).toEqual(res.body);
		expectError(await call(sb, 'PATCH', `/api/v1/payments/${id}`, { json: { amount: 5 } }), 422, 'invalid_parameter', 'amount');
		expectError(await call(sb, 'PATCH', `/api/v1/payments/${id}`, { json: {} }), 422, 'missing_parameter', 'description');
		expectError(await call(sb, 'PATCH', `/api/v1/payments/${id}?description=x`, { json: { description: 'y' } }), 422, 'invalid_parameter', 'description');
	});
});

describe('capture, refund and cancel', () => {
	it('captures an authorized payment once', async () => {
		const id = await authorized();
		const res = await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { json: {} });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'captured', amount: 1000, captured_at: expect.any(String) });
		const again = await call(sb, 'POST', `/api/v1/payments/${id}/capture`);
		expectError(again, 422, 'not_capturable');
		expect(again.body.error.message).toBe('The payment cannot be captured: its status is captured. Only authorized payments can be captured.');
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured']);
	});

	it('refuses to capture a payment captured at creation', async () => {
		const id = (await pay()).body.id;
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/capture`), 422, 'not_capturable');
	});

	it('captures part of the authorized amount; amount and total become the captured amount', async () => {
		const id = await authorized(1000);
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { json: { amount: 1001 } }), 422, 'invalid_parameter', 'amount');
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { json: { amount: 0 } }), 422, 'invalid_parameter', 'amount');
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { json: { foo: 1 } }), 422, 'invalid_parameter', 'foo');
		const res = await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { json: { amount: 600, tax: 60 } });
		expect(res.body).toMatchObject({ status: 'captured', amount: 600, tax: 60, total: 660 });
		const refund = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 661 } });
		expectError(refund, 422, 'invalid_parameter', 'amount');
		expect(refund.body.error.message).toContain('660 JPY');
	});

	it('refunds in parts; the payment stays captured until fully refunded', async () => {
		const id = (await pay({ tax: 0 })).body.id;
		const first = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 300, description: 'broken' } });
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ status: 'captured', amount_refunded: 300 });
		expect(first.body.refunds).toEqual([
			{ id: expect.stringMatching(/^[a-z0-9]{25}$/), resource: 'refund', amount: 300, currency: 'JPY', payment: id, description: 'broken', created_at: expect.any(String), chargeback: false },
		]);
		const tooMuch = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 701 } });
		expectError(tooMuch, 422, 'invalid_parameter', 'amount');
		expect(tooMuch.body.error.message).toContain('700');
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 0 } }), 422, 'invalid_parameter', 'amount');
		const second = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 700 } });
		expect(second.body).toMatchObject({ status: 'refunded', amount_refunded: 1000 });
		expect(second.body.refunds).toHaveLength(2);
		const again = await call(sb, 'POST', `/api/v1/payments/${id}/refund`);
		expectError(again, 422, 'not_refundable');
		expect(again.body.error.message).toBe('The payment cannot be refunded: its status is refunded. Only captured payments can be refunded.');
		expect(eventTypes()).toEqual(['payment.captured', 'payment.refund.created', 'payment.refund.created', 'payment.refunded']);
		expect(sb.events()[0].data).toEqual(second.body);
		expect(sb.events()[1].data).toEqual(second.body);
	});

	it('refunds everything by default, tax included', async () => {
		const id = (await pay()).body.id;
		const res = await call(sb, 'POST', `/api/v1/payments/${id}/refund`);
		expect(res.body).toMatchObject({ status: 'refunded', amount: 1000, tax: 100, total: 1100, amount_refunded: 1100, refunds: [expect.objectContaining({ amount: 1100, description: null })] });
	});

	it('refuses to refund an authorized payment', async () => {
		const id = await authorized();
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/refund`), 422, 'not_refundable');
	});

	it('cancels an authorized payment, not a captured or cancelled one', async () => {
		const id = await authorized();
		const res = await call(sb, 'POST', `/api/v1/payments/${id}/cancel`);
		expect(res.body).toMatchObject({ status: 'cancelled' });
		const again = await call(sb, 'POST', `/api/v1/payments/${id}/cancel`);
		expectError(again, 422, 'not_cancellable');
		expect(again.body.error.message).toBe('The payment cannot be cancelled: its status is cancelled. Only pending or authorized payments can be cancelled.');
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/capture`), 422, 'not_capturable');
		const captured = (await pay()).body.id;
		expectError(await call(sb, 'POST', `/api/v1/payments/${captured}/cancel`), 422, 'not_cancellable');
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.cancelled', 'payment.captured']);
	});

	it('is idempotent for capture and refund', async () => {
		const id = await authorized();
		const a = await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { idempotencyKey: 'cap-1' });
		const b = await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { idempotencyKey: 'cap-1' });
		expect(b.status).toBe(200);
		expect(b.text).toBe(a.text);
		const r1 = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 100 }, idempotencyKey: 'ref-1' });
		const r2 = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { json: { amount: 100 }, idempotencyKey: 'ref-1' });
		expect(r2.text).toBe(r1.text);
		expect((await call(sb, 'GET', `/api/v1/payments/${id}`)).body.amount_refunded).toBe(100);
	});

	it('answers 404 for another merchant’s payment', async () => {
		const id = await authorized();
		expectError(await call(sb, 'POST', `/api/v1/payments/${id}/capture`, { key: 'sk_test_other' }), 404, 'not_found');
	});
});

describe('paying with a secure token', () => {
	async function secureToken(number: string, extra: Record<string, unknown> = {}) {
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(number, extra) });
		expect(res.status).toBe(200);
		return res.body as { id: string; authentication_url: string };
	}

	it('pays with an OK token once', async () => {
		const t = await secureToken(CARDS.visa.successChallenge);
		await openAuthPage(t.authentication_url);
		await submitPassword(sb, t.id, '123456');
		const res = await pay({ payment_details: t.id });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 'captured', payment_details: { brand: 'visa', last_four_digits: '5000' } });
		expectError(await pay({ payment_details: t.id }), 422, 'invalid_token', 'payment_details');
		expect(sb.secureTokens()[0].payment).toBe(res.body.id);
	});

	it('pays with a SKIPPED token', async () => {
		const t = await secureToken(VISA);
		expect((await pay({ payment_details: t.id })).status).toBe(200);
	});

	it('refuses NEEDS_VERIFY (422) and ERRORED (402) tokens with invalid_token', async () => {
		const pending = await secureToken(CARDS.visa.successChallenge);
		expectError(await pay({ payment_details: pending.id }), 422, 'invalid_token', 'payment_details');
		const failed = await secureToken(CARDS.visa.failureFrictionless);
		await openAuthPage(failed.authentication_url);
		expectError(await pay({ payment_details: failed.id }), 402, 'invalid_token', 'payment_details');
		expect(sb.payments()).toHaveLength(0);
	});

	it('requires the amount and currency of the token, without using it up', async () => {
		const t = await secureToken(VISA);
		expectError(await pay({ payment_details: t.id, amount: 999 }), 422, 'invalid_parameter', 'amount');
		expectError(await pay({ payment_details: t.id, currency: 'USD' }), 422, 'invalid_parameter', 'currency');
		expect((await pay({ payment_details: t.id })).status).toBe(200);
	});

	it('answers 404 for an unknown or another merchant’s token, and expires after 24 h', async () => {
		expectError(await pay({ payment_details: 'nope' }), 404, 'not_found', 'payment_details');
		const other = await call(sb, 'POST', '/api/v1/secure_tokens', { key: 'sk_test_other', json: tokenRequest(VISA) });
		expectError(await pay({ payment_details: other.body.id }), 404, 'not_found', 'payment_details');
		const t = await secureToken(VISA);
		sb.advanceClock(24 * 3600 * 1000);
		expectError(await pay({ payment_details: t.id }), 422, 'invalid_token', 'payment_details');
	});

	it('pays with a customer’s secure token and names the customer', async () => {
		const customer = (await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA) } })).body;
		const t = (await call(sb, 'POST', '/api/v1/secure_tokens', { json: { amount: 1000, currency: 'JPY', return_url: 'https://x.example/', customer: customer.id } })).body;
		expect((await pay({ payment_details: t.id })).body.customer).toBe(customer.id);
	});
});

describe('tokens', () => {
	it('creates a token with either key and pays with it once', async () => {
		const res = await call(sb, 'POST', '/api/v1/tokens', { key: PUBLISHABLE, json: { payment_details: card(VISA, { name: 'Taro' }) } });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{25}$/),
			resource: 'token',
			created_at: expect.any(String),
			payment_details: { type: 'credit_card', brand: 'visa', last_four_digits: '1111', month: 8, year: FUTURE_YEAR, name: 'Taro' },
		});
		const payment = await pay({ payment_details: res.body.id });
		expect(payment.body).toMatchObject({ status: 'captured', payment_details: { last_four_digits: '1111' } });
		expectError(await pay({ payment_details: res.body.id }), 422, 'invalid_token', 'payment_details');
		expect(sb.tokens()[0]).toMatchObject({ id: res.body.id, payment: payment.body.id, usedAt: expect.any(String) });
		expect((await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA) } })).status).toBe(200);
	});

	it('refuses declined cards (402) and bad input (422); has no GET', async () => {
		expectError(await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card('4123111111111059') } }), 402, 'card_declined');
		expectError(await call(sb, 'POST', '/api/v1/tokens', { json: {} }), 422, 'missing_parameter', 'payment_details');
		expectError(await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA), amount: 1 } }), 422, 'invalid_parameter', 'amount');
		expectError(await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA), currency: 'XXX' } }), 422, 'invalid_parameter', 'currency');
		const t = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA) } })).body;
		expectError(await call(sb, 'GET', `/api/v1/tokens/${t.id}`), 404, 'not_found');
	});

	it('expires 24 hours after creation', async () => {
		const t = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA) } })).body;
		sb.advanceClock(24 * 3600 * 1000 - 1000);
		const fresh = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA) } })).body;
		sb.advanceClock(1000);
		expectError(await pay({ payment_details: t.id }), 422, 'invalid_token', 'payment_details');
		expect((await pay({ payment_details: fresh.id })).status).toBe(200);
	});

	it('locks the currency when created with one', async () => {
		const t = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA), currency: 'USD' } })).body;
		expectError(await pay({ payment_details: t.id }), 422, 'invalid_parameter', 'currency');
		expect((await pay({ payment_details: t.id, currency: 'USD' })).body.currency).toBe('USD');
	});

	it('accepts a 3DS card, which then cannot pay directly', async () => {
		const t = await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(CARDS.visa.successFrictionless) } });
		expect(t.status).toBe(200);
		expectError(await pay({ payment_details: t.body.id }), 422, 'unprocessable_entity', 'payment_details');
	});
});

describe('customers', () => {
	async function customer(number = VISA, headers: Record<string, string> = {}) {
		const res = await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(number), email: 'a@example.com' }, headers });
		expect(res.status).toBe(200);
		return res.body as { id: string };
	}

	it('pays with a stored card', async () => {
		const c = await customer();
		const res = await pay({ payment_details: undefined, customer: c.id });
		expect(res.body).toMatchObject({ status: 'captured', customer: c.id, payment_details: { last_four_digits: '1111' } });
		expectError(await pay({ customer: c.id }), 422, 'invalid_parameter', 'customer');
	});

	it('fails for an insufficient_funds customer, an expired card, and an unknown customer', async () => {
		const poor = await customer(VISA, { 'Komoju-Scenario': 'insufficient_funds' });
		expectError(await pay({ payment_details: undefined, customer: poor.id }), 402, 'insufficient_funds');
		expectError(await pay({ payment_details: undefined, customer: 'nope' }), 404, 'not_found', 'customer');
		const c = await customer();
		sb.advanceClock(5 * 366 * 24 * 3600 * 1000);
		expectError(await pay({ payment_details: undefined, customer: c.id }), 422, 'card_expired', 'customer');
	});

	it('updates a customer with customer.updated; a decline card is 402', async () => {
		const c = await customer();
		const res = await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { payment_details: card('5555555555554444'), metadata: { k: 'v' }, email: null } });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id: c.id, email: null, metadata: { k: 'v' }, source: { brand: 'master', last_four_digits: '4444' } });
		expectError(await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { payment_details: card('4123111111111059') } }), 402, 'card_declined');
		expectError(await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { name: 'x' } }), 422, 'invalid_parameter', 'name');
		expectError(await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: {} }), 422, 'missing_parameter', 'payment_details');
		expect(eventTypes()).toEqual(['customer.created', 'customer.updated']);
		expect(sb.events()[0].data).toEqual(res.body);
	});

	it('deletes a customer: 200 with it as it was, then 404 everywhere', async () => {
		const c = await customer();
		const before = (await call(sb, 'GET', `/api/v1/customers/${c.id}`)).body;
		expectError(await call(sb, 'DELETE', `/api/v1/customers/${c.id}`, { key: 'sk_test_other' }), 404, 'not_found');
		const res = await call(sb, 'DELETE', `/api/v1/customers/${c.id}`);
		expect(res.status).toBe(200);
		expect(res.body).toEqual(before);
		expectError(await call(sb, 'GET', `/api/v1/customers/${c.id}`), 404, 'not_found');
		expectError(await call(sb, 'DELETE', `/api/v1/customers/${c.id}`), 404, 'not_found');
		expectError(await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { email: 'b@example.com' } }), 404, 'not_found');
		expectError(await pay({ payment_details: undefined, customer: c.id }), 404, 'not_found', 'customer');
		expectError(
			await call(sb, 'POST', '/api/v1/secure_tokens', { json: { amount: 1, currency: 'JPY', return_url: 'https://x.example/', customer: c.id } }),
			404,
			'not_found',
			'customer',
		);
		expect(eventTypes()).toEqual(['customer.created', 'customer.deleted']);
		expect(sb.events()[0].data).toEqual(before);
	});

	it('turns a one-time token into a customer (KOMOJU’s long-term token guide), using the token up', async () => {
		const token = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card(VISA), currency: 'USD' } })).body;
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: token.id, currency: 'JPY' } }), 422, 'invalid_parameter', 'currency');
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: token.id, email: 'not an email' } }), 422, 'invalid_parameter', 'email');
		const res = await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: token.id } });
		expect(res.body).toMatchObject({ resource: 'customer', source: { brand: 'visa', last_four_digits: '1111' } });
		expect(sb.tokens()[0].usedAt).toEqual(expect.any(String));
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: token.id } }), 422, 'invalid_token', 'payment_details');
		expectError(await pay({ payment_details: token.id, currency: 'USD' }), 422, 'invalid_token', 'payment_details');
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: 'no-such-token' } }), 404, 'not_found', 'payment_details');
		expect((await pay({ payment_details: undefined, customer: res.body.id })).body).toMatchObject({ status: 'captured' });
	});

	it('replaces a customer’s card with a token', async () => {
		const c = await customer();
		const token = (await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card('5555555555554444') } })).body;
		const res = await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { payment_details: token.id } });
		expect(res.body).toMatchObject({ id: c.id, source: { brand: 'master', last_four_digits: '4444' } });
		expectError(await call(sb, 'PATCH', `/api/v1/customers/${c.id}`, { json: { payment_details: token.id } }), 422, 'invalid_token', 'payment_details');
	});

	it('lists customers newest first and filters by expiration (MMYY)', async () => {
		const a = await customer();
		const b = (await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA, { month: 3, year: FUTURE_YEAR + 1 }) } })).body;
		const all = await call(sb, 'GET', '/api/v1/customers');
		expect(all.body).toMatchObject({ resource: 'customer_list', total: 2, page: 1, per_page: 10, last_page: 1 });
		expect(all.body.data.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
		const yy = String(FUTURE_YEAR + 1).slice(2);
		const filtered = await call(sb, 'GET', `/api/v1/customers?expiration=03${yy}`);
		expect(filtered.body.data.map((c: { id: string }) => c.id)).toEqual([b.id]);
		expectError(await call(sb, 'GET', '/api/v1/customers?expiration=1330'), 422, 'invalid_parameter', 'expiration');
		expectError(await call(sb, 'GET', '/api/v1/customers?email=x'), 422, 'invalid_parameter', 'email');
		expect((await call(sb, 'GET', '/api/v1/customers', { key: 'sk_test_other' })).body.total).toBe(0);
	});
});

describe('GET /payments', () => {
	it('pages 25 payments newest first', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 25; i++) ids.push((await pay({ external_order_num: `o-${i}` })).body.id);
		const newest = ids.slice().reverse();
		const pages = [];
		for (const page of [1, 2, 3, 4]) pages.push((await call(sb, 'GET', `/api/v1/payments?per_page=10&page=${page}`)).body);
		for (const [i, p] of pages.entries()) expect(p).toMatchObject({ resource: 'payment_list', total: 25, page: i + 1, per_page: 10, last_page: 3 });
		expect(pages.map((p) => p.data.length)).toEqual([10, 10, 5, 0]);
		expect(pages.flatMap((p) => p.data.map((d: { id: string }) => d.id))).toEqual(newest);
		expect((await call(sb, 'GET', '/api/v1/payments?per_page=1', { key: 'sk_test_other' })).body).toEqual({
			resource: 'payment_list', total: 0, page: 1, per_page: 1, last_page: 0, data: [], start_time: expect.any(String), end_time: expect.any(String),
		});
	});

	it('filters by status, currency, external_order_num and time', async () => {
		const jpy = (await pay({ external_order_num: 'A' })).body.id;
		const auth = (await pay({ capture: false, external_order_num: 'B' })).body.id;
		sb.advanceClock(60_000);
		const usd = (await pay({ currency: 'USD', external_order_num: 'C' })).body.id;
		const ids = async (query: string) => (await call(sb, 'GET', `/api/v1/payments?${query}`)).body.data.map((d: { id: string }) => d.id);
		expect(await ids('status=authorized')).toEqual([auth]);
		expect(await ids('status=captured,authorized')).toEqual([usd, auth, jpy]);
		expect(await ids('currency=USD')).toEqual([usd]);
		expect(await ids('external_order_num=A')).toEqual([jpy]);
		expect(await ids('external_order_num=C')).toEqual([usd]);
		const cut = new Date(sb.now() - 30_000).toISOString();
		expect(await ids(`start_time=${encodeURIComponent(cut)}`)).toEqual([usd]);
		expect(await ids(`end_time=${encodeURIComponent(cut)}`)).toEqual([auth, jpy]);
		const created = encodeURIComponent((await call(sb, 'GET', `/api/v1/payments/${usd}`)).body.created_at);
		expect(await ids(`start_time=${created}&end_time=${created}`)).toEqual([usd]);
		expectError(await call(sb, 'GET', `/api/v1/payments?start_time=${created}&end_time=2000-01-01T00:00:00Z`), 422, 'invalid_parameter', 'end_time');
	});
});

describe('payment methods', () => {
	it('lists cards for JPY and USD and every other method KOMOJU offers for JPY', async () => {
		const res = await call(sb, 'GET', '/api/v1/payment_methods');
		expect(res.body.map((m: { type_slug: string; currency: string }) => `${m.currency}:${m.type_slug}`)).toEqual([
			...[
				'credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay', 'rakutenpay', 'merpay', 'aupay', 'paidy', 'docomo', 'softbank',
				'au', 'japan_mobile', 'epospay', 'alipay', 'wechatpay', 'unionpay', 'bit_cash', 'net_cash', 'web_money', 'dospara',
			].map((type) => `JPY:${type}`),
			'USD:credit_card',
		]);
		expect(res.body[1]).toEqual({
			type_slug: 'konbini', currency: 'JPY', name_en: 'Konbini', name_ja: 'コンビニ', name_ko: '편의점',
			subtypes: ['seven-eleven', 'lawson', 'family-mart', 'ministop', 'daily-yamazaki', 'seicomart'],
		});
	});
});

describe('card data', () => {
	it('never shows a card number in a response, the state or the record', async () => {
		const texts: string[] = [];
		const c = await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA) } });
		texts.push(c.text);
		const p = await pay({ capture: false });
		texts.push(p.text, (await call(sb, 'POST', `/api/v1/payments/${p.body.id}/capture`)).text);
		texts.push((await call(sb, 'POST', `/api/v1/payments/${p.body.id}/refund`, { json: { amount: 1 } })).text);
		const t = await call(sb, 'POST', '/api/v1/tokens', { json: { payment_details: card('378282246310005', { verification_value: '1234' }) } });
		texts.push(t.text, (await pay({ payment_details: t.body.id })).text);
		texts.push((await pay({ payment_details: undefined, customer: c.body.id })).text);
		texts.push((await call(sb, 'GET', '/api/v1/payments')).text, (await call(sb, 'GET', '/api/v1/events?per_page=100')).text);
		texts.push(JSON.stringify((await control(sb, 'GET', '/__sandbox/state')).body));
		texts.push(JSON.stringify(sb.requests), JSON.stringify(sb.events()));
		for (const text of texts) for (const n of ALL_TEST_NUMBERS) expect(text).not.toContain(n);
	});
});
