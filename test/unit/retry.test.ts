import {
	CARD_DECLINE_CODES,
	DEFAULT_RETRY_POLICY,
	isSafeToRepeat,
	parseRetryAfter,
	retryDelayMs,
	type RetryContext,
} from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport/retry';
import { mayHaveActed } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport/errors';

const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 3 };
const context = (overrides: Partial<RetryContext> = {}): RetryContext => ({
	method: 'POST',
	hasIdempotencyKey: true,
	retriesSoFar: 0,
	policy,
	random: () => 0.5,
	now: Date.UTC(2026, 10, 29, 12, 0, 0),
	...overrides,
});

describe('retryDelayMs', () => {
	it.each([409, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(retryDelayMs({ status }, context())).toBeGreaterThan(0);
	});

	// 408 included: the sandbox's broken barrier answers it, and a test must fail at once, not retry into the next round.
	it.each([400, 401, 402, 403, 404, 405, 408, 422])('never retries HTTP %i', (status) => {
		expect(retryDelayMs({ status }, context())).toBeUndefined();
	});

	it.each(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE'])(
		'retries the network error %s',
		(networkCode) => {
			expect(retryDelayMs({ networkCode }, context())).toBeGreaterThan(0);
		},
	);

	it.each(CARD_DECLINE_CODES.flatMap((code) => [402, 500, 502, 503].map((status) => [code, status] as const)))(
		'never retries the card decline %s, even as HTTP %i',
		(komojuCode, status) => {
			expect(retryDelayMs({ status, komojuCode }, context())).toBeUndefined();
		},
	);

	it('still retries a 502 whose code is not a decline', () => {
		expect(retryDelayMs({ status: 502, komojuCode: 'bad_gateway' }, context())).toBeGreaterThan(0);
	});

	it('does not retry a cancelled request or an unknown failure', () => {
		expect(retryDelayMs({ networkCode: 'ERR_CANCELED' }, context())).toBeUndefined();
		expect(retryDelayMs({}, context())).toBeUndefined();
	});

	it('repeats a POST only when it carries an idempotency key', () => {
		expect(retryDelayMs({ status: 503 }, context({ hasIdempotencyKey: false }))).toBeUndefined();
		expect(retryDelayMs({ status: 503 }, context({ method: 'GET', hasIdempotencyKey: false }))).toBeDefined();
		expect(retryDelayMs({ status: 503 }, context({ method: 'PATCH' }))).toBeUndefined();
	});

	it('stops after maxRetries', () => {
		expect(retryDelayMs({ status: 500 }, context({ retriesSoFar: 2 }))).toBeDefined();
		expect(retryDelayMs({ status: 500 }, context({ retriesSoFar: 3 }))).toBeUndefined();
		expect(retryDelayMs({ status: 500 }, context({ policy: { ...policy, maxRetries: 0 } }))).toBeUndefined();
	});

	it('backs off exponentially with jitter, capped', () => {
		const delays = [0, 1, 2, 3, 6].map((retriesSoFar) =>
			retryDelayMs({ status: 500 }, context({ retriesSoFar, policy: { ...policy, maxRetries: 10 } })),
		);
		// random() = 0.5 → three quarters of the ceiling: 500, 1000, 2000, 4000, then the 8000 cap.
		expect(delays).toEqual([375, 750, 1500, 3000, 6000]);
		const low = retryDelayMs({ status: 500 }, context({ random: () => 0 }));
		const high = retryDelayMs({ status: 500 }, context({ random: () => 0.999999 }));
		expect(low).toBe(250);
		expect(high).toBe(500);
	});

	it('honours Retry-After in seconds and as a date, with a little jitter', () => {
		const seconds = retryDelayMs({ status: 429, retryAfter: '2' }, context({ random: () => 0 }));
		expect(seconds).toBe(2000);
		const withJitter = retryDelayMs({ status: 429, retryAfter: '2' }, context({ random: () => 1 }));
		expect(withJitter).toBe(2250);
		const date = new Date(Date.UTC(2026, 10, 29, 12, 0, 3)).toUTCString();
		expect(retryDelayMs({ status: 503, retryAfter: date }, context({ random: () => 0 }))).toBe(3000);
	});

	it('gives up when Retry-After asks for longer than the policy allows', () => {
		expect(retryDelayMs({ status: 429, retryAfter: '61' }, context())).toBeUndefined();
	});
});

describe('helpers', () => {
	it('knows which methods are safe to repeat', () => {
		expect(isSafeToRepeat('GET', false)).toBe(true);
		expect(isSafeToRepeat('DELETE', false)).toBe(true);
		expect(isSafeToRepeat('POST', false)).toBe(false);
		expect(isSafeToRepeat('POST', true)).toBe(true);
		expect(isSafeToRepeat('PATCH', true)).toBe(false);
	});

	it('parses Retry-After', () => {
		expect(parseRetryAfter(undefined, 0)).toBeUndefined();
		expect(parseRetryAfter(' 5 ', 0)).toBe(5000);
		expect(parseRetryAfter('soon', 0)).toBeUndefined();
		expect(parseRetryAfter(new Date(1000).toUTCString(), 5000)).toBe(0);
	});
});

describe('mayHaveActed', () => {
	it.each([[{}], [{ networkCode: 'ECONNRESET' }], [{ status: 409 }], [{ status: 500 }], [{ status: 502, komojuCode: 'bad_gateway' }]])(
		'a failure like %j may hide a processed request',
		(failure) => {
			expect(mayHaveActed(failure)).toBe(true);
		},
	);

	it.each([[{ status: 429 }], [{ status: 402, komojuCode: 'card_declined' }], [{ status: 422 }], [{ status: 502, komojuCode: 'insufficient_funds' }]])(
		'a failure like %j did nothing',
		(failure) => {
			expect(mayHaveActed(failure)).toBe(false);
		},
	);
});
