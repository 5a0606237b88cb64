import { createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../../sandbox/server';
import { waitUntil } from '../wait';
import { call, card, control, PUBLISHABLE, Sandbox } from './helpers';

const SECOND = 'sk_test_second';
const VISA = '4111111111111111';

let sb: Sandbox;

// ---------------------------------------------------------------------------
// a webhook receiver that checks signatures itself, as a trigger node would

interface Received {
	path: string;
	headers: http.IncomingHttpHeaders;
	raw: Buffer;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

let receiver: http.Server;
let receiverUrl: string;
let received: Received[] = [];
/** statuses answered in order; 200 once it is empty */
let answers: number[] = [];
let hang = false;

/** Constant-time check of X-Komoju-Signature against the raw body bytes (docs §11.3). */
function verify(raw: Buffer, signature: string | string[] | undefined, secret: string): boolean {
	if (typeof signature !== 'string') return false;
	const expected = createHmac('sha256', secret).update(raw).digest('hex');
	return expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

const at = (path: string) => received.filter((r) => r.path === path);

beforeAll(async () => {
	sb = await startSandbox({ contract: 'observe', secretKeys: ['sk_test_sandbox', SECOND], publishableKeys: [PUBLISHABLE], webhooks: { retryDelayMs: 10 } });
	receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			let json: unknown;
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				json = undefined;
			}
			received.push({ path: req.url || '', headers: req.headers, raw, json });
			if (hang) return;
			res.writeHead(answers.shift() ?? 200);
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
	await sb.close();
	receiver.closeAllConnections();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
	sb.reset();
	received = [];
	answers = [];
	hang = false;
});

const createCustomer = (key?: string, extra: Record<string, unknown> = {}) =>
	call(sb, 'POST', '/api/v1/customers', { key, json: { payment_details: card(VISA), email: 'taro@example.com', ...extra } });

// ---------------------------------------------------------------------------

describe('events API', () => {
	it('records customer.created with the customer as the API returns it, card scrubbed', async () => {
		const customer = await createCustomer();
		expect(customer.status).toBe(200);
		const list = await call(sb, 'GET', '/api/v1/events');
		expect(list.status).toBe(200);
		expect(list.body).toMatchObject({ resource: 'list', total: 1, page: 1, per_page: 10, last_page: 1 });
		const [event] = list.body.data;
		expect(Object.keys(event).sort()).toEqual(['created_at', 'data', 'id', 'reason', 'resource', 'type']);
		expect(event).toMatchObject({ type: 'customer.created', resource: 'event', reason: null, data: customer.body });
		expect(event.id).toMatch(/^[a-z0-9]{25}$/);
		expect(event.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+09:00$/);
		expect(list.text).not.toContain(VISA);
		expect(event.data.source).toMatchObject({ last_four_digits: '1111' });
		expect(event.data.source).not.toHaveProperty('verification_value');

		const one = await call(sb, 'GET', `/api/v1/events/${event.id}`);
		expect(one.status).toBe(200);
		expect(one.body).toEqual(event);
		expect(sb.events()).toEqual([event]);
		expect((await control(sb, 'GET', '/__sandbox/events')).body).toEqual([event]);
	});

	it('lists newest first with page / per_page and last_page', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			ids.push((await createCustomer()).body.id);
			sb.advanceClock(1000);
		}
		const customerIds = async (query: string) => {
			const r = await call(sb, 'GET', `/api/v1/events${query}`);
			expect(r.status).toBe(200);
			return { ...r.body, data: r.body.data.map((e: { data: { id: string } }) => e.data.id) };
		};
		expect(await customerIds('')).toMatchObject({ total: 3, last_page: 1, data: [ids[2], ids[1], ids[0]] });
		expect(await customerIds('?per_page=2')).toMatchObject({ total: 3, page: 1, per_page: 2, last_page: 2, data: [ids[2], ids[1]] });
		expect(await customerIds('?per_page=2&page=2')).toMatchObject({ page: 2, last_page: 2, data: [ids[0]] });
		expect(await customerIds('?per_page=2&page=3')).toMatchObject({ total: 3, page: 3, data: [] });
		expect(await customerIds('?per_page=100')).toMatchObject({ per_page: 100, data: [ids[2], ids[1], ids[0]] });
		// several events within one second keep their recording order (newest first): on a stopped
		// clock they surely share their second
		const stoppedAt = Date.now();
		const stopped = await startSandbox({ now: () => stoppedAt });
		try {
			const createOn = async () => {
				const res = await call(stopped, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA) } });
				expect(res.status).toBe(200);
				return res.body;
			};
			const same = [await createOn(), await createOn()];
			expect(same[0].created_at).toBe(same[1].created_at);
			const listed = (await call(stopped, 'GET', '/api/v1/events')).body.data.map((e: { data: { id: string } }) => e.data.id);
			expect(listed).toEqual([same[1].id, same[0].id]);
		} finally {
			await stopped.close();
		}
	});

	it('an empty list reports last_page 0; start_time and end_time are the time of the request', async () => {
		const r = await call(sb, 'GET', '/api/v1/events');
		const now = new Date(Math.floor(sb.now() / 1000) * 1000 + 9 * 3600_000).toISOString().replace('Z', '+09:00');
		expect(r.body).toEqual({ resource: 'list', total: 0, page: 1, per_page: 10, last_page: 0, data: [], start_time: now, end_time: now });
	});

	it('validates list parameters like the payments list (422)', async () => {
		const cases: Array<[string, string]> = [
			['per_page=101', 'per_page'],
			['per_page=0', 'per_page'],
			['page=abc', 'page'],
			['page=-1', 'page'],
			['page=1&page=2', 'page'],
			['status=captured', 'status'],
			['start_time=2026-01-01', 'start_time'],
			['start_time=yesterday', 'start_time'],
			['end_time=2026-13-01T00:00:00Z', 'end_time'],
			['start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z', 'end_time'],
		];
		for (const [query, param] of cases) {
			const r = await call(sb, 'GET', `/api/v1/events?${query}`);
			expect([query, r.status, r.body.error.param]).toEqual([query, 422, param]);
			expect(r.body.error.code).toBe('invalid_parameter');
		}
	});

	it('filters by start_time and end_time (inclusive, any ISO 8601 offset)', async () => {
		const created: Array<{ id: string; at: string }> = [];
		for (let i = 0; i < 3; i++) {
			const c = (await createCustomer()).body;
			created.push({ id: c.id, at: c.created_at });
			sb.advanceClock(3600_000);
		}
		const ids = async (query: string) => (await call(sb, 'GET', `/api/v1/events?${query}`)).body.data.map((e: { data: { id: string } }) => e.data.id);
		// KOMOJU's form, 2026-01-02T12:04:05.000+09:00: the + must be encoded in a query
		const mid = encodeURIComponent(created[1].at);
		expect(await ids(`start_time=${mid}`)).toEqual([created[2].id, created[1].id]);
		expect(await ids(`end_time=${mid}`)).toEqual([created[1].id, created[0].id]);
		expect(await ids(`start_time=${mid}&end_time=${mid}`)).toEqual([created[1].id]);
		const utc = new Date(Date.parse(created[1].at)).toISOString().replace(/\.\d{3}Z$/, 'Z');
		expect(await ids(`start_time=${utc}&end_time=${utc}`)).toEqual([created[1].id]);
		const tokyo = new Date(Date.parse(created[1].at) + 9 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
		expect(await ids(`start_time=${encodeURIComponent(tokyo)}&end_time=${encodeURIComponent(tokyo)}`)).toEqual([created[1].id]);
		const r = await call(sb, 'GET', `/api/v1/events?start_time=${mid}&per_page=1`);
		expect(r.body).toMatchObject({ total: 2, last_page: 2, start_time: created[1].at });
	});

	it('keeps events per merchant; unknown or foreign ids are 404', async () => {
		await createCustomer();
		await createCustomer(SECOND);
		const mine = (await call(sb, 'GET', '/api/v1/events')).body.data;
		const theirs = (await call(sb, 'GET', '/api/v1/events', { key: SECOND })).body.data;
		expect(mine).toHaveLength(1);
		expect(theirs).toHaveLength(1);
		expect(sb.events()).toHaveLength(2);
		const foreign = await call(sb, 'GET', `/api/v1/events/${theirs[0].id}`);
		expect(foreign.status).toBe(404);
		expect(foreign.body.error.code).toBe('not_found');
		expect((await call(sb, 'GET', '/api/v1/events/aaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
		expect((await call(sb, 'GET', `/api/v1/events/${mine[0].id}?expand=1`)).status).toBe(422);
		expect((await call(sb, 'POST', '/api/v1/events', { json: {} })).status).toBe(404);
	});

	it('needs the secret key', async () => {
		await createCustomer();
		const [event] = sb.events();
		expect((await call(sb, 'GET', '/api/v1/events', { key: null })).status).toBe(401);
		expect((await call(sb, 'GET', '/api/v1/events', { key: 'sk_unknown' })).status).toBe(401);
		const pub = await call(sb, 'GET', '/api/v1/events', { key: PUBLISHABLE });
		expect(pub.status).toBe(403);
		expect(pub.body.error.code).toBe('forbidden');
		expect((await call(sb, 'GET', `/api/v1/events/${event.id}`, { key: PUBLISHABLE })).status).toBe(403);
	});

	it('records no event for an idempotent replay or a failed create', async () => {
		const json = { payment_details: card(VISA) };
		await call(sb, 'POST', '/api/v1/customers', { json, idempotencyKey: 'cust-1' });
		await call(sb, 'POST', '/api/v1/customers', { json, idempotencyKey: 'cust-1' });
		await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card('4123111111111059') } });
		await call(sb, 'POST', '/api/v1/customers', { json: { payment_details: card(VISA, { month: 13 }) } });
		await call(sb, 'POST', '/api/v1/secure_tokens', {
			json: { amount: 1, currency: 'JPY', return_url: 'https://shop.example/', payment_details: card(VISA) },
		});
		expect(sb.events().map((e) => e.type)).toEqual(['customer.created']);
	});
});

// ---------------------------------------------------------------------------

describe('webhook deliveries', () => {
	it('pings a new endpoint with KOMOJU headers and a valid signature', async () => {
		const reg = await control(sb, 'POST', '/__sandbox/webhooks', { url: `${receiverUrl}/a`, secret: 'whsec-a', events: ['customer.created'] });
		expect(reg.status).toBe(201);
		expect(reg.body).toMatchObject({ merchant: 'merchant_1', url: `${receiverUrl}/a`, events: ['customer.created'] });
		expect(reg.body.id).toMatch(/^[a-z0-9]{25}$/);
		expect(reg.body).not.toHaveProperty('secret');
		await sb.waitForDeliveries();

		expect(received).toHaveLength(1);
		const [ping] = received;
		expect(ping.headers['content-type']).toBe('application/json');
		expect(ping.headers['user-agent']).toBe('Komoju-Webhook');
		expect(ping.headers['x-komoju-event']).toBe('ping');
		expect(ping.headers['x-komoju-id']).toMatch(/^[a-z0-9]{25}$/);
		expect(ping.headers['x-komoju-signature']).toMatch(/^[0-9a-f]{64}$/);
		expect(verify(ping.raw, ping.headers['x-komoju-signature'], 'whsec-a')).toBe(true);
		expect(verify(ping.raw, ping.headers['x-komoju-signature'], 'whsec-b')).toBe(false);
		expect(ping.json).toMatchObject({ type: 'ping', resource: 'event', reason: null, data: {} });
		expect(ping.json.id).toMatch(/^[a-z0-9]{25}$/);

		// ping is for deliveries only: not in the events list
		expect(sb.events()).toEqual([]);
		expect(sb.deliveries()).toEqual([
			expect.objectContaining({
				deliveryId: ping.headers['x-komoju-id'],
				webhookId: reg.body.id,
				url: `${receiverUrl}/a`,
				eventId: ping.json.id,
				eventType: 'ping',
				source: 'ping',
				attempt: 1,
				redelivery: false,
				status: 200,
				error: null,
				ok: true,
			}),
		]);
		expect((await control(sb, 'GET', '/__sandbox/deliveries')).body).toEqual(sb.deliveries());
		expect((await control(sb, 'GET', '/__sandbox/webhooks')).body).toEqual([reg.body]);
		expect((await control(sb, 'DELETE', '/__sandbox/webhooks')).status).toBe(204);
		expect(sb.webhooks()).toEqual([]);
	});

	it('delivers only subscribed types, only for the merchant, signed over the raw body', async () => {
		sb.registerWebhook({ url: `${receiverUrl}/created`, secret: 's-created', events: ['customer.created'] });
		sb.registerWebhook({ url: `${receiverUrl}/deleted`, secret: 's-deleted', events: ['customer.deleted', 'payment.captured'] });
		sb.registerWebhook({ url: `${receiverUrl}/all`, secret: 's-all', events: ['*'] });
		sb.registerWebhook({ url: `${receiverUrl}/other`, secret: 's-other', events: ['*'], merchant: 'merchant_2' });
		await sb.waitForDeliveries();
		expect(received.map((r) => r.headers['x-komoju-event'])).toEqual(['ping', 'ping', 'ping', 'ping']);
		received = [];

		await createCustomer();
		await sb.waitForDeliveries();
		const [event] = sb.events();
		expect(received.map((r) => r.path).sort()).toEqual(['/all', '/created']);
		for (const [path, secret] of [['/created', 's-created'], ['/all', 's-all']]) {
			const [r] = at(path);
			expect(r.headers['x-komoju-event']).toBe('customer.created');
			expect(verify(r.raw, r.headers['x-komoju-signature'], secret)).toBe(true);
			expect(r.json).toEqual(event);
			expect(r.raw.toString('utf8')).not.toContain(VISA);
		}
		expect(at('/created')[0].headers['x-komoju-id']).not.toBe(at('/all')[0].headers['x-komoju-id']);

		received = [];
		await createCustomer(SECOND);
		await sb.waitForDeliveries();
		expect(received.map((r) => r.path)).toEqual(['/other']);
	});

	it('redelivers the same body with the same X-Komoju-ID and signature', async () => {
		sb.registerWebhook({ url: `${receiverUrl}/r`, secret: 'whsec-r', events: ['customer.created'] });
		await createCustomer();
		await sb.waitForDeliveries();
		const first = at('/r').find((r) => r.headers['x-komoju-event'] === 'customer.created')!;
		const deliveryId = first.headers['x-komoju-id'] as string;

		const attempt = await sb.redeliver(deliveryId);
		expect(attempt).toMatchObject({ deliveryId, attempt: 2, redelivery: true, status: 200, ok: true });
		const viaHttp = await control(sb, 'POST', `/__sandbox/deliveries/${deliveryId}/redeliver`);
		expect(viaHttp.status).toBe(200);
		expect(viaHttp.body).toMatchObject({ deliveryId, attempt: 3, redelivery: true, status: 200 });

		const copies = at('/r').filter((r) => r.headers['x-komoju-id'] === deliveryId);
		expect(copies).toHaveLength(3);
		for (const c of copies) {
			expect(c.raw.equals(first.raw)).toBe(true);
			expect(c.headers['x-komoju-signature']).toBe(first.headers['x-komoju-signature']);
			expect(c.headers['x-komoju-event']).toBe('customer.created');
			expect(verify(c.raw, c.headers['x-komoju-signature'], 'whsec-r')).toBe(true);
		}
		expect((await control(sb, 'POST', '/__sandbox/deliveries/nope/redeliver')).status).toBe(404);
		await expect(sb.redeliver('nope')).rejects.toThrow('No such delivery');
	});

	it('retries a 500 answer with the same delivery, then stops after maxAttempts', async () => {
		sb.configureWebhooks({ maxAttempts: 3, retryDelayMs: 5 });
		sb.registerWebhook({ url: `${receiverUrl}/flaky`, secret: 'whsec-f', events: ['customer.created'] });
		await sb.waitForDeliveries();
		received = [];
		sb.clearDeliveries();

		answers = [500, 503];
		await createCustomer();
		await sb.waitForDeliveries();
		expect(received).toHaveLength(3);
		const id = received[0].headers['x-komoju-id'];
		for (const r of received) {
			expect(r.headers['x-komoju-id']).toBe(id);
			expect(r.raw.equals(received[0].raw)).toBe(true);
			expect(verify(r.raw, r.headers['x-komoju-signature'], 'whsec-f')).toBe(true);
		}
		expect(sb.deliveries().map((d) => [d.attempt, d.status, d.ok, d.error, d.nextRetryInMs])).toEqual([
			[1, 500, false, 'HTTP 500', 5],
			[2, 503, false, 'HTTP 503', 10],
			[3, 200, true, null, null],
		]);

		// bounded: an endpoint that always fails gets exactly maxAttempts tries
		received = [];
		sb.clearDeliveries();
		answers = [500, 500, 500, 500, 500];
		await createCustomer();
		await sb.waitForDeliveries();
		expect(received).toHaveLength(3);
		expect(sb.deliveries().map((d) => d.status)).toEqual([500, 500, 500]);
		expect(sb.deliveries()[2].nextRetryInMs).toBeNull();
	});

	it('treats a refused connection, a redirect and a timeout as failures', async () => {
		sb.configureWebhooks({ maxAttempts: 2, retryDelayMs: 1, timeoutMs: 100 });
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
		await new Promise((resolve) => closed.close(resolve));

		sb.registerWebhook({ url: deadUrl, secret: 's', events: ['*'] });
		await sb.waitForDeliveries();
		expect(sb.deliveries().map((d) => [d.attempt, d.status, d.error])).toEqual([
			[1, null, 'ECONNREFUSED'],
			[2, null, 'ECONNREFUSED'],
		]);

		sb.reset();
		// The redirect must be answered before the timeout: the default 5 s, not a short one that a busy machine could miss.
		sb.configureWebhooks({ maxAttempts: 1 });
		answers = [302];
		sb.registerWebhook({ url: `${receiverUrl}/redirect`, secret: 's', events: ['*'] });
		await sb.waitForDeliveries();
		expect(sb.deliveries()[0]).toMatchObject({ status: 302, ok: false, error: 'HTTP 302' });

		sb.clearDeliveries();
		sb.configureWebhooks({ timeoutMs: 100 });
		hang = true;
		sb.registerWebhook({ url: `${receiverUrl}/slow`, secret: 's', events: ['*'] });
		await sb.waitForDeliveries();
		expect(sb.deliveries()[0]).toMatchObject({ status: null, ok: false, error: 'timeout' });
	});

	it('removing an endpoint cancels its pending retries; reset forgets everything', async () => {
		// A retry a minute away: it cannot happen during the test, and waitForDeliveries would time
		// out on it unless removing the endpoint cancelled it.
		sb.configureWebhooks({ maxAttempts: 5, retryDelayMs: 60_000 });
		answers = [500];
		const w = sb.registerWebhook({ url: `${receiverUrl}/gone`, secret: 's', events: ['*'] });
		await waitUntil('the first attempt', () => sb.deliveries().length > 0);
		expect(sb.deliveries()).toEqual([expect.objectContaining({ attempt: 1, status: 500, nextRetryInMs: 60_000 })]);
		expect((await control(sb, 'DELETE', `/__sandbox/webhooks/${w.id}`)).status).toBe(204);
		expect((await control(sb, 'DELETE', `/__sandbox/webhooks/${w.id}`)).status).toBe(404);
		await sb.waitForDeliveries(1000);
		expect(received).toHaveLength(1);
		expect(sb.deliveries()).toHaveLength(1);

		await createCustomer();
		sb.registerWebhook({ url: `${receiverUrl}/x`, secret: 's', events: ['*'] });
		await sb.waitForDeliveries();
		expect((await control(sb, 'POST', '/__sandbox/reset')).status).toBe(204);
		expect(sb.events()).toEqual([]);
		expect(sb.webhooks()).toEqual([]);
		expect(sb.deliveries()).toEqual([]);
		expect((await control(sb, 'GET', '/__sandbox/webhooks/config')).body).toEqual({ maxAttempts: 4, retryDelayMs: 10, timeoutMs: 5000 });
	});

	it('rejects invalid registrations and config (400 over HTTP, throws on the handle)', async () => {
		const bad = [
			{ url: 'ftp://x.example/', secret: 's', events: ['*'] },
			{ url: 'not a url', secret: 's', events: ['*'] },
			{ url: receiverUrl, secret: '', events: ['*'] },
			{ url: receiverUrl, secret: 's', events: [] },
			{ url: receiverUrl, secret: 's', events: ['customer.exploded'] },
			{ url: receiverUrl, secret: 's', events: ['ping'] },
			{ url: receiverUrl, secret: 's', events: ['*', 'customer.created'] },
			{ url: receiverUrl, secret: 's', events: ['customer.created', 'customer.created'] },
			{ url: receiverUrl, secret: 's', events: ['*'], merchant: 'merchant_9' },
			{ url: receiverUrl, secret: 's', events: ['*'], extra: 1 },
		];
		for (const input of bad) {
			const r = await control(sb, 'POST', '/__sandbox/webhooks', input);
			expect([input, r.status]).toEqual([input, 400]);
			expect(() => sb.registerWebhook(input as never)).toThrow();
		}
		expect(sb.webhooks()).toEqual([]);
		expect((await control(sb, 'POST', '/__sandbox/webhooks/config', { maxAttempts: 0 })).status).toBe(400);
		expect((await control(sb, 'POST', '/__sandbox/webhooks/config', { retries: 1 })).status).toBe(400);
		expect((await control(sb, 'POST', '/__sandbox/webhooks/config', { maxAttempts: 2 })).body).toEqual({ maxAttempts: 2, retryDelayMs: 10, timeoutMs: 5000 });
		await sb.waitForDeliveries();
		expect(received).toEqual([]);
	});
});

// ---------------------------------------------------------------------------

describe('sending arbitrary signed events (trigger tests)', () => {
	const event = {
		id: 'evt000000000000000000000a',
		type: 'payment.captured',
		resource: 'event',
		data: { id: 'pay00000000000000000000aa', resource: 'payment', status: 'captured', amount: 1000, currency: 'JPY' },
		created_at: '2026-01-02T03:04:05Z',
		reason: null,
	};
	const secret = 'whsec-trigger';

	it('sends once with a valid signature, and records it', async () => {
		const attempt = await sb.sendWebhook({ url: `${receiverUrl}/t`, secret, event });
		expect(attempt).toMatchObject({ source: 'send', signature: 'valid', eventId: event.id, eventType: 'payment.captured', status: 200, ok: true, attempt: 1 });
		expect(received).toHaveLength(1);
		const [r] = received;
		expect(r.raw.toString('utf8')).toBe(JSON.stringify(event));
		expect(r.headers['x-komoju-event']).toBe('payment.captured');
		expect(r.headers['x-komoju-id']).toBe(attempt.deliveryId);
		expect(r.headers['user-agent']).toBe('Komoju-Webhook');
		expect(verify(r.raw, r.headers['x-komoju-signature'], secret)).toBe(true);
		expect(sb.deliveries()).toEqual([attempt]);

		// a 4xx answer is reported but not retried
		answers = [401];
		expect(await sb.sendWebhook({ url: `${receiverUrl}/t`, secret, event })).toMatchObject({ status: 401, ok: false });
		expect(received).toHaveLength(2);
	});

	it('sends wrong, missing or tampered signatures for negative tests', async () => {
		await sb.sendWebhook({ url: `${receiverUrl}/wrong`, secret, event, signature: 'wrong' });
		await sb.sendWebhook({ url: `${receiverUrl}/missing`, secret, event, signature: 'missing' });
		await sb.sendWebhook({ url: `${receiverUrl}/tampered`, secret, event, signature: 'tampered' });

		const wrong = at('/wrong')[0];
		expect(wrong.headers['x-komoju-signature']).toMatch(/^[0-9a-f]{64}$/);
		expect(verify(wrong.raw, wrong.headers['x-komoju-signature'], secret)).toBe(false);
		expect(wrong.raw.toString('utf8')).toBe(JSON.stringify(event));

		const missing = at('/missing')[0];
		expect(missing.headers).not.toHaveProperty('x-komoju-signature');
		expect(missing.headers['x-komoju-id']).toBeDefined();

		const tampered = at('/tampered')[0];
		expect(verify(tampered.raw, tampered.headers['x-komoju-signature'], secret)).toBe(false);
		expect(tampered.headers['x-komoju-signature']).toBe(createHmac('sha256', secret).update(JSON.stringify(event)).digest('hex'));
		expect(tampered.json).toEqual({ ...event, tampered: true });

		expect(sb.deliveries().map((d) => d.signature)).toEqual(['wrong', 'missing', 'tampered']);
	});

	it('pretty: true signs the exact indented bytes, so re-serialised JSON would not verify', async () => {
		await sb.sendWebhook({ url: `${receiverUrl}/pretty`, secret, event, pretty: true });
		const [r] = at('/pretty');
		expect(r.raw.toString('utf8')).toBe(JSON.stringify(event, null, 2));
		expect(verify(r.raw, r.headers['x-komoju-signature'], secret)).toBe(true);
		expect(verify(Buffer.from(JSON.stringify(r.json)), r.headers['x-komoju-signature'], secret)).toBe(false);
	});

	it('works over HTTP, can be redelivered, and validates its input', async () => {
		const res = await control(sb, 'POST', '/__sandbox/webhooks/send', { url: `${receiverUrl}/h`, secret, event, signature: 'missing' });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ source: 'send', signature: 'missing', status: 200 });
		const again = await sb.redeliver(res.body.deliveryId);
		expect(again).toMatchObject({ redelivery: true, attempt: 2, signature: 'missing' });
		expect(at('/h')).toHaveLength(2);
		expect(at('/h')[1].raw.equals(at('/h')[0].raw)).toBe(true);
		expect(at('/h')[1].headers).not.toHaveProperty('x-komoju-signature');

		for (const input of [
			{ url: `${receiverUrl}/h`, secret, event: { id: 'x' } },
			{ url: `${receiverUrl}/h`, secret, event: { ...event, type: 'payment.captured\r\nX-Evil: 1' } },
			{ url: `${receiverUrl}/h`, secret, event: 'payment.captured' },
			{ url: `${receiverUrl}/h`, secret: '', event },
			{ url: 'mailto:x@example.com', secret, event },
			{ url: `${receiverUrl}/h`, secret, event, signature: 'upper' },
			{ url: `${receiverUrl}/h`, secret, event, pretty: 'yes' },
		]) {
			expect((await control(sb, 'POST', '/__sandbox/webhooks/send', input)).status).toBe(400);
			expect(() => sb.sendWebhook(input as never)).toThrow();
		}
		expect(at('/h')).toHaveLength(2);
	});
});
