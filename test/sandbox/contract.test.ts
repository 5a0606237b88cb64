/**
 * The contract check itself (sandbox/contract.js): KOMOJU's contract judges every /api/v1 request
 * and answer. Requests that break it on purpose in strict mode are violations; `provoked` takes
 * them back out of the process-wide tally, so the guard (test/contract/guard.ts) does not fail
 * these tests for doing what they mean to do. In observe mode they are probes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	ContractJudge,
	findOperation,
	judgeAnswer,
	judgeRequest,
	processReport,
	summaryLine,
	withdrawViolations,
} from '../../sandbox/contract';
import { DEVIATIONS, UNJUDGED } from '../../sandbox/contract-exceptions';
import { parseArgs, ROUTES, startSandbox } from '../../sandbox/server';
import { call, card, control, FUTURE_YEAR, Sandbox, tokenRequest } from './helpers';

const REPO = join(__dirname, '..', '..');
const VENDORED = join(REPO, 'sandbox', 'contract', 'contract.json');
const SHARED = join(REPO, '..', 'shared', 'komoju-contract', 'contract.json');
const VERSION = '2025-01-28';

type Violation = ReturnType<typeof processReport>['violations'][number];

/** Runs `work`, returns the violations it recorded and takes them out of the process-wide tally. */
async function provoked(work: () => Promise<unknown>): Promise<Violation[]> {
	const before = processReport().violations;
	const start = before.length ? before[before.length - 1].seq : 0;
	let mine: Violation[] = [];
	try {
		await work();
	} finally {
		mine = processReport().violations.filter((v) => v.seq > start);
		withdrawViolations(mine.map((v) => v.seq));
	}
	return mine;
}

const goodPayment = () => ({ amount: 1000, currency: 'JPY', tax: 0, payment_details: card('4111111111111111') });

let strict: Sandbox;
let observe: Sandbox;

beforeAll(async () => {
	strict = await startSandbox({ contract: 'strict' });
	observe = await startSandbox({ contract: 'observe' });
});
afterAll(async () => {
	await strict.close();
	await observe.close();
});
beforeEach(() => {
	strict.reset();
	observe.reset();
	strict.clearContractReport();
	observe.clearContractReport();
});

describe('the vendored contract', () => {
	it('is the shared contract.json, byte for byte (or, without it, KOMOJU SDK 1.0.0 restated: 73 operations)', () => {
		const vendored = readFileSync(VENDORED);
		if (existsSync(SHARED)) {
			expect(vendored.equals(readFileSync(SHARED))).toBe(true);
		} else {
			const contract = JSON.parse(vendored.toString('utf8'));
			expect(contract.$id).toBe('contract.json');
			expect(contract.operations).toHaveLength(73);
		}
	});

	it("is the repository's dev dependency only, never the shipped package's", () => {
		const repository = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
		const shipped = JSON.parse(readFileSync(join(REPO, 'packages', 'n8n-nodes-komoju', 'package.json'), 'utf8'));
		expect(repository.devDependencies.ajv).toMatch(/^8\.\d+\.\d+$/);
		expect(shipped.dependencies ?? {}).toEqual({});
	});

	it('has an operation for every route the sandbox serves under /api/v1', () => {
		const missing = ROUTES.map((r) => `${r.method} /api/v1/${r.segments.map((s) => (s === ':id' ? 'x' : s)).join('/')}`).filter((route) => {
			const [method, path] = route.split(' ');
			return findOperation(method, path) === null;
		});
		expect(missing).toEqual([]);
		expect(findOperation('POST', '/api/v1/payments/abc/capture').operationId).toBe('capturePayment');
		expect(findOperation('GET', '/api/v1/disbursements/report').operationId).toBe('disbursementReport');
	});
});

describe('strict mode (the default): a request that breaks the contract is refused', () => {
	it('lets a good createPayment body through', async () => {
		const res = await call(strict, 'POST', '/api/v1/payments', { json: goodPayment(), version: VERSION });
		expect(res.status).toBe(200);
		const record = strict.requests[strict.requests.length - 1];
		expect(record.contract).toEqual({ operation: 'createPayment', requestViolations: [], answerViolations: [] });
		expect(strict.contractReport()).toMatchObject({ requestsChecked: 1, answersChecked: 1, probes: 0, violationCount: 0 });
	});

	it.each([
		['tax as a string', 'POST', '/api/v1/payments', { ...goodPayment(), tax: '0' }, 'tax', 'createPayment: body.tax must be integer or "auto" (got "0")'],
		['no currency', 'POST', '/api/v1/payments', { amount: 1000, payment_details: card('4111111111111111') }, 'currency', 'createPayment: body.currency is required'],
		[
			'fraud_details without customer_email',
			'POST',
			'/api/v1/payments',
			{ ...goodPayment(), fraud_details: { customer_ip: '192.0.2.1' } },
			'fraud_details.customer_email',
			'createPayment: body.fraud_details.customer_email is required',
		],
		[
			'an unknown key in fraud_details',
			'POST',
			'/api/v1/payments',
			{ ...goodPayment(), fraud_details: { customer_ip: '192.0.2.1', customer_email: 'a@b.example', device: 'x' } },
			'fraud_details.device',
			'createPayment: body.fraud_details.device is not a field of FraudDetails',
		],
		['an unknown key in a card', 'POST', '/api/v1/tokens', { payment_details: card('4111111111111111', { pin: '1' }) }, 'payment_details.pin', 'createToken: body.payment_details.pin is not a field of PaymentDetailsCreditCard'],
		['an unknown query parameter', 'GET', '/api/v1/payments?expand=customer', undefined, 'expand', 'listPayments: query.expand is not a parameter of listPayments'],
		['a query parameter of the wrong type', 'GET', '/api/v1/events?per_page=many', undefined, 'per_page', 'listEvents: query.per_page must be integer (got "many")'],
	])('%s: 400 contract_violation naming the operation and the field', async (_name, method, path, json, param, message) => {
		const violations = await provoked(async () => {
			const res = await call(strict, method, path, { json, version: VERSION, idempotencyKey: method === 'POST' ? 'key-1' : undefined });
			expect(res.status).toBe(400);
			expect(res.body.error).toEqual({ code: 'contract_violation', message: expect.stringContaining(message), param, details: { violations: [message] } });
		});
		expect(violations.map((v) => [v.where, v.message])).toEqual([['request', message]]);
		expect(strict.contractReport()).toMatchObject({ requestsChecked: 1, probes: 0, violationCount: 1 });
		expect(strict.requests[0].contract.requestViolations).toEqual([message]);
		// refused before anything happened: nothing stored, and the idempotency key is still free
		expect([strict.payments(), strict.tokens(), strict.events()]).toEqual([[], [], []]);
		if (method === 'POST') {
			const again = await call(strict, 'POST', '/api/v1/payments', { json: goodPayment(), version: VERSION, idempotencyKey: 'key-1' });
			expect([again.status, again.body.resource, strict.requests[1].idempotency]).toEqual([200, 'payment', 'stored']);
		}
	});

	it('names locale on updateCustomer as no field of UpdateCustomerRequest', async () => {
		const customer = (await call(strict, 'POST', '/api/v1/customers', { json: { payment_details: card('4111111111111111') }, version: VERSION })).body;
		const message = 'updateCustomer: body.locale is not a field of UpdateCustomerRequest';
		const violations = await provoked(async () => {
			const res = await call(strict, 'PATCH', `/api/v1/customers/${customer.id}`, { json: { locale: 'ja', email: 'a@b.example' }, version: VERSION });
			expect([res.status, res.body.error.code, res.body.error.param]).toEqual([400, 'contract_violation', 'locale']);
		});
		expect(violations.map((v) => v.message)).toEqual([message]);
		expect((await call(strict, 'GET', `/api/v1/customers/${customer.id}`, { version: VERSION })).body.email).toBeNull();
	});

	it('picks the union branch closest to the body (createPayment: with customer, or with payment_details)', () => {
		const judge = (body: unknown) => judgeRequest({ method: 'POST', path: '/api/v1/payments', query: {}, raw: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });
		expect(judge({ amount: 1, currency: 'JPY', customer: 'c' }).violations).toEqual([]);
		expect(judge({ amount: 1, currency: 'JPY', payment_details: 'tok_1' }).violations).toEqual([]);
		expect(judge({ amount: 1, currency: 'JPY' }).violations.map((v) => v.message)).toEqual(['createPayment: body.customer or body.payment_details is required']);
		expect(judge({ amount: 1, currency: 'JPY', customer: 'c', payment_details: 'tok_1' }).violations.map((v) => v.message)).toEqual([
			'createPayment: body must match exactly one of CreatePaymentRequestWithCustomer, CreatePaymentRequestWithPaymentDetailsWire (it matches CreatePaymentRequestWithCustomer and CreatePaymentRequestWithPaymentDetailsWire)',
		]);
		// a card's number is never quoted
		const pan = judge({ amount: 1, currency: 'JPY', payment_details: card('4111111111111111', { number: 4111111111111111 }) });
		expect(pan.violations.map((v) => v.message)).toEqual(['createPayment: body.payment_details.number must be string']);
		// metadata is an open object: any key
		expect(judge({ ...goodPayment(), metadata: { anything: 'x' } }).violations).toEqual([]);
		// not JSON
		const form = judgeRequest({ method: 'POST', path: '/api/v1/payments', query: {}, raw: Buffer.from('amount=1'), contentType: 'application/x-www-form-urlencoded' });
		expect(form.violations).toEqual([{ message: 'createPayment: the body must be application/json (got Content-Type application/x-www-form-urlencoded)', param: 'Content-Type' }]);
	});

	it('judges customer-mode sessions, line items and an operation that takes no body', () => {
		const judge = (path: string, body: unknown) => judgeRequest({ method: 'POST', path, query: {}, raw: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });
		expect(judge('/api/v1/sessions', { mode: 'customer' }).violations.map((v) => v.message)).toEqual(['createSession: body.currency is required']);
		expect(judge('/api/v1/sessions', { amount: 100, currency: 'JPY', line_items: [{ amount: 100, quantity: 1, sku: 'x' }] }).violations.map((v) => v.message)).toEqual([
			'createSession: body.line_items.0.sku is not a field of LineItem',
		]);
		expect(judge('/api/v1/payments/p/cancel', {}).violations).toEqual([]);
		expect(judge('/api/v1/payments/p/cancel', { reason: 'x' }).violations.map((v) => v.message)).toEqual(['cancelPayment: body.reason is not a field: cancelPayment takes no body']);
	});
});

describe('observe mode: the same requests are processed and counted as probes', () => {
	it('processes a request that breaks the contract and counts it as a probe, not a violation', async () => {
		const violations = await provoked(async () => {
			const res = await call(observe, 'POST', '/api/v1/payments', { json: { ...goodPayment(), tax: '0' }, version: VERSION });
			// processed: the sandbox's own rules answer it (they refuse a digit-string tax too)
			expect([res.status, res.body.error.code, res.body.error.param]).toEqual([422, 'invalid_parameter', 'tax']);
			const list = await call(observe, 'GET', '/api/v1/payments?expand=customer', { version: VERSION });
			expect([list.status, list.body.error.code, list.body.error.param]).toEqual([422, 'invalid_parameter', 'expand']);
		});
		expect(violations).toEqual([]);
		expect(observe.contractReport()).toMatchObject({ requestsChecked: 2, answersChecked: 2, probes: 2, violationCount: 0, violations: [] });
		expect(observe.requests.map((r) => r.contract.requestViolations)).toEqual([
			['createPayment: body.tax must be integer or "auto" (got "0")'],
			['listPayments: query.expand is not a parameter of listPayments'],
		]);
		// processed by the endpoint, which refused it: nothing was stored
		expect(observe.payments()).toHaveLength(0);
	});

	it('can be chosen on the command line', () => {
		expect(parseArgs(['--contract', 'observe'])).toEqual({ contract: 'observe' });
		expect(parseArgs(['--contract=strict'])).toEqual({ contract: 'strict' });
		expect(() => parseArgs(['--contract', 'lenient'])).toThrow(/--contract must be strict or observe/);
	});

	it('refuses an unknown mode', async () => {
		await expect(startSandbox({ contract: 'lenient' as 'strict' })).rejects.toThrow(/contract must be one of strict, observe/);
	});
});

describe('answers', () => {
	it('counts an answer that breaks the schema as a violation, in observe mode too', async () => {
		const judge = new ContractJudge('observe');
		const violations = await provoked(async () => {
			const found = judge.answer(
				{ operation: 'createPayment', method: 'POST', path: '/api/v1/payments', status: 422, body: JSON.stringify({ error: { code: 'x', message: 'y', param: null } }), version: VERSION },
				'2026-01-02T03:04:05.000+09:00',
			);
			expect(found.map((v) => v.message).sort()).toEqual([
				'createPayment: answer.error.details is required (HTTP 422)',
				'createPayment: answer.error.param must be string (got null) (HTTP 422)',
			]);
		});
		expect(violations.map((v) => [v.where, v.operation])).toEqual([
			['answer', 'createPayment'],
			['answer', 'createPayment'],
		]);
		expect(judge.contractReport()).toMatchObject({ answersChecked: 1, violationCount: 2 });
	});

	it('judges 2xx answers against the success schema', () => {
		const payment = { id: 'p', resource: 'payment', status: 'captured', amount: 1 };
		expect(judgeAnswer('showPayment', 200, JSON.stringify(payment), VERSION).map((v) => v.message)).toContain('showPayment: answer.currency is required (HTTP 200)');
		expect(judgeAnswer('listPaymentMethods', 200, '{"not":"an array"}', VERSION).map((v) => v.message)).toEqual([
			'listPaymentMethods: answer must be array (got an object) (HTTP 200)',
		]);
		expect(judgeAnswer('showPayment', 200, 'not json', VERSION).map((v) => v.message)).toEqual(['showPayment: answer (HTTP 200) is not JSON']);
	});

	it('reads a legacy secure token (id named secure_token before 2025-01-28) as the listed deviation says, and only then', async () => {
		const token = (await call(strict, 'POST', '/api/v1/secure_tokens', { json: tokenRequest('4111111111111111'), version: VERSION })).body;
		const legacy = await call(strict, 'GET', `/api/v1/secure_tokens/${token.id}`); // no header: the sandbox default, 2024-07-15
		expect(legacy.body).toMatchObject({ secure_token: token.id });
		expect(legacy.body).not.toHaveProperty('id');
		expect(strict.requests[strict.requests.length - 1].contract.answerViolations).toEqual([]);
		expect(judgeAnswer('showSecureToken', 200, legacy.text, '2025-01-28').map((v) => v.message)).toEqual(['showSecureToken: answer.id is required (HTTP 200)']);
		expect(DEVIATIONS.map((d) => d.id)).toContain('legacy-secure-token-id');
	});

	it('judges customer events against Customer and payment events against Payment (a listed deviation)', () => {
		const event = (type: string, data: unknown) => ({ id: 'e', type, resource: 'event', created_at: '2026-01-02T03:04:05.000+09:00', reason: null, data });
		const customer = { id: 'c', resource: 'customer', email: null, source: null, metadata: {}, created_at: '2026-01-02T03:04:05.000+09:00' };
		expect(judgeAnswer('showEvent', 200, JSON.stringify(event('customer.created', customer)), VERSION)).toEqual([]);
		expect(judgeAnswer('showEvent', 200, JSON.stringify(event('payment.captured', customer)), VERSION).map((v) => v.message)).toContain(
			'showEvent: answer.data.status is required (HTTP 200)',
		);
	});

	it('every answer the sandbox gave in this file followed the contract', () => {
		// (the guard checks this after each test; here for both sandboxes at once)
		expect([strict.contractReport().violations, observe.contractReport().violations].flat().filter((v) => v.where === 'answer')).toEqual([]);
	});
});

describe('not judged', () => {
	it('leaves the 3DS page, the hosted session page, /__sandbox and unknown routes alone', async () => {
		const token = (await call(strict, 'POST', '/api/v1/secure_tokens', { json: tokenRequest('4100000000005000'), version: VERSION })).body;
		const session = (await call(strict, 'POST', '/api/v1/sessions', { json: { amount: 1000, currency: 'JPY' }, version: VERSION })).body;
		const before = strict.contractReport();
		const violations = await provoked(async () => {
			await fetch(`${strict.url}/three_d_secure_service/offsite?token=${token.id}&junk=1`);
			await fetch(`${strict.url}/three_d_secure_service/offsite`, { method: 'POST', body: 'token=x&password=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
			await fetch(`${strict.url}/sessions/${session.id}?whatever=1`);
			await control(strict, 'GET', '/__sandbox/state');
			expect((await call(strict, 'GET', '/api/v1/tokens/abc?x=1', { version: VERSION })).status).toBe(404);
			expect((await call(strict, 'POST', '/api/v1/payments/abc/void', { json: { a: 1 }, version: VERSION })).status).toBe(404);
		});
		expect(violations).toEqual([]);
		expect(strict.contractReport()).toMatchObject({ requestsChecked: before.requestsChecked, answersChecked: before.answersChecked });
		const records = strict.requests.slice(2);
		expect(records.map((r) => [r.kind, r.contract.operation])).toEqual([
			['3ds', null],
			['3ds', null],
			['session', null],
			['api', null],
			['api', null],
		]);
		expect(UNJUDGED.map((u) => u.what)).toEqual(expect.arrayContaining(['GET/POST /three_d_secure_service/offsite', 'GET/POST /sessions/{id}', '/__sandbox/*']));
	});

	it('does not judge an answer a test wrote into a fault, but judges the default fault body', async () => {
		strict.injectFault({ path: '/api/v1/payments', action: { status: 502, body: 'upstream broke' } });
		strict.injectFault({ path: '/api/v1/payments', action: { status: 503 } });
		expect((await call(strict, 'GET', '/api/v1/payments', { version: VERSION })).status).toBe(502);
		const judgedFault = await call(strict, 'GET', '/api/v1/payments', { version: VERSION });
		expect(judgedFault.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String), param: '', details: {} } });
		expect(strict.contractReport()).toMatchObject({ requestsChecked: 2, answersChecked: 1, violationCount: 0 });
	});
});

describe('the tally', () => {
	it('survives reset(); clearContractReport() and DELETE /__sandbox/contract empty it', async () => {
		await call(strict, 'GET', '/api/v1/payments', { version: VERSION });
		strict.reset();
		expect(strict.contractReport()).toMatchObject({ requestsChecked: 1, answersChecked: 1 });
		expect((await control(strict, 'GET', '/__sandbox/contract')).body).toMatchObject({ requestsChecked: 1, answersChecked: 1, probes: 0, violations: [] });
		expect((await control(strict, 'DELETE', '/__sandbox/contract')).status).toBe(204);
		expect(strict.contractReport()).toEqual({ requestsChecked: 0, answersChecked: 0, probes: 0, violationCount: 0, violations: [] });
	});

	it('keeps every strict violation in the process-wide tally the guard reads, across reset and clear', async () => {
		const start = processReport();
		const violations = await provoked(async () => {
			await call(strict, 'GET', '/api/v1/customers?foo=1', { version: VERSION });
			strict.reset();
			strict.clearContractReport();
			const mid = processReport();
			expect(mid.violationCount).toBe(start.violationCount + 1);
			expect(mid.violations[mid.violations.length - 1]).toMatchObject({
				operation: 'listCustomers',
				where: 'request',
				message: 'listCustomers: query.foo is not a parameter of listCustomers',
				method: 'GET',
				path: '/api/v1/customers',
				time: expect.stringMatching(/\+09:00$/),
			});
		});
		expect(violations).toHaveLength(1);
		expect(processReport().violationCount).toBe(start.violationCount);
	});

	it('sums up in one line', () => {
		expect(summaryLine({ requestsChecked: 4211, answersChecked: 4211, probes: 312, violationCount: 0 })).toBe(
			'KOMOJU contract: 4211 requests and 4211 answers checked against contract.json, 312 deliberate probes, 0 violations',
		);
		expect(summaryLine({ requestsChecked: 1, answersChecked: 1, probes: 0, violationCount: 1 })).toMatch(/, 1 violation$/);
	});
});

it('takes a card year only as an integer (the sandbox itself also accepts digit strings)', () => {
	const verdict = judgeRequest({
		method: 'POST',
		path: '/api/v1/tokens',
		query: {},
		raw: Buffer.from(JSON.stringify({ payment_details: card('4111111111111111', { year: String(FUTURE_YEAR) }) })),
		contentType: 'application/json',
	});
	expect(verdict.violations.map((v) => v.message)).toEqual(['createToken: body.payment_details.year must be integer (got "' + FUTURE_YEAR + '")']);
});
