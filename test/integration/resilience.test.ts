import { NodeApiError } from 'n8n-workflow';

import {
	apiRequests,
	CARDS,
	cardCreate,
	everythingVisible,
	getToken,
	runKomoju,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';
import { secretLeaks } from '../secrets';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const CREATE = { method: 'POST', path: '/api/v1/secure_tokens' };
const posts = () => apiRequests(sandbox, 'POST', '/api/v1/secure_tokens');

/** Each create attempt must carry the same key: that is what keeps a retry from creating twice. */
function expectOneKeyAcross(requests: ReturnType<typeof posts>) {
	// Read from the headers: a faulted request is answered before the sandbox parses the key.
	const keys = new Set(requests.map((request) => request.headers['x-komoju-idempotency']));
	expect(keys.size).toBe(1);
	expect([...keys][0]).toMatch(/^n8n-/);
}

describe('retries that cannot create twice', () => {
	it.each([500, 502, 503, 504])('a %i is retried with the same idempotency key', async (status) => {
		sandbox.injectFault({ ...CREATE, action: { status } });
		const result = await runKomoju(sandbox, cardCreate());
		expect(result.status).toBe('success');
		expect(posts()).toHaveLength(2);
		expectOneKeyAcross(posts());
		expect(sandbox.secureTokens()).toHaveLength(1);
	});

	it('a 409 (same key still in flight) is waited out', async () => {
		sandbox.injectFault({ ...CREATE, times: 2, action: { status: 409 } });
		const result = await runKomoju(sandbox, cardCreate());
		expect(result.status).toBe('success');
		expect(posts()).toHaveLength(3);
		expectOneKeyAcross(posts());
		expect(sandbox.secureTokens()).toHaveLength(1);
	});

	it('a 429 waits as long as Retry-After asks', async () => {
		sandbox.injectFault({ ...CREATE, action: { status: 429, retryAfter: 1 } });
		const result = await runKomoju(sandbox, cardCreate());
		expect(result.status).toBe('success');
		const [limited, retried] = posts();
		// In milliseconds, from the 429's answer: `time` has whole seconds only, so 0.9 s → 1.4 s
		// would have looked like a second.
		const answeredAt = limited.startedAtMs + (limited.durationMs ?? 0);
		expect(retried.startedAtMs - answeredAt).toBeGreaterThanOrEqual(1000);
		expect(sandbox.secureTokens()).toHaveLength(1);
	});

	it('a response lost after KOMOJU created the token gets that token, not a second one', async () => {
		sandbox.injectFault({ ...CREATE, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, cardCreate());
		expect(result.status).toBe('success');
		const [token] = sandbox.secureTokens();
		expect(sandbox.secureTokens()).toHaveLength(1);
		expect(result.resultOf('KOMOJU')[0].json.id).toBe(token.id);
		expectOneKeyAcross(posts());
		expect(posts().map((request) => request.idempotency)).toEqual(['stored', 'replayed']);
	});

	it('a 500 after KOMOJU created the token also gets the stored token back', async () => {
		sandbox.injectFault({ ...CREATE, action: { failAfterProcessing: true, status: 500 } });
		const result = await runKomoju(sandbox, cardCreate());
		expect(result.status).toBe('success');
		expect(sandbox.secureTokens()).toHaveLength(1);
		expect(result.resultOf('KOMOJU')[0].json.id).toBe(sandbox.secureTokens()[0].id);
	});

	it('a connection reset before KOMOJU answered is retried', async () => {
		sandbox.injectFault({ ...CREATE, action: { drop: true } });
		const result = await runKomoju(sandbox, cardCreate());
		expect(result.status).toBe('success');
		expect(posts()).toHaveLength(2);
		expect(sandbox.secureTokens()).toHaveLength(1);
	});

	it('a request that outlives the timeout is retried with the same key', async () => {
		sandbox.injectFault({ ...CREATE, action: { delayMs: 1500 } });
		const result = await runKomoju(sandbox, cardCreate({ options: { timeout: 1000 } }));
		expect(result.status).toBe('success');
		expectOneKeyAcross(posts());
		expect(sandbox.secureTokens()).toHaveLength(1);
	});

	it('GETs are retried too', async () => {
		const created = await runKomoju(sandbox, cardCreate());
		const id = created.resultOf('KOMOJU')[0].json.id as string;
		sandbox.injectFault({ method: 'GET', path: '/api/v1/secure_tokens/', action: { status: 503 } });
		const result = await runKomoju(sandbox, getToken(id));
		expect(result.status).toBe('success');
		expect(apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/')).toHaveLength(2);
	});

	it('gives up after Max Retries with KOMOJU’s error', async () => {
		sandbox.injectFault({ ...CREATE, times: 5, action: { status: 503 } });
		const result = await runKomoju(sandbox, cardCreate({ options: { maxRetries: 1 } }));
		expect(result.status).toBe('error');
		const error = result.thrown[0].error as NodeApiError;
		expect(error.httpCode).toBe('503');
		expect(posts()).toHaveLength(2);
	});

	it('gives up after Max Retries on connection failures, naming them', async () => {
		sandbox.injectFault({ ...CREATE, times: 5, action: { drop: true } });
		const result = await runKomoju(sandbox, cardCreate({ options: { maxRetries: 2 } }));
		const error = result.thrown[0].error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Could not reach KOMOJU: the connection closed before KOMOJU answered');
		expect(error.description).toMatch(/network error: ECONNRESET · tried 3 times/);
		expect(error.context.itemIndex).toBe(0);
		expect(posts()).toHaveLength(3);
	});

	it('does not wait for a Retry-After beyond a minute', async () => {
		sandbox.injectFault({ ...CREATE, action: { status: 429, retryAfter: 3600 } });
		const result = await runKomoju(sandbox, cardCreate());
		expect((result.thrown[0].error as NodeApiError).httpCode).toBe('429');
		expect(posts()).toHaveLength(1);
	});

	it('an unreachable base URL fails with a clear message', async () => {
		const result = await runKomoju(sandbox, cardCreate({ options: { maxRetries: 0 } }), {
			credentials: { baseUrl: 'http://127.0.0.1:9' },
		});
		const error = result.thrown[0].error as NodeApiError;
		expect(error.message).toBe('Could not reach KOMOJU: the connection was refused');
	});
});

describe('n8n’s own Retry On Fail', () => {
	it('re-runs the node with the same idempotency key, so a lost response creates one token', async () => {
		sandbox.injectFault({ ...CREATE, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, cardCreate({ options: { maxRetries: 0 } }), {
			settings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.status).toBe('success');
		expect(result.thrown).toHaveLength(1);
		expect(posts()).toHaveLength(2);
		expectOneKeyAcross(posts());
		expect(sandbox.secureTokens()).toHaveLength(1);
		expect(result.resultOf('KOMOJU')[0].json.id).toBe(sandbox.secureTokens()[0].id);
	});

	it('a new execution gets a new key and a new token', async () => {
		await runKomoju(sandbox, cardCreate(), { executionId: '101' });
		await runKomoju(sandbox, cardCreate(), { executionId: '102' });
		expect(new Set(posts().map((request) => request.idempotencyKey)).size).toBe(2);
		expect(sandbox.secureTokens()).toHaveLength(2);
	});
});

describe('unexpected responses', () => {
	it.each([
		['an HTML page', { status: 200, body: '<html>login</html>', contentType: 'text/html' }, /a body that is not JSON$/],
		['cut-off JSON', { status: 200, body: '{"id": "tok_', contentType: 'application/json' }, /a body that is not JSON$/],
		['a JSON array', { status: 200, body: '[{"id": "tok_1"}]', contentType: 'application/json' }, /JSON of an unexpected shape$/],
		['an empty body', { status: 200, body: '' }, /an empty body/],
	])('%s with status 200 is a clear error', async (_name, action, message) => {
		sandbox.injectFault({ method: 'GET', path: '/api/v1/secure_tokens/', action });
		const result = await runKomoju(sandbox, getToken('tok_anything'));
		const error = result.thrown[0].error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(/Base URL/);
	});

	it.each([
		['an object without an id', '{"status": "captured"}'],
		['another KOMOJU object', '{"id": "c1", "resource": "customer"}'],
	])('a 200 with %s where a payment belongs is a clear error', async (_name, body) => {
		sandbox.injectFault({ method: 'GET', path: '/api/v1/payments/p1', action: { status: 200, body, contentType: 'application/json' } });
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'get', paymentId: 'p1' });
		expect(result.error?.message).toBe('KOMOJU returned an unexpected response: JSON that is not a KOMOJU payment');
	});

	it('a list whose entries are not KOMOJU objects is a clear error', async () => {
		sandbox.injectFault({
			method: 'GET',
			path: '/api/v1/events',
			action: { status: 200, body: '{"total": 1, "page": 1, "last_page": 1, "data": [{"note": "hello"}]}', contentType: 'application/json' },
		});
		const result = await runKomoju(sandbox, { resource: 'event', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toBe('KOMOJU returned an unexpected response: JSON that is not a KOMOJU event');
	});

	it('a list without its data array is a clear error, not an empty result', async () => {
		sandbox.injectFault({ method: 'GET', path: '/api/v1/payments', action: { status: 200, body: '{"total": 3}', contentType: 'application/json' } });
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toBe('KOMOJU returned an unexpected response: a list without a "data" array');
	});

	it('an HTML error page is reported with its status', async () => {
		sandbox.injectFault({ method: 'GET', path: '/api/v1/secure_tokens/', action: { status: 403, body: '<html>denied</html>', contentType: 'text/html' } });
		const result = await runKomoju(sandbox, getToken('tok_anything'));
		const error = result.thrown[0].error as NodeApiError;
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe('KOMOJU answered HTTP 403 with a body that is not KOMOJU’s JSON');
	});
});

describe('card data never leaves the request', () => {
	// Card data arrives from the previous node, as it would from a form or webhook: a number typed
	// into the node itself is part of the workflow (and of every error's copy of the node).
	const card = { number: CARDS.frictionlessOk, cvc: '987' };
	const secrets = [CARDS.frictionlessOk, '4242424242424242', '987'];
	const fromInput = (overrides = {}) =>
		cardCreate({ cardNumber: '={{ $json.number }}', verificationValue: '={{ $json.cvc }}', ...overrides });

	// A CVC's digits can turn up inside a random idempotency key or a millisecond timestamp:
	// test/secrets.ts counts one only as a token of its own, or as a number under a card-data key.
	function expectNoCardData(value: unknown) {
		expect(secretLeaks(value, secrets)).toEqual([]);
	}

	it('not in outputs', async () => {
		const result = await runKomoju(sandbox, fromInput(), { items: [card] });
		expect(result.status).toBe('success');
		expectNoCardData(JSON.parse(everythingVisible(result)));
	});

	it('not in errors from KOMOJU, including the error’s cause', async () => {
		const result = await runKomoju(sandbox, fromInput(), { items: [{ ...card, number: '4242424242424242' }] });
		expect(result.status).toBe('error');
		expectNoCardData(JSON.parse(everythingVisible(result)));
	});

	it('not in connection errors, where n8n’s own error would hold the request body', async () => {
		sandbox.injectFault({ ...CREATE, times: 2, action: { drop: true } });
		const result = await runKomoju(sandbox, fromInput({ options: { maxRetries: 1 } }), { items: [card] });
		expect(result.status).toBe('error');
		expectNoCardData(JSON.parse(everythingVisible(result)));
	});

	it('not in Continue On Fail error items', async () => {
		sandbox.injectFault({ ...CREATE, times: 2, action: { drop: true } });
		const result = await runKomoju(sandbox, fromInput({ options: { maxRetries: 1 } }), {
			items: [card],
			settings: { continueOnFail: true },
		});
		const output = result.resultOf('KOMOJU');
		expect(output[0].json.error).toMatch(/^Could not reach KOMOJU/);
		expectNoCardData(JSON.parse(everythingVisible(result)));
	});

	it('not in input-check errors', async () => {
		const result = await runKomoju(sandbox, fromInput(), { items: [{ ...card, number: '4242424242424241' }] });
		expect(result.status).toBe('error');
		expect(everythingVisible(result)).not.toContain('4242424242424241');
	});

	it('not in the sandbox’s record either (what the tests can see)', async () => {
		await runKomoju(sandbox, fromInput(), { items: [card] });
		expectNoCardData(sandbox.requests);
	});
});
