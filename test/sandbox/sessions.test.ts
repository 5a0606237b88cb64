import { ALL_TEST_NUMBERS, call, CARDS, control, FUTURE_YEAR, PUBLISHABLE, expectError, Sandbox, startTwoMerchants, submitPassword } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startTwoMerchants();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const RETURN_URL = 'https://shop.example/done?order=42#top';

async function session(extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
	const res = await call(sb, 'POST', '/api/v1/sessions', { json: { amount: 1000, currency: 'JPY', return_url: RETURN_URL, ...extra }, headers });
	expect(res.status).toBe(200);
	return res.body;
}

type Page = { status: number; location: string | null; html: string };

async function open(url: string): Promise<Page> {
	const res = await fetch(url, { redirect: 'manual' });
	return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

/** Posts the card form of the hosted page, as a browser would. */
async function submitCard(id: string, number: string, extra: Record<string, string> = {}): Promise<Page> {
	const res = await fetch(sb.sessionPageUrl(id), {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ number, month: '08', year: String(FUTURE_YEAR), verification_value: '123', name: 'Taro Test', ...extra }).toString(),
		redirect: 'manual',
	});
	return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

function doneUrl(id: string) {
	return `https://shop.example/done?order=42&session_id=${id}#top`;
}

describe('POST /sessions', () => {
	it('answers the session object', async () => {
		const s = await session({ email: 'a@example.com', default_locale: 'en', metadata: { k: 'v' }, payment_data: { external_order_num: 'o-1' } });
		expect(s).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{25}$/),
			resource: 'session',
			mode: 'payment',
			amount: 1000,
			currency: 'JPY',
			session_url: `${sb.url}/sessions/${s.id}`,
			return_url: RETURN_URL,
			default_locale: 'en',
			payment_methods: [
				'credit_card', 'konbini', 'bank_transfer', 'pay_easy', 'paypay', 'rakutenpay', 'merpay', 'aupay', 'paidy', 'docomo', 'softbank',
				'au', 'japan_mobile', 'epospay', 'alipay', 'wechatpay', 'unionpay', 'bit_cash', 'net_cash', 'web_money', 'dospara',
			].map((type) => ({ type })),
			created_at: expect.any(String),
			cancelled_at: null,
			completed_at: null,
			status: 'pending',
			expired: false,
			merchant: { name: expect.any(String) },
			metadata: { k: 'v' },
			payment_data: { capture: 'auto', external_order_num: 'o-1' },
			line_items: [],
			email: 'a@example.com',
		});
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body).toEqual(s);
		expectError(await call(sb, 'GET', `/api/v1/sessions/${s.id}`, { key: 'sk_test_other' }), 404, 'not_found');
		expectError(await call(sb, 'GET', `/api/v1/sessions/${s.id}`, { key: PUBLISHABLE }), 403, 'forbidden');
	});

	it.each([
		[{ amount: undefined }, 'missing_parameter', 'amount'],
		[{ currency: undefined }, 'missing_parameter', 'currency'],
		[{ mode: 'subscription' }, 'invalid_parameter', 'mode'],
		[{ expires_in_seconds: 0 }, 'invalid_parameter', 'expires_in_seconds'],
		[{ expires_in_seconds: 86401 }, 'invalid_parameter', 'expires_in_seconds'],
		[{ payment_types: ['paypay', 'ideal'] }, 'invalid_parameter', 'payment_types'],
		[{ payment_types: ['konbini'], currency: 'USD' }, 'invalid_parameter', 'payment_types'],
		[{ payment_types: 'credit_card' }, 'invalid_parameter', 'payment_types'],
		[{ default_locale: 'de' }, 'invalid_parameter', 'default_locale'],
		[{ payment_data: { capture: 'later' } }, 'invalid_parameter', 'payment_data.capture'],
		[{ payment_data: { foo: 'x' } }, 'invalid_parameter', 'payment_data.foo'],
		[{ line_items: [{ amount: 500 }] }, 'missing_parameter', 'line_items.0.description'],
		[{ line_items: [{ description: 'A', amount: 500, quantity: 0 }] }, 'invalid_parameter', 'line_items.0.quantity'],
		[{ line_items: [{ description: 'A', amount: 1000, quantity: 1, sku: 'x' }] }, 'invalid_parameter', 'line_items.0.sku'],
		[{ mode: 'customer' }, 'invalid_parameter', 'amount'],
		// the contract requires currency in every mode
		[{ mode: 'customer', amount: undefined, currency: undefined }, 'missing_parameter', 'currency'],
		[{ capture: 'manual' }, 'invalid_parameter', 'capture'],
	])('refuses %j with 422 %s', async (extra, code, param) => {
		const res = await call(sb, 'POST', '/api/v1/sessions', { json: { amount: 1000, currency: 'JPY', ...extra } });
		expectError(res, 422, code, param);
	});

	it('accepts valid line items and payment types', async () => {
		const s = await session({ payment_types: ['credit_card', 'paypay'], line_items: [{ description: 'Tea', amount: 300, quantity: 2 }, { description: 'Cup', amount: 400, quantity: 1 }] });
		expect(s.payment_methods).toEqual([{ type: 'credit_card' }, { type: 'paypay' }]);
		expect(s.line_items).toEqual([{ description: 'Tea', amount: 300, quantity: 2 }, { description: 'Cup', amount: 400, quantity: 1 }]);
	});

	it('cancels a pending session once; an expired session cannot be cancelled', async () => {
		const s = await session();
		const res = await call(sb, 'POST', `/api/v1/sessions/${s.id}/cancel`);
		expect(res.body).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
		const again = await call(sb, 'POST', `/api/v1/sessions/${s.id}/cancel`);
		expectError(again, 422, 'unprocessable_entity');
		expect(again.body.error.message).toContain('cancelled');
		const short = await session({ expires_in_seconds: 60 });
		sb.advanceClock(60_000);
		expect((await call(sb, 'GET', `/api/v1/sessions/${short.id}`)).body).toMatchObject({ status: 'pending', expired: true });
		const expired = await call(sb, 'POST', `/api/v1/sessions/${short.id}/cancel`);
		expectError(expired, 422, 'unprocessable_entity');
		expect(expired.body.error.message).toContain('expired');
		expect((await open(sb.sessionPageUrl(short.id))).html).toContain('expired');
	});
});

describe('hosted page', () => {
	it('shows a card form and the other methods as unavailable, without auth', async () => {
		const s = await session();
		const page = await open(s.session_url);
		expect(page.status).toBe(200);
		expect(page.html).toContain(`<form method="post" action="/sessions/${s.id}">`);
		for (const field of ['number', 'month', 'year', 'verification_value', 'name']) expect(page.html).toContain(`name="${field}"`);
		expect(page.html).toContain('konbini: not available in the sandbox');
		expect((await open(`${sb.url}/sessions/nope`)).status).toBe(404);
	});

	it('completes with a regular card and redirects with session_id', async () => {
		const s = await session({ payment_data: { external_order_num: 'o-7' } });
		const res = await submitCard(s.id, '4111111111111111');
		expect(res.status).toBe(302);
		expect(res.location).toBe(doneUrl(s.id));
		const after = (await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body;
		expect(after).toMatchObject({ status: 'completed', completed_at: expect.any(String) });
		expect(after.payment).toMatchObject({ status: 'captured', amount: 1000, currency: 'JPY', session: s.id, external_order_num: 'o-7', payment_details: { last_four_digits: '1111' } });
		expect((await call(sb, 'GET', `/api/v1/payments/${after.payment.id}`)).body).toEqual(after.payment);
		expect(sb.events().map((e) => e.type)).toEqual(['payment.captured']);
		// completed: the page shows it and never pays twice
		const again = await submitCard(s.id, '4111111111111111');
		expect(again.status).toBe(200);
		expect(again.html).toContain('already completed');
		expect(sb.payments()).toHaveLength(1);
		expectError(await call(sb, 'POST', `/api/v1/sessions/${s.id}/cancel`), 422, 'unprocessable_entity');
	});

	it('authorizes only with payment_data.capture manual', async () => {
		const s = await session({ payment_data: { capture: 'manual' } });
		await submitCard(s.id, '5555555555554444');
		const payment = sb.payments()[0];
		expect(payment).toMatchObject({ status: 'authorized', session: s.id });
		expect((await call(sb, 'POST', `/api/v1/payments/${payment.id}/capture`)).body.status).toBe('captured');
		expect(sb.events().map((e) => e.type).reverse()).toEqual(['payment.authorized', 'payment.captured']);
	});

	it('runs 3DS for a challenge card: 123456 completes', async () => {
		const s = await session();
		const first = await submitCard(s.id, CARDS.visa.successChallenge);
		expect(first.status).toBe(302);
		expect(first.location).toMatch(new RegExp(`^${sb.url}/three_d_secure_service/offsite\\?token=[a-z0-9]{25}$`));
		const token = new URL(first.location!).searchParams.get('token')!;
		const challenge = await open(first.location!);
		expect(challenge.status).toBe(200);
		expect(challenge.html).toContain('name="password"');
		const back = await submitPassword(sb, token, '123456');
		expect(back.location).toBe(`${sb.url}/sessions/${s.id}?secure_token_id=${token}`);
		const done = await open(back.location!);
		expect(done.status).toBe(302);
		expect(done.location).toBe(doneUrl(s.id));
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body).toMatchObject({ status: 'completed', payment: { status: 'captured', payment_details: { last_four_digits: '5000' } } });
		// returning again does not pay twice
		expect((await open(back.location!)).html).toContain('already completed');
		expect(sb.payments()).toHaveLength(1);
	});

	it('runs 3DS frictionless cards straight back to the page', async () => {
		const s = await session();
		const first = await submitCard(s.id, CARDS.jcb.successFrictionless);
		const acs = await open(first.location!);
		expect(acs.status).toBe(302);
		const done = await open(acs.location!);
		expect(done.location).toBe(doneUrl(s.id));
	});

	it('stays pending when 3DS fails (111111) and shows the form again', async () => {
		const s = await session();
		const first = await submitCard(s.id, CARDS.master.successChallenge);
		const token = new URL(first.location!).searchParams.get('token')!;
		const back = await submitPassword(sb, token, '111111');
		const page = await open(back.location!);
		expect(page.status).toBe(200);
		expect(page.html).toContain('id="error"');
		expect(page.html).toContain('3D Secure failed');
		expect(page.html).toContain('name="number"');
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body).toMatchObject({ status: 'pending' });
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body).not.toHaveProperty('payment');
		expect(sb.payments()).toHaveLength(0);
		// a regular card still completes afterwards
		expect((await submitCard(s.id, '4111111111111111')).location).toBe(doneUrl(s.id));
	});

	it('shows declines and invalid input as an error on the form', async () => {
		const s = await session();
		const declined = await submitCard(s.id, '4123111111111059');
		expect(declined.status).toBe(200);
		expect(declined.html).toContain('The card cannot be used.');
		const invalid = await submitCard(s.id, '4242424242424242');
		expect(invalid.html).toContain('id="error"');
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body.status).toBe('pending');
	});

	it('fails every attempt of a session made with Komoju-Scenario: insufficient_funds', async () => {
		const s = await session({}, { 'Komoju-Scenario': 'insufficient_funds' });
		const page = await submitCard(s.id, '4111111111111111');
		expect(page.html).toContain('insufficient funds');
		expect((await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body.status).toBe('pending');
	});

	it('refuses to pay a cancelled session', async () => {
		const s = await session();
		await call(sb, 'POST', `/api/v1/sessions/${s.id}/cancel`);
		const page = await submitCard(s.id, '4111111111111111');
		expect(page.html).toContain('cancelled');
		expect(sb.payments()).toHaveLength(0);
	});

	it('stores a customer in customer mode', async () => {
		const s = await session({ mode: 'customer', amount: undefined, email: 'c@example.com' });
		expect(s).toMatchObject({ mode: 'customer', amount: 0, currency: 'JPY', payment_methods: [{ type: 'credit_card' }] });
		await submitCard(s.id, '3530111333300000');
		const after = (await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body;
		expect(after).toMatchObject({ status: 'completed', customer_id: expect.stringMatching(/^[a-z0-9]{25}$/) });
		expect(after).not.toHaveProperty('payment');
		expect((await call(sb, 'GET', `/api/v1/customers/${after.customer_id}`)).body).toMatchObject({ email: 'c@example.com', source: { brand: 'jcb' } });
	});

	it('stores a customer and pays in customer_payment mode', async () => {
		const s = await session({ mode: 'customer_payment' });
		expect(s.payment_methods).toEqual([{ type: 'credit_card' }]);
		await submitCard(s.id, '4111111111111111');
		const after = (await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).body;
		expect(after.payment.customer).toBe(after.customer_id);
		expect(sb.events().map((e) => e.type).reverse()).toEqual(['customer.created', 'payment.captured']);
	});

	it('keeps card data out of the page, the record and the state', async () => {
		const s = await session();
		const texts = [(await submitCard(s.id, '4123111111111000')).html, (await submitCard(s.id, CARDS.visa.successChallenge)).html];
		texts.push((await submitCard(s.id, '4111111111111111')).html, (await call(sb, 'GET', `/api/v1/sessions/${s.id}`)).text);
		texts.push(JSON.stringify((await control(sb, 'GET', '/__sandbox/state')).body), JSON.stringify(sb.requests));
		for (const text of texts) for (const n of ALL_TEST_NUMBERS) expect(text).not.toContain(n);
		const posted = sb.requests.filter((r) => r.kind === 'session' && r.method === 'POST');
		expect(posted[0]).toMatchObject({ body: { number: '****1000' }, cardNumberSent: true, verificationValueSent: true });
		expect(posted[0].body).not.toHaveProperty('verification_value');
		expect(sb.sessions()[0]).toMatchObject({ id: s.id, status: 'completed', merchant: 'merchant_1' });
	});
});

describe('hosted page plumbing', () => {
	it('records page requests as kind session and lets faults hit them', async () => {
		const s = await session();
		sb.injectFault({ path: `/sessions/${s.id}`, action: { status: 503 } });
		expect((await open(sb.sessionPageUrl(s.id))).status).toBe(503);
		expect((await open(sb.sessionPageUrl(s.id))).status).toBe(200);
		expect(sb.requests.filter((r) => r.kind === 'session').map((r) => r.status)).toEqual([503, 200]);
	});

	it('replays an idempotent session cancel', async () => {
		const s = await session();
		const a = await call(sb, 'POST', `/api/v1/sessions/${s.id}/cancel`, { idempotencyKey: 'c-1' });
		const b = await call(sb, 'POST', `/api/v1/sessions/${s.id}/cancel`, { idempotencyKey: 'c-1' });
		expect(b.status).toBe(200);
		expect(b.text).toBe(a.text);
	});
});
