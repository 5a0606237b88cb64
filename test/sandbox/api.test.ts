import { startSandbox } from '../../sandbox/server';
import { secretLeaks } from '../secrets';
import { basic, call, card, CARDS, FUTURE_YEAR, PUBLISHABLE, Sandbox, tokenRequest } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({
		contract: 'observe',
		secretKeys: ['sk_test_sandbox', 'sk_test_other'],
		publishableKeys: ['pk_test_sandbox', 'pk_test_other'],
	});
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

function expectError(res: { status: number; body: any }, status: number, code: string, param: string | null = null) {
	expect(res.status).toBe(status);
	// the contract's APIErrorBody: all four fields non-null (param "" when no field is at fault, details {})
	expect(res.body).toEqual({ error: { code, message: expect.any(String), param: param ?? '', details: {} } });
}

describe('authentication', () => {
	it('accepts the secret key as the Basic username with an empty password', async () => {
		const res = await call(sb, 'GET', '/api/v1/payments?per_page=1');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json');
		expect(res.body).toMatchObject({ resource: 'payment_list', total: 0, page: 1, per_page: 1, last_page: 0, data: [] });
	});

	it.each([
		['no header', undefined],
		['unknown key', basic('sk_test_unknown')],
		['non-empty password', basic('sk_test_sandbox', 'secret')],
		['bearer scheme', 'Bearer sk_test_sandbox'],
		['no colon', `Basic ${Buffer.from('sk_test_sandbox').toString('base64')}`],
	])('rejects %s with 401 unauthorized', async (_label, auth) => {
		const res = await call(sb, 'GET', '/api/v1/payments', { key: null, headers: auth ? { Authorization: auth } : {} });
		expectError(res, 401, 'unauthorized');
	});

	it('lets a publishable key create and read secure tokens only', async () => {
		const created = await call(sb, 'POST', '/api/v1/secure_tokens', { key: PUBLISHABLE, json: tokenRequest(CARDS.visa.successFrictionless) });
		expect(created.status).toBe(200);
		const read = await call(sb, 'GET', `/api/v1/secure_tokens/${created.body.id}`, { key: PUBLISHABLE, version: '2025-01-28' });
		expect(read.status).toBe(200);
		expectError(await call(sb, 'GET', '/api/v1/payments', { key: PUBLISHABLE }), 403, 'forbidden');
		expectError(await call(sb, 'POST', '/api/v1/customers', { key: PUBLISHABLE, json: { payment_details: card('4111111111111111') } }), 403, 'forbidden');
	});

	it('refuses the customer variant with a publishable key', async () => {
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', {
			key: PUBLISHABLE,
			json: { amount: 1, currency: 'JPY', return_url: 'https://x.example/', customer: 'abc' },
		});
		expectError(res, 403, 'forbidden', 'customer');
	});

	it('scopes resources to the merchant of the key', async () => {
		const created = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successFrictionless) });
		expect((await call(sb, 'GET', `/api/v1/secure_tokens/${created.body.id}`, { key: PUBLISHABLE })).status).toBe(200);
		expectError(await call(sb, 'GET', `/api/v1/secure_tokens/${created.body.id}`, { key: 'sk_test_other' }), 404, 'not_found');
		expectError(await call(sb, 'GET', `/api/v1/secure_tokens/${created.body.id}`, { key: 'pk_test_other' }), 404, 'not_found');
	});
});

describe('routing and request format', () => {
	it('answers unknown routes and wrong methods with 404 not_found', async () => {
		expectError(await call(sb, 'GET', '/api/v1/nope'), 404, 'not_found');
		expectError(await call(sb, 'DELETE', '/api/v1/payments'), 404, 'not_found');
		expectError(await call(sb, 'GET', '/api/v1/secure_tokens'), 404, 'not_found');
		expectError(await call(sb, 'GET', '/api/v1/payments/'), 404, 'not_found');
		expectError(await call(sb, 'GET', '/elsewhere', { key: null }), 404, 'not_found');
	});

	it('authenticates before routing', async () => {
		expectError(await call(sb, 'GET', '/api/v1/nope', { key: null }), 401, 'unauthorized');
	});

	it('rejects malformed JSON with 400 bad_request without quoting the body', async () => {
		const res = await fetch(`${sb.url}/api/v1/secure_tokens`, {
			method: 'POST',
			headers: { Authorization: basic('sk_test_sandbox'), 'Content-Type': 'application/json' },
			body: '{"payment_details":{"number":"4100000000005000"',
		});
		const text = await res.text();
		expect(res.status).toBe(400);
		expect(JSON.parse(text).error.code).toBe('bad_request');
		expect(text).not.toContain('4100000000005000');
	});

	it('rejects a JSON body that is not an object, and unsupported content types', async () => {
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens', { json: [1, 2] }), 400, 'bad_request');
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens'), 422, 'missing_parameter', 'amount'); // empty body: no parameters
		const plain = await fetch(`${sb.url}/api/v1/secure_tokens`, {
			method: 'POST',
			headers: { Authorization: basic('sk_test_sandbox'), 'Content-Type': 'text/plain' },
			body: 'amount=1',
		});
		expect(plain.status).toBe(400);
	});

	it('accepts form bodies with bracket keys', async () => {
		const form = new URLSearchParams({
			amount: '1000',
			currency: 'JPY',
			return_url: 'https://shop.example/back',
			'payment_details[type]': 'credit_card',
			'payment_details[number]': CARDS.jcb.successChallenge,
			'payment_details[month]': '08',
			'payment_details[year]': String(FUTURE_YEAR).slice(2),
			'payment_details[verification_value]': '123',
		}).toString();
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { form });
		expect(res.status).toBe(200);
		expect(res.body.verification_status).toBe('NEEDS_VERIFY');
		expect(sb.secureTokens()[0].card).toMatchObject({ brand: 'jcb', lastFour: '5006', month: 8, year: FUTURE_YEAR });
	});

	it('rejects repeated or conflicting form keys', async () => {
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens', { form: 'amount=1&amount=2' }), 400, 'bad_request');
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens', { form: 'payment_details=x&payment_details[number]=1' }), 400, 'bad_request');
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens', { form: 'a[=1' }), 400, 'bad_request');
	});

	it('rejects POST parameters in the query string', async () => {
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens?amount=1', { json: {} }), 422, 'invalid_parameter', 'amount');
	});
});

describe('API version header', () => {
	it.each(['2024-07-15', '2024-12-31', '2025-01-28', '2030-01-01'])('accepts %s', async (v) => {
		expect((await call(sb, 'GET', '/api/v1/payments', { version: v })).status).toBe(200);
	});

	it.each(['2025-1-28', 'latest', '2025-02-30', '2024-07-14', ''])('rejects %p with 400 bad_request', async (v) => {
		const res = await call(sb, 'GET', '/api/v1/payments', { headers: { 'X-KOMOJU-API-VERSION': v } });
		expectError(res, 400, 'bad_request', 'X-KOMOJU-API-VERSION');
	});

	it('names the GET id secure_token before 2025-01-28 (and without the header)', async () => {
		const created = await call(sb, 'POST', '/api/v1/secure_tokens', { version: '2024-07-15', json: tokenRequest(CARDS.visa.successFrictionless) });
		const id = created.body.id;
		expect(created.body).toHaveProperty('id');
		const oldGet = await call(sb, 'GET', `/api/v1/secure_tokens/${id}`, { version: '2024-07-15' });
		expect(oldGet.body.secure_token).toBe(id);
		expect(oldGet.body).not.toHaveProperty('id');
		const noHeader = await call(sb, 'GET', `/api/v1/secure_tokens/${id}`);
		expect(noHeader.body.secure_token).toBe(id);
		const newGet = await call(sb, 'GET', `/api/v1/secure_tokens/${id}`, { version: '2025-06-01' });
		expect(newGet.body.id).toBe(id);
		expect(newGet.body).not.toHaveProperty('secure_token');
	});
});

describe('POST /api/v1/secure_tokens', () => {
	it('creates a token in KOMOJU’s documented shape', async () => {
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge) });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json');
		const id = res.body.id;
		expect(id).toMatch(/^[a-z0-9]{25}$/);
		expect(res.body).toEqual({
			id,
			resource: 'secure_token',
			verification_status: 'NEEDS_VERIFY',
			authentication_url: `${sb.url}/three_d_secure_service/offsite?token=${id}`,
			created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+09:00$/),
		});
		const get = await call(sb, 'GET', `/api/v1/secure_tokens/${encodeURIComponent(id)}`, { version: '2025-01-28' });
		expect(get.body).toEqual(res.body);
	});

	it('accepts amount as a digit string and 0', async () => {
		expect((await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge, { amount: '500' }) })).status).toBe(200);
		expect((await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge, { amount: 0 }) })).status).toBe(200);
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['missing amount', { amount: undefined }, 'missing_parameter', 'amount'],
		['negative amount', { amount: -1 }, 'invalid_parameter', 'amount'],
		['fractional amount', { amount: 10.5 }, 'invalid_parameter', 'amount'],
		['non-digit amount', { amount: '10e3' }, 'invalid_parameter', 'amount'],
		['missing currency', { currency: undefined }, 'missing_parameter', 'currency'],
		['unknown currency', { currency: 'XYZ' }, 'invalid_parameter', 'currency'],
		['lower-case currency', { currency: 'jpy' }, 'invalid_parameter', 'currency'],
		['missing return_url', { return_url: undefined }, 'missing_parameter', 'return_url'],
		['relative return_url', { return_url: '/back' }, 'invalid_parameter', 'return_url'],
		['ftp return_url', { return_url: 'ftp://x.example/' }, 'invalid_parameter', 'return_url'],
		['no card and no customer', { payment_details: undefined }, 'missing_parameter', 'payment_details'],
		['card and customer', { customer: 'abc' }, 'invalid_parameter', 'customer'],
		['unknown parameter', { returnUrl: 'https://x.example' }, 'invalid_parameter', 'returnUrl'],
		['platform_details', { platform_details: {} }, 'invalid_parameter', 'platform_details'],
		['string payment_details', { payment_details: 'tok_123' }, 'invalid_parameter', 'payment_details'],
	])('422 for %s', async (_label, patch, code, param) => {
		const body = tokenRequest(CARDS.visa.successChallenge, patch);
		for (const k of Object.keys(patch)) if (patch[k] === undefined) delete body[k];
		expectError(await call(sb, 'POST', '/api/v1/secure_tokens', { json: body }), 422, code, param);
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['missing type', { type: undefined }, 'missing_parameter', 'payment_details.type'],
		['other type', { type: 'konbini' }, 'invalid_parameter', 'payment_details.type'],
		['missing number', { number: undefined }, 'missing_parameter', 'payment_details.number'],
		['spaces in number', { number: '4100 0000 0000 5000' }, 'invalid_number', 'payment_details.number'],
		['Luhn failure', { number: '4100000000005001' }, 'invalid_number', 'payment_details.number'],
		['not a test card', { number: '4242424242424242' }, 'invalid_number', 'payment_details.number'],
		['number as JSON number', { number: 4100000000005000 }, 'invalid_number', 'payment_details.number'],
		['missing month', { month: undefined }, 'missing_parameter', 'payment_details.month'],
		['month 13', { month: 13 }, 'invalid_parameter', 'payment_details.month'],
		['missing year', { year: undefined }, 'missing_parameter', 'payment_details.year'],
		['3-digit year', { year: 203 }, 'invalid_parameter', 'payment_details.year'],
		['expired year', { year: 2020 }, 'card_expired', 'payment_details.year'],
		['bad CVC', { verification_value: '12' }, 'invalid_parameter', 'payment_details.verification_value'],
		['numeric CVC', { verification_value: 123 }, 'invalid_parameter', 'payment_details.verification_value'],
		['bad email', { email: 'nope' }, 'invalid_parameter', 'payment_details.email'],
		['unknown card field', { cvc: '123' }, 'invalid_parameter', 'payment_details.cvc'],
		['bad initiator', { initiator: 'robot' }, 'invalid_parameter', 'payment_details.initiator'],
	])('422 for card with %s', async (_label, patch, code, param) => {
		const details = card(CARDS.visa.successChallenge, patch);
		for (const k of Object.keys(patch)) if (patch[k] === undefined) delete details[k];
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge, { payment_details: details }) });
		expectError(res, 422, code, param);
		expect(res.text).not.toMatch(/4100000000005000|4242424242424242|4100000000005001/);
	});

	it('treats the current month as not expired and last month as expired (sandbox clock)', async () => {
		const clock = await startSandbox({ contract: 'observe', now: () => Date.UTC(2031, 4, 31, 23, 59) });
		try {
			const ok = await call(clock, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge, { payment_details: card(CARDS.visa.successChallenge, { month: '05', year: '31' }) }) });
			expect(ok.status).toBe(200);
			const expired = await call(clock, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge, { payment_details: card(CARDS.visa.successChallenge, { month: 4, year: 2031 }) }) });
			expectError(expired, 422, 'card_expired', 'payment_details.month');
		} finally {
			await clock.close();
		}
	});

	it.each([
		['4123111111111000', 'insufficient_funds', null],
		['4123111111111018', 'exceeds_limit', null],
		['4123111111111034', 'bad_verification_value', 'payment_details.verification_value'],
		['4123111111111042', 'card_expired', null],
		['4123111111111059', 'card_declined', null],
		['4123111111111067', 'invalid_number', null],
	])('declines %s with 402 %s and creates nothing', async (number, code, param) => {
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(number) });
		expectError(res, 402, code, param);
		expect(res.text).not.toContain(number);
		expect(sb.secureTokens()).toHaveLength(0);
	});

	it.each([
		['4111111111111111', 'visa'],
		['5555555555554444', 'master'],
		['3530111333300000', 'jcb'],
		['378282246310005', 'american_express'],
		['30569309025904', 'diners_club'],
	])('creates %s (regular success card) as SKIPPED', async (number, brand) => {
		const cvc = brand === 'american_express' ? '1234' : '123';
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(number, { payment_details: card(number, { verification_value: cvc }) }) });
		expect(res.status).toBe(200);
		expect(res.body.verification_status).toBe('SKIPPED');
		expect(res.body).not.toHaveProperty('three_ds_auth_result');
		expect(sb.secureTokens()[0].card.brand).toBe(brand);
	});

	it('returns 404 for unknown ids, with the id URL-decoded', async () => {
		expectError(await call(sb, 'GET', '/api/v1/secure_tokens/does-not-exist'), 404, 'not_found');
		const created = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge) });
		const upper = created.body.id.slice(0, 3) + '%' + created.body.id.charCodeAt(3).toString(16) + created.body.id.slice(4);
		expect((await call(sb, 'GET', `/api/v1/secure_tokens/${upper}`)).status).toBe(200);
		expectError(await call(sb, 'GET', `/api/v1/secure_tokens/${created.body.id}?expand=x`), 422, 'invalid_parameter', 'expand');
	});
});

describe('customers', () => {
	it('creates and reads a customer with a scrubbed source', async () => {
		const res = await call(sb, 'POST', '/api/v1/customers', {
			json: { payment_details: card(CARDS.master.successChallenge), email: 'taro@example.com', currency: 'JPY', metadata: { order: '42' } },
		});
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			id: expect.stringMatching(/^[a-z0-9]{25}$/),
			resource: 'customer',
			email: 'taro@example.com',
			currency: 'JPY',
			metadata: { order: '42' },
			source: { type: 'credit_card', brand: 'master', last_four_digits: '5007', month: 8, year: FUTURE_YEAR, name: 'Taro Test' },
			created_at: expect.any(String),
		});
		expect(res.text).not.toContain(CARDS.master.successChallenge);
		expect(secretLeaks(res.body, ['123'])).toEqual([]);
		const get = await call(sb, 'GET', `/api/v1/customers/${res.body.id}`);
		expect(get.body).toEqual(res.body);
		expectError(await call(sb, 'GET', '/api/v1/customers/unknown'), 404, 'not_found');
		expectError(await call(sb, 'GET', `/api/v1/customers/${res.body.id}`, { key: 'sk_test_other' }), 404, 'not_found');
	});

	it('accepts a form-encoded customer with metadata brackets', async () => {
		const form = `payment_details[type]=credit_card&payment_details[number]=${CARDS.jcb.successFrictionless}&payment_details[month]=12&payment_details[year]=${FUTURE_YEAR}&metadata[foo]=bar&email=a%40b.example`;
		const res = await call(sb, 'POST', '/api/v1/customers', { form });
		expect(res.status).toBe(200);
		expect(res.body.metadata).toEqual({ foo: 'bar' });
		expect(res.body.source).toEqual({ type: 'credit_card', brand: 'jcb', last_four_digits: '0106', month: 12, year: FUTURE_YEAR });
	});

	it('validates customers', async () => {
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { email: 'a@b.example' } }), 422, 'missing_parameter', 'payment_details');
		expectError(await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card('4123111111111000') } }), 402, 'insufficient_funds');
		expectError(
			await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(CARDS.visa.successChallenge), metadata: { n: 1 } } }),
			422,
			'invalid_parameter',
			'metadata.n',
		);
		expectError(
			await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(CARDS.visa.successChallenge), currency: 'ABC' } }),
			422,
			'invalid_parameter',
			'currency',
		);
	});

	it('creates a secure token from a customer’s stored card', async () => {
		const customer = await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(CARDS.visa.successFrictionless) } });
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', {
			json: { amount: 1000, currency: 'JPY', return_url: 'https://shop.example/back', customer: customer.body.id },
		});
		expect(res.status).toBe(200);
		expect(res.body.verification_status).toBe('NEEDS_VERIFY');
		expect(sb.secureTokens()[0]).toMatchObject({ customer: customer.body.id, card: { lastFour: '0100', testCard: 'success_frictionless' } });
	});

	it('answers an unknown or foreign customer with 404 not_found, param customer', async () => {
		const other = await call(sb, 'POST', '/api/v1/customers', { key: 'sk_test_other', json: { payment_details: card(CARDS.visa.successFrictionless) } });
		for (const id of ['nope', other.body.id]) {
			const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: { amount: 1, currency: 'JPY', return_url: 'https://x.example/', customer: id } });
			expectError(res, 404, 'not_found', 'customer');
		}
	});

	it('supports Komoju-Scenario: insufficient_funds on customer, payment and session creation only', async () => {
		const customer = await call(sb, 'POST', '/api/v1/customers', {
			headers: { 'Komoju-Scenario': 'insufficient_funds' },
			json: { payment_details: card(CARDS.visa.successFrictionless) },
		});
		expect(customer.status).toBe(200);
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: { amount: 1, currency: 'JPY', return_url: 'https://x.example/', customer: customer.body.id } });
		expectError(res, 402, 'insufficient_funds');
		const elsewhere = await call(sb, 'POST', '/api/v1/secure_tokens', { headers: { 'Komoju-Scenario': 'insufficient_funds' }, json: tokenRequest(CARDS.visa.successFrictionless) });
		expectError(elsewhere, 400, 'bad_request', 'Komoju-Scenario');
		const onTokens = await call(sb, 'POST', '/api/v1/tokens', { headers: { 'Komoju-Scenario': 'insufficient_funds' }, json: { payment_details: card('4111111111111111') } });
		expectError(onTokens, 400, 'bad_request', 'Komoju-Scenario');
		expectError(await call(sb, 'GET', '/api/v1/payments', { headers: { 'Komoju-Scenario': 'insufficient_funds' } }), 400, 'bad_request', 'Komoju-Scenario');
		const session = await call(sb, 'POST', '/api/v1/sessions', { headers: { 'Komoju-Scenario': 'insufficient_funds' }, json: { amount: 1, currency: 'JPY' } });
		expect(session.status).toBe(200);
		const unknown = await call(sb, 'POST', '/api/v1/customers', { headers: { 'Komoju-Scenario': 'card_declined' }, json: { payment_details: card(CARDS.visa.successFrictionless) } });
		expectError(unknown, 400, 'bad_request', 'Komoju-Scenario');
	});

	it('rejects a stored card that has expired since', async () => {
		const customer = await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(CARDS.visa.successFrictionless) } });
		sb.advanceClock(5 * 366 * 24 * 3600 * 1000);
		const res = await call(sb, 'POST', '/api/v1/secure_tokens', { json: { amount: 1, currency: 'JPY', return_url: 'https://x.example/', customer: customer.body.id } });
		expectError(res, 422, 'card_expired', 'customer');
	});
});

describe('payments and payment methods', () => {
	it.each(['page=0', 'per_page=0', 'per_page=-1', 'per_page=1.5', 'page=abc', 'per_page=101', 'per_page=1&per_page=2', 'sort=desc', 'status=paid', 'start_time=yesterday'])(
		'422 for %s',
		async (query) => {
			const res = await call(sb, 'GET', `/api/v1/payments?${query}`);
			expect(res.status).toBe(422);
			expect(res.body.error.code).toBe('invalid_parameter');
		},
	);

	it('pages an empty list', async () => {
		const res = await call(sb, 'GET', '/api/v1/payments?page=3&per_page=100&status=captured,authorized&currency=JPY&start_time=2025-01-01T00:00:00Z');
		expect(res.body).toEqual({
			resource: 'payment_list',
			total: 0,
			page: 3,
			per_page: 100,
			last_page: 0,
			data: [],
			start_time: '2025-01-01T09:00:00.000+09:00',
			end_time: expect.stringMatching(/\+09:00$/),
		});
		expect((await call(sb, 'GET', '/api/v1/payments')).body.per_page).toBe(10);
	});

	it('lists credit card payment methods', async () => {
		const res = await call(sb, 'GET', '/api/v1/payment_methods');
		expect(res.status).toBe(200);
		expect(Array.isArray(res.body)).toBe(true);
		expect(res.body[0]).toMatchObject({ type_slug: 'credit_card', currency: 'JPY' });
	});
});
