import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startSandbox } from '../../sandbox/server';
import { waitUntil } from '../wait';
import { ALL_TEST_NUMBERS, basic, call, card, CARDS, control, FUTURE_YEAR, Sandbox, SECRET, tokenRequest } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ contract: 'observe', secretKeys: ['sk_test_sandbox', 'sk_test_second'] });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const create = (opts: Parameters<typeof call>[3] = {}) =>
	call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successChallenge), ...opts });

describe('idempotency', () => {
	it('replays the first result for the same key and body, creating nothing', async () => {
		const first = await create({ idempotencyKey: 'order-42' });
		const second = await create({ idempotencyKey: 'order-42' });
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		expect(second.text).toBe(first.text);
		expect(sb.secureTokens()).toHaveLength(1);
		expect(sb.requests.map((r) => r.idempotency)).toEqual(['stored', 'replayed']);
	});

	it('answers 409 while the first request is still being processed', async () => {
		// A barrier holds both until both have arrived, then lets them go on together: the first
		// to arrive claims the key and is processing (the latency) when the other one checks it.
		sb.injectFault({ path: '/api/v1/secure_tokens', action: { barrier: 2 } });
		sb.configure({ latencyMs: 100 });
		const both = await Promise.all([create({ idempotencyKey: 'in-flight' }), create({ idempotencyKey: 'in-flight' })]);
		expect(both.map((res) => res.status).sort()).toEqual([200, 409]);
		const first = both.find((res) => res.status === 200)!;
		const during = both.find((res) => res.status === 409)!;
		expect(during.body.error).toMatchObject({ code: 'conflict', param: 'X-KOMOJU-IDEMPOTENCY' });
		expect(sb.requests.map((r) => r.idempotency)).toEqual(['stored', 'conflict']);
		const after = await create({ idempotencyKey: 'in-flight' });
		expect(after.text).toBe(first.text);
		expect(sb.secureTokens()).toHaveLength(1);
	});

	it('rejects the same key with a different body or endpoint (422, not 409)', async () => {
		await create({ idempotencyKey: 'k1' });
		const other = await call(sb, 'POST', '/api/v1/secure_tokens', { idempotencyKey: 'k1', json: tokenRequest(CARDS.visa.successChallenge, { amount: 2000 }) });
		expect(other.status).toBe(422);
		expect(other.body.error).toMatchObject({ code: 'invalid_parameter', param: 'X-KOMOJU-IDEMPOTENCY' });
		const customer = await call(sb, 'POST', '/api/v1/customers', { idempotencyKey: 'k1', json: { payment_details: card(CARDS.visa.successChallenge) } });
		expect(customer.status).toBe(422);
		expect(sb.secureTokens()).toHaveLength(1);
		expect(sb.customers()).toHaveLength(0);
	});

	it('scopes keys per API key', async () => {
		await create({ idempotencyKey: 'shared' });
		const second = await create({ idempotencyKey: 'shared', key: 'sk_test_second' });
		expect(second.status).toBe(200);
		expect(sb.secureTokens()).toHaveLength(2);
	});

	it('validates the header', async () => {
		expect((await create({ idempotencyKey: 'x'.repeat(100) })).status).toBe(200);
		for (const bad of ['x'.repeat(101), 'clé', '']) {
			const res = await create({ idempotencyKey: bad });
			expect(res.status).toBe(400);
			expect(res.body.error).toMatchObject({ code: 'bad_request', param: 'X-KOMOJU-IDEMPOTENCY' });
		}
		const onGet = await call(sb, 'GET', '/api/v1/payments', { idempotencyKey: 'abc' });
		expect(onGet.status).toBe(400);
	});

	it('stores deterministic endpoint errors (422, 402) and replays them', async () => {
		const bad = tokenRequest('4123111111111000');
		const first = await call(sb, 'POST', '/api/v1/secure_tokens', { idempotencyKey: 'decline', json: bad });
		const again = await call(sb, 'POST', '/api/v1/secure_tokens', { idempotencyKey: 'decline', json: bad });
		expect(first.status).toBe(402);
		expect(again.text).toBe(first.text);
		expect(sb.requests[1].idempotency).toBe('replayed');
	});

	it('stores nothing when the request was rejected before processing', async () => {
		const unauth = await call(sb, 'POST', '/api/v1/secure_tokens', { key: 'sk_test_wrong', idempotencyKey: 'pre', json: tokenRequest(CARDS.visa.successChallenge) });
		expect(unauth.status).toBe(401);
		sb.injectFault({ path: '/api/v1/secure_tokens', action: { status: 503 } });
		expect((await create({ idempotencyKey: 'pre' })).status).toBe(503);
		const real = await create({ idempotencyKey: 'pre' });
		expect(real.status).toBe(200);
		expect(sb.requests.map((r) => r.idempotency)).toEqual([null, null, 'stored']);
	});

	it('forgets keys after 24 hours', async () => {
		await create({ idempotencyKey: 'day' });
		sb.advanceClock(24 * 3600 * 1000 - 60_000);
		await create({ idempotencyKey: 'day' });
		expect(sb.secureTokens()).toHaveLength(1);
		sb.advanceClock(60_000);
		await create({ idempotencyKey: 'day' });
		expect(sb.secureTokens()).toHaveLength(2);
	});
});

describe('fault injection', () => {
	it('status: answers without processing, with KOMOJU’s error body', async () => {
		const rule = sb.injectFault({ method: 'POST', path: '/api/v1/secure_tokens', action: { status: 503 } });
		expect(rule).toMatchObject({ id: expect.any(Number), times: 1, kind: 'status' });
		const res = await create();
		expect(res.status).toBe(503);
		expect(res.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String), param: '', details: {} } });
		expect(sb.secureTokens()).toHaveLength(0);
		expect(sb.requests[0].fault).toMatchObject({ id: rule.id, kind: 'status' });
		expect((await create()).status).toBe(200);
		expect(sb.faults()).toEqual([]);
	});

	it('status: custom body, Retry-After and content type', async () => {
		sb.injectFault({ action: { status: 429, retryAfter: 2, body: { error: { code: 'too_many_requests', message: 'slow down', param: null, details: null } } } });
		const limited = await create();
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		expect(limited.body.error.message).toBe('slow down');
		sb.injectFault({ action: { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' } });
		const proxy = await create();
		expect(proxy.status).toBe(502);
		expect(proxy.headers.get('content-type')).toBe('text/html');
		expect(proxy.text).toBe('<html>Bad gateway</html>');
	});

	it('delayMs: delays, then processes normally', async () => {
		sb.injectFault({ path: '/api/v1/payments', action: { delayMs: 150 } });
		const t0 = Date.now();
		const res = await call(sb, 'GET', '/api/v1/payments');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		expect(res.status).toBe(200);
	});

	it('drop: destroys the connection before processing', async () => {
		sb.injectFault({ path: '/api/v1/secure_tokens', action: { drop: true } });
		await expect(create({ idempotencyKey: 'drop' })).rejects.toThrow();
		expect(sb.secureTokens()).toHaveLength(0);
		expect(sb.requests[0]).toMatchObject({ outcome: 'dropped', status: null, fault: { kind: 'drop' } });
		expect((await create({ idempotencyKey: 'drop' })).status).toBe(200);
	});

	it('failAfterProcessing: creates the object, stores the result, loses the response', async () => {
		sb.injectFault({ path: '/api/v1/secure_tokens', action: { failAfterProcessing: true } });
		await expect(create({ idempotencyKey: 'lost' })).rejects.toThrow();
		expect(sb.secureTokens()).toHaveLength(1);
		expect(sb.requests[0]).toMatchObject({ outcome: 'lost', status: null, processedStatus: 200, idempotency: 'stored' });
		const retry = await create({ idempotencyKey: 'lost' });
		expect(retry.status).toBe(200);
		expect(retry.body.id).toBe(sb.secureTokens()[0].id);
		expect(sb.secureTokens()).toHaveLength(1);
	});

	it('failAfterProcessing with status: processes, then answers that status', async () => {
		sb.injectFault({ path: '/api/v1/secure_tokens', action: { failAfterProcessing: true, status: 500 } });
		const res = await create({ idempotencyKey: 'five-hundred' });
		expect(res.status).toBe(500);
		expect(res.body.error.code).toBe('internal_server_error');
		expect(sb.secureTokens()).toHaveLength(1);
		const retry = await create({ idempotencyKey: 'five-hundred' });
		expect(retry.body.id).toBe(sb.secureTokens()[0].id);
	});

	it('matches in order, counts down, and honours method, prefix and exact paths', async () => {
		sb.injectFault({ method: 'GET', path: '/api/v1/secure_tokens', action: { status: 500 }, times: 2 });
		sb.injectFault({ path: '/api/v1/secure_tokens', exact: true, action: { status: 502 } });
		const created = await create(); // POST: the GET rule does not match; the exact rule does
		expect(created.status).toBe(502);
		const id = (await create()).body.id;
		expect((await call(sb, 'GET', `/api/v1/secure_tokens/${id}`)).status).toBe(500); // prefix match
		expect((await call(sb, 'GET', `/api/v1/secure_tokens/${id}`)).status).toBe(500);
		expect((await call(sb, 'GET', `/api/v1/secure_tokens/${id}`)).status).toBe(200);
	});

	it('also applies to the 3DS page', async () => {
		const token = (await create()).body;
		sb.injectFault({ path: '/three_d_secure_service', action: { status: 503 } });
		expect((await fetch(token.authentication_url, { redirect: 'manual' })).status).toBe(503);
	});

	it('rejects invalid rules', () => {
		expect(() => sb.injectFault({ action: { delayMs: -1 } })).toThrow();
		expect(() => sb.injectFault({ path: 'api', action: { drop: true } })).toThrow();
		expect(() => sb.injectFault({ action: {} as never })).toThrow();
		expect(() => sb.injectFault({ times: 0, action: { status: 500 } })).toThrow();
	});

	it('is controllable over HTTP', async () => {
		const post = await fetch(`${sb.url}/__sandbox/faults`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify([{ path: '/api/v1/payments', action: { status: 504 } }, { path: '/api/v1/payments', action: { status: 503 } }]),
		});
		expect(post.status).toBe(201);
		expect(await post.json()).toHaveLength(2);
		expect(await (await fetch(`${sb.url}/__sandbox/faults`)).json()).toHaveLength(2);
		expect((await call(sb, 'GET', '/api/v1/payments')).status).toBe(504);
		expect((await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
		expect((await call(sb, 'GET', '/api/v1/payments')).status).toBe(200);
		const bad = await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', body: '{"action":{"teapot":true}}' });
		expect(bad.status).toBe(400);
	});
});

describe('barrier faults', () => {
	const waitingAt = (id: number) => sb.faults().find((rule) => rule.id === id)?.waiting;

	it('holds matching requests until N have arrived, then lets them all go on at once', async () => {
		const rule = sb.injectFault({ method: 'POST', path: '/api/v1/secure_tokens', action: { barrier: 3 } });
		expect(rule).toMatchObject({ kind: 'barrier', times: 3 });
		const settled: number[] = [];
		const send = (index: number) =>
			create().then((res) => {
				settled.push(index);
				return res;
			});
		const firstTwo = [send(0), send(1)];
		await waitUntil('two requests at the barrier', () => waitingAt(rule.id) === 2);
		// Held before anything else: not answered, nothing created.
		expect(settled).toEqual([]);
		expect(sb.requests.map((r) => r.outcome)).toEqual(['pending', 'pending']);
		expect(sb.secureTokens()).toHaveLength(0);

		const all = await Promise.all([...firstTwo, send(2)]);
		expect(all.map((res) => res.status)).toEqual([200, 200, 200]);
		expect(sb.secureTokens()).toHaveLength(3);
		expect(sb.requests.map((r) => r.fault?.kind)).toEqual(['barrier', 'barrier', 'barrier']);
		// All three were in flight together: the last arrived before the first was answered.
		const lastArrival = Math.max(...sb.requests.map((r) => r.startedAtMs));
		const firstAnswer = Math.min(...sb.requests.map((r) => r.startedAtMs + (r.durationMs ?? 0)));
		expect(lastArrival).toBeLessThanOrEqual(firstAnswer);
		// One round by default; then the rule is gone.
		expect(sb.faults()).toEqual([]);
		expect((await create()).status).toBe(200);
	});

	it('with times a multiple of N, each further N arrivals form the next round', async () => {
		const rule = sb.injectFault({ path: '/api/v1/payments', exact: true, times: 4, action: { barrier: 2 } });
		const roundOne = await Promise.all([call(sb, 'GET', '/api/v1/payments'), call(sb, 'GET', '/api/v1/payments')]);
		expect(roundOne.map((res) => res.status)).toEqual([200, 200]);
		expect(sb.faults()).toEqual([expect.objectContaining({ id: rule.id, times: 2, waiting: 0 })]);
		const early = call(sb, 'GET', '/api/v1/payments');
		await waitUntil('the first request of round two', () => waitingAt(rule.id) === 1);
		const roundTwo = await Promise.all([early, call(sb, 'GET', '/api/v1/payments')]);
		expect(roundTwo.map((res) => res.status)).toEqual([200, 200]);
		expect(sb.faults()).toEqual([]);
	});

	it('a round not full within timeoutMs is answered 408 barrier_timeout, stores nothing, and the rule is removed', async () => {
		const rule = sb.injectFault({ method: 'POST', path: '/api/v1/secure_tokens', action: { barrier: 2, timeoutMs: 100 } });
		const alone = await create({ idempotencyKey: 'alone' });
		expect(alone.status).toBe(408);
		expect(alone.body.error).toMatchObject({
			code: 'barrier_timeout',
			message: `Sandbox barrier (fault ${rule.id}) timed out: 1 of 2 requests arrived within 100 ms.`,
		});
		expect(sb.requests[0]).toMatchObject({ status: 408, outcome: 'answered', fault: { kind: 'barrier' }, idempotency: null });
		expect(sb.secureTokens()).toHaveLength(0);
		expect(sb.faults()).toEqual([]);
		// The key stayed free: the same request now goes through.
		expect((await create({ idempotencyKey: 'alone' })).status).toBe(200);
	});

	it('clearing the faults answers the requests waiting at a barrier at once; it works over HTTP', async () => {
		const post = await control(sb, 'POST', '/__sandbox/faults', { path: '/api/v1/payments', action: { barrier: 5 } });
		expect(post.status).toBe(201);
		expect(post.body).toMatchObject({ kind: 'barrier', times: 5 });
		const waiting = call(sb, 'GET', '/api/v1/payments');
		await waitUntil('a request at the barrier', () => waitingAt(post.body.id) === 1);
		expect((await control(sb, 'GET', '/__sandbox/faults')).body).toEqual([expect.objectContaining({ id: post.body.id, waiting: 1 })]);
		expect((await fetch(`${sb.url}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
		const res = await waiting;
		expect(res.status).toBe(408);
		expect(res.body.error.message).toBe(`Sandbox barrier (fault ${post.body.id}) was cleared (reset or clearFaults) with 1 of 5 requests waiting.`);
	});

	it('rejects invalid barrier rules', async () => {
		for (const rule of [
			{ action: { barrier: 0 } },
			{ action: { barrier: 1.5 } },
			{ action: { barrier: '2' } },
			{ action: { barrier: 2, status: 500 } },
			{ action: { barrier: 2, timeoutMs: 0 } },
			{ action: { barrier: 2, timeoutMs: 'soon' } },
			{ times: 3, action: { barrier: 2 } },
		]) {
			expect(() => sb.injectFault(rule as never)).toThrow();
		}
		const bad = await control(sb, 'POST', '/__sandbox/faults', { times: 3, action: { barrier: 2 } });
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toBe('times must be a multiple of barrier: every round must be able to fill.');
		expect(sb.faults()).toEqual([]);
	});
});

describe('latency and rate limit', () => {
	it('adds latency to API requests', async () => {
		sb.configure({ latencyMs: 120 });
		const t0 = Date.now();
		await call(sb, 'GET', '/api/v1/payments');
		expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
	});

	it('limits requests per rolling second with 429 and Retry-After', async () => {
		let now = Date.UTC(2030, 0, 1);
		const limited = await startSandbox({ contract: 'observe', rateLimitPerSecond: 2, now: () => now });
		try {
			expect((await call(limited, 'GET', '/api/v1/payments')).status).toBe(200);
			expect((await call(limited, 'GET', '/api/v1/payments')).status).toBe(200);
			const third = await call(limited, 'GET', '/api/v1/payments');
			expect(third.status).toBe(429);
			expect(third.headers.get('retry-after')).toBe('1');
			expect(third.body).toEqual({ error: { code: 'too_many_requests', message: expect.any(String), param: '', details: {} } });
			now += 999;
			expect((await call(limited, 'GET', '/api/v1/payments')).status).toBe(429);
			now += 1000;
			expect((await call(limited, 'GET', '/api/v1/payments')).status).toBe(200);
		} finally {
			await limited.close();
		}
	});

	it('is configurable over HTTP', async () => {
		// A stopped clock: both calls fall in the same rate-limit second, however slowly they run.
		const frozen = await startSandbox({ now: () => Date.UTC(2030, 0, 1) });
		try {
			const res = await fetch(`${frozen.url}/__sandbox/config`, { method: 'POST', body: JSON.stringify({ rateLimitPerSecond: 1 }) });
			expect(await res.json()).toEqual({ latencyMs: 0, rateLimitPerSecond: 1 });
			expect((await call(frozen, 'GET', '/api/v1/payments')).status).toBe(200);
			expect((await call(frozen, 'GET', '/api/v1/payments')).status).toBe(429);
			expect((await fetch(`${frozen.url}/__sandbox/config`, { method: 'POST', body: '{"latencyMs":-5}' })).status).toBe(400);
		} finally {
			await frozen.close();
		}
	});
});

describe('request record and card data', () => {
	it('masks the card number, drops the CVC, keeps Basic auth', async () => {
		await create();
		const rec = sb.requests[0];
		expect(rec.method).toBe('POST');
		expect(rec.path).toBe('/api/v1/secure_tokens');
		expect(rec.headers.authorization).toBe(basic(SECRET));
		expect(rec.cardNumberSent).toBe(true);
		expect(rec.verificationValueSent).toBe(true);
		expect(rec.body).toMatchObject({ amount: 1000, payment_details: { number: '****5000', month: 8, year: FUTURE_YEAR } });
		expect((rec.body as { payment_details: Record<string, unknown> }).payment_details).not.toHaveProperty('verification_value');
		expect(rec).toMatchObject({ status: 200, outcome: 'answered', apiKey: SECRET, keyKind: 'secret', kind: 'api' });
	});

	it('never shows a card number in responses, the record or the state', async () => {
		const texts: string[] = [];
		for (const number of ALL_TEST_NUMBERS) {
			const cvc = number.startsWith('37') ? '1234' : '123';
			const token = await call(sb, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(number, { payment_details: card(number, { verification_value: cvc }) }) });
			texts.push(token.text);
			if (token.status === 200) {
				texts.push((await call(sb, 'GET', `/api/v1/secure_tokens/${token.body.id}`)).text);
				const page = await fetch(token.body.authentication_url, { redirect: 'manual' });
				texts.push(await page.text());
			}
			const form = `payment_details[type]=credit_card&payment_details[number]=${number}&payment_details[month]=13&payment_details[year]=${FUTURE_YEAR}`;
			texts.push((await call(sb, 'POST', '/api/v1/customers', { form })).text);
			texts.push((await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(number, { verification_value: cvc }) } })).text);
			texts.push((await call(sb, 'POST', '/api/v1/customers', { raw: { contentType: 'application/json', body: `{"payment_details":{"number":"${number}"` } })).text);
			texts.push((await call(sb, 'POST', '/api/v1/secure_tokens', { json: { [number]: 1 } })).text);
		}
		texts.push(await (await fetch(`${sb.url}/__sandbox/requests`)).text());
		texts.push(await (await fetch(`${sb.url}/__sandbox/state`)).text());
		texts.push(JSON.stringify(sb.requests), JSON.stringify(sb.secureTokens()), JSON.stringify(sb.customers()));
		const all = texts.join('\n');
		for (const number of ALL_TEST_NUMBERS) expect(all).not.toContain(number);
		expect(all).not.toContain('"verification_value"');
		expect(sb.requests.filter((r) => r.bodyError !== null).length).toBeGreaterThan(0);
	});

	it('records 3DS page requests and clears over HTTP; control calls are not recorded', async () => {
		const token = (await create()).body;
		await (await fetch(token.authentication_url, { redirect: 'manual' })).text();
		const list = (await control(sb, 'GET', '/__sandbox/requests')).body;
		expect(list.map((r: { kind: string }) => r.kind)).toEqual(['api', '3ds']);
		expect((await fetch(`${sb.url}/__sandbox/requests`, { method: 'DELETE' })).status).toBe(204);
		expect(sb.requests).toHaveLength(0);
	});
});

describe('state and reset', () => {
	it('reports and resets state over HTTP', async () => {
		await create();
		await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(CARDS.jcb.successChallenge) } });
		const state = (await control(sb, 'GET', '/__sandbox/state')).body;
		expect(state.counts).toEqual({ secureTokens: 1, customers: 1, payments: 0, sessions: 0, tokens: 0 });
		expect(state.secureTokens[0]).toMatchObject({ verificationStatus: 'NEEDS_VERIFY', amount: 1000, currency: 'JPY', card: { lastFour: '5000', testCard: 'success_challenge' } });
		expect((await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
		const after = (await control(sb, 'GET', '/__sandbox/state')).body;
		expect(after.counts).toEqual({ secureTokens: 0, customers: 0, payments: 0, sessions: 0, tokens: 0 });
		expect(sb.requests).toHaveLength(0);
	});

	it('moves the clock over HTTP', async () => {
		const res = await control(sb, 'POST', '/__sandbox/clock', { advanceMs: 3600000 });
		expect(res.body.offsetMs).toBe(3600000);
		expect(sb.now() - Date.now()).toBeGreaterThan(3590000);
		expect((await fetch(`${sb.url}/__sandbox/nope`)).status).toBe(404);
	});
});

describe('command line', () => {
	it('prints its URL and key, serves, and stops on SIGTERM', async () => {
		const child = spawn(process.execPath, [path.join(__dirname, '../../sandbox/server.js'), '--port', '0', '--rate-limit', '50'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const line = await new Promise<string>((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (d: Buffer) => {
				out += d.toString();
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.once('exit', (code) => reject(new Error(`exited ${code}`)));
		});
		expect(line).toMatch(/url=http:\/\/127\.0\.0\.1:\d+ secret_key=sk_test_sandbox/);
		const url = /url=(\S+)/.exec(line)![1];
		const res = await fetch(`${url}/api/v1/payments?per_page=1`, { headers: { Authorization: basic(SECRET) } });
		expect(res.status).toBe(200);
		await res.text();
		const code = await new Promise<number | null>((resolve) => {
			child.once('exit', (c) => resolve(c));
			child.kill('SIGTERM');
		});
		expect(code).toBe(0);
	});
});
