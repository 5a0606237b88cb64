import type { IDataObject } from 'n8n-workflow';

import { apiRequests, CARDS, cardCreate, getToken, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

type Recorded = ReturnType<typeof apiRequests>[number];

/** The most requests the sandbox was handling at one instant. */
function peakInFlight(requests: Recorded[]): number {
	const edges = requests.flatMap((request) => {
		const start = request.startedAtMs;
		return [
			{ at: start, change: 1 },
			{ at: start + (request.durationMs ?? 0), change: -1 },
		];
	});
	edges.sort((a, b) => a.at - b.at || a.change - b.change);
	let current = 0;
	let peak = 0;
	for (const edge of edges) {
		current += edge.change;
		peak = Math.max(peak, current);
	}
	return peak;
}

const orders = (count: number) => Array.from({ length: count }, (_, index) => ({ order: index, amount: 100 + index }));
const createFromItems = (options: IDataObject = {}) =>
	cardCreate({ amount: '={{ $json.amount }}', cardNumber: CARDS.regular, options });

const CREATE = { method: 'POST', path: '/api/v1/secure_tokens' };

/**
 * The first `count` matching requests wait at a sandbox barrier until all of them have arrived.
 * The run gets past it only if the node had `count` in flight at once; a node that allows fewer
 * gets the barrier's 408 after 10 s, which the first expectation of each test shows.
 */
function barrier(count: number, rule: { method: string; path: string } = CREATE) {
	sandbox.injectFault({ ...rule, action: { barrier: count } });
}

describe('Concurrency', () => {
	it.each([1, 5, 20])('at %i, that many requests are in flight at once and never more, and the output keeps the input order', async (concurrency) => {
		sandbox.configure({ latencyMs: 60 });
		barrier(concurrency);
		// More items than the limit, so that a node allowing more would be seen going over it.
		const items = orders(25);
		const result = await runKomoju(sandbox, createFromItems({ concurrency }), { items });
		expect(result.error?.message).toBeUndefined();
		const output = result.resultOf('KOMOJU');
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		const amounts = new Map(sandbox.secureTokens().map((token) => [token.id, token.amount]));
		expect(output.map((item) => amounts.get(item.json.id as string))).toEqual(items.map((order) => order.amount));
		// At least `concurrency` at once (the barrier opened, each held request was in flight when the
		// last one arrived) and never more (each request is in flight from arrival to answer, inside
		// the node's own send-to-response time): exactly `concurrency`, whatever the load.
		expect(peakInFlight(apiRequests(sandbox, 'POST', '/api/v1/secure_tokens'))).toBe(concurrency);
	});

	it('defaults to 5 at a time', async () => {
		sandbox.configure({ latencyMs: 60 });
		barrier(5);
		const result = await runKomoju(sandbox, createFromItems(), { items: orders(12) });
		expect(result.error?.message).toBeUndefined();
		expect(peakInFlight(apiRequests(sandbox, 'POST', '/api/v1/secure_tokens'))).toBe(5);
	});

	it('with Continue On Fail, every failing item is an error item in its own place', async () => {
		const items = orders(10).map((order) => ({ ...order, amount: order.order % 3 === 1 ? 1.5 : order.amount }));
		const result = await runKomoju(sandbox, createFromItems({ concurrency: 4 }), {
			items,
			settings: { onError: 'continueRegularOutput' },
		});
		const output = result.resultOf('KOMOJU');
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(output.map((item) => ('error' in item.json ? 'error' : item.json.verification_status))).toEqual([
			'SKIPPED', 'error', 'SKIPPED', 'SKIPPED', 'error', 'SKIPPED', 'SKIPPED', 'error', 'SKIPPED', 'SKIPPED',
		]);
	});

	it('without Continue On Fail, the first failing item by position stops the node and nothing after the running ones starts', async () => {
		sandbox.configure({ latencyMs: 40 });
		const items = orders(30).map((order) => ({ ...order, amount: order.order === 6 ? -1 : order.amount }));
		const result = await runKomoju(sandbox, createFromItems({ concurrency: 3 }), { items });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Amount must be a whole number of 0 or more, got -1');
		expect((result.error as unknown as { context: IDataObject }).context.itemIndex).toBe(6);
		// Items 0–5 were all started before item 6 and are finished; at most the two started beside
		// item 6 come after it; none of the other 21.
		const created = sandbox.secureTokens().map((token) => token.amount);
		expect(created).toEqual(expect.arrayContaining([100, 101, 102, 103, 104, 105]));
		expect(created.length).toBeLessThanOrEqual(8);
	});

	it('a 429 pauses every parallel request until Retry-After has passed', async () => {
		// Of the first five creates, the first to arrive gets a 429 with Retry-After: 1; the other
		// four, already sent, are answered 500 ms later. From then on nothing may start until a
		// second after the 429: neither its retry nor the items the other four workers go on to.
		sandbox.injectFault({ ...CREATE, action: { status: 429, retryAfter: 1 } });
		sandbox.injectFault({ ...CREATE, times: 4, action: { delayMs: 500 } });
		const result = await runKomoju(sandbox, createFromItems({ concurrency: 5 }), { items: orders(15) });
		expect(result.status).toBe('success');
		const requests = apiRequests(sandbox, 'POST', '/api/v1/secure_tokens');
		const limited = requests.find((request) => request.status === 429)!;
		const limitedAt = limited.startedAtMs + (limited.durationMs ?? 0);
		expect(requests.filter((request) => request.fault?.kind === 'delay')).toHaveLength(4);
		// Sent after the 429 was answered: the retry and items 5–14.
		const after = requests.filter((request) => request.fault === null);
		expect(after).toHaveLength(11);
		const tooEarly = after.filter((request) => request.startedAtMs < limitedAt + 1000);
		expect(tooEarly.map((request) => request.startedAtMs - limitedAt)).toEqual([]);
		expect(sandbox.secureTokens()).toHaveLength(15);
	});

	it('after a 429 the node paces itself below the rate KOMOJU let through, instead of bursting again', async () => {
		sandbox.configure({ rateLimitPerSecond: 20 });
		const result = await runKomoju(sandbox, createFromItems({ concurrency: 10, maxRetries: 10 }), { items: orders(80) });
		expect(result.status).toBe('success');
		expect(sandbox.secureTokens()).toHaveLength(80);
		const limited = apiRequests(sandbox, 'POST', '/api/v1/secure_tokens').filter((request) => request.status === 429);
		// Mostly the first burst meets the limit: the ≤ 10 requests in flight then. Bursting after
		// every Retry-After meets it about once a second instead: 30 answers of 429 in this test.
		expect(limited.length).toBeGreaterThan(0);
		expect(limited.length).toBeLessThanOrEqual(15);
	});

	it('applies to every operation: Get runs its items in parallel too', async () => {
		sandbox.configure({ latencyMs: 60 });
		const created = await runKomoju(sandbox, createFromItems(), { items: orders(10) });
		const ids = created.resultOf('KOMOJU').map((item) => ({ id: item.json.id }));
		sandbox.clearRequests();
		barrier(8, { method: 'GET', path: '/api/v1/secure_tokens' });
		const got = await runKomoju(sandbox, getToken('={{ $json.id }}', { concurrency: 8 }), { items: ids });
		expect(got.error?.message).toBeUndefined();
		expect(got.resultOf('KOMOJU').map((item) => item.json.id)).toEqual(ids.map((item) => item.id));
		expect(peakInFlight(apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/'))).toBe(8);
	});

	it('refuses a concurrency outside 1–50 before sending anything', async () => {
		const result = await runKomoju(sandbox, createFromItems({ concurrency: 0 }), { items: orders(2) });
		expect(result.error?.message).toBe('Concurrency must be a whole number from 1 to 50, got 0');
		expect(apiRequests(sandbox, 'POST', '/api/v1/secure_tokens')).toHaveLength(0);
	});
});
