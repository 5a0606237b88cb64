import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { apiRequests, cardPayment, CARDS, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});


interface Redirector {
	url: string;
	received: Array<{ method: string; url: string; authorization?: string }>;
	close: () => Promise<void>;
}

/** A server in front of the sandbox that answers every request with a redirect to it. */
async function startRedirector(status: number, target: string): Promise<Redirector> {
	const received: Redirector['received'] = [];
	const server = http.createServer((req, res) => {
		received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
		req.resume();
		res.writeHead(status, { Location: `${target}${req.url ?? ''}` });
		res.end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('redirects are never followed', () => {
	it.each([301, 302, 307, 308])('a %i from the Base URL is an error naming the other host; nothing reaches it', async (status) => {
		// "localhost" is the sandbox under another name, so the host in the message is the target's.
		const target = sandbox.url.replace('127.0.0.1', 'localhost');
		const redirector = await startRedirector(status, target);
		try {
			const result = await runKomoju(sandbox, cardPayment({ options: { maxRetries: 3 } }), {
				credentials: { baseUrl: redirector.url },
				settings: { onError: 'continueRegularOutput' },
			});
			const item = result.resultOf('KOMOJU')[0].json;
			expect(item.error).toBe(
				`KOMOJU’s Base URL redirected the request (HTTP ${status}) to ${new URL(target).host}; the node does not follow redirects`,
			);
			expect((item.details as IDataObject).description).not.toContain('may have processed');
			expect(redirector.received).toHaveLength(1);
			expect(redirector.received[0].method).toBe('POST');
			expect(sandbox.requests).toHaveLength(0);
		} finally {
			await redirector.close();
		}
	});

	it('a GET that is redirected is not retried either', async () => {
		const redirector = await startRedirector(302, sandbox.url);
		try {
			const result = await runKomoju(sandbox, { resource: 'payment', operation: 'get', paymentId: 'pay_1' }, {
				credentials: { baseUrl: redirector.url },
			});
			expect(result.error?.message).toMatch(/redirected the request \(HTTP 302\)/);
			expect(redirector.received).toHaveLength(1);
			expect(sandbox.requests).toHaveLength(0);
		} finally {
			await redirector.close();
		}
	});
});

describe('the Base URL', () => {
	it.each([
		['http:// to another host', 'http://komoju.example.com', 'The KOMOJU credential’s Base URL must start with https://'],
		['a user name and password in it', 'http://user:secret@127.0.0.1:9', 'The KOMOJU credential’s Base URL must not contain a user name or password'],
		['not a URL', 'komoju.com', 'The KOMOJU credential’s Base URL is not an http(s) URL'],
		['another scheme', 'ftp://komoju.com', 'The KOMOJU credential’s Base URL is not an http(s) URL'],
	])('%s is refused before anything is sent', async (_name, baseUrl, message) => {
		const result = await runKomoju(sandbox, cardPayment(), { credentials: { secretKey: 'sk_live_example', baseUrl } });
		expect(result.error?.message).toBe(message);
		expect(JSON.stringify(result.error)).not.toContain('sk_live_example');
	});

	it.each(['http://localhost:1', 'http://127.0.0.2:1', 'http://[::1]:1'])('plain http on this machine (%s) is allowed', async (baseUrl) => {
		const result = await runKomoju(sandbox, cardPayment({ options: { maxRetries: 0 } }), { credentials: { baseUrl } });
		// Nothing listens there: the request was attempted, not refused for its scheme.
		expect(result.error?.message).toMatch(/^Could not reach KOMOJU/);
	});
});

describe('explicit idempotency keys', () => {
	it('two items whose key renders the same: the later one is refused before sending, the others are charged once each', async () => {
		const result = await runKomoju(sandbox, cardPayment({ options: { idempotencyKey: '=pay-{{ $json.orderId ?? "" }}' } }), {
			items: [{ orderId: 'A-1' }, {}, { orderId: 'A-2' }, {}],
			settings: { onError: 'continueRegularOutput' },
		});
		const items = result.resultOf('KOMOJU').map((item) => item.json);
		expect(items.map((item) => item.error ?? item.status)).toEqual([
			'captured',
			'captured',
			'captured',
			'Idempotency Key of item 4 is the same as item 2’s',
		]);
		const keys = apiRequests(sandbox, 'POST', '/api/v1/payments').map((request) => request.headers['x-komoju-idempotency']);
		expect(keys.sort()).toEqual(['pay-', 'pay-A-1', 'pay-A-2']);
		expect(sandbox.payments()).toHaveLength(3);
	});

	it('a key expression that returns an object is refused, not sent as "[object Object]"', async () => {
		const result = await runKomoju(sandbox, cardPayment({ options: { idempotencyKey: '={{ $json.order }}' } }), {
			items: [{ order: { id: 'A-1' } }],
		});
		expect(result.error?.message).toBe('Idempotency Key must be text or a number, got {"id":"A-1"}');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('a number is a key', async () => {
		await runKomoju(sandbox, cardPayment({ options: { idempotencyKey: '={{ $json.orderNo }}' } }), { items: [{ orderNo: 4711 }] });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')[0].headers['x-komoju-idempotency']).toBe('4711');
	});
});

describe('input KOMOJU would get wrong is refused before sending', () => {
	it.each([
		['a tab in the Return URL', { additionalFields: { returnUrl: 'https://shop.example.com/\tback' } }, 'Return URL must not contain spaces, tabs or line breaks'],
		['a newline in the Return URL', { additionalFields: { returnUrl: 'https://shop.example.com/back\n' + 'x' } }, 'Return URL must not contain spaces, tabs or line breaks'],
		['a user name and password in the Return URL', { additionalFields: { returnUrl: 'https://user:pass@shop.example.com/back' } }, 'Return URL must not contain a user name or password'],
		['a Return URL over 2,048 characters', { additionalFields: { returnUrl: `https://shop.example.com/${'a'.repeat(2100)}` } }, 'Return URL is longer than 2048 characters (2125)'],
		['a currency KOMOJU does not take', { currency: 'XXX' }, 'KOMOJU does not take the currency XXX'],
		['a metadata value that is an object', { additionalFields: { metadata: { entries: [{ key: 'order', value: { id: 1 } }] } } }, 'Metadata value of "order" must be text, got an object'],
	])('%s', async (_name, overrides, message) => {
		const result = await runKomoju(sandbox, cardPayment(overrides));
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('metadata keys named like object properties (toString, hasOwnProperty) are ordinary keys, not "given twice"', async () => {
		const result = await runKomoju(
			sandbox,
			cardPayment({ additionalFields: { metadata: { entries: [{ key: 'toString', value: 'a' }, { key: 'hasOwnProperty', value: 'b' }] } } }),
		);
		expect(result.error?.message).toBeUndefined();
		const sent = apiRequests(sandbox, 'POST', '/api/v1/payments')[0].body as IDataObject;
		expect(sent.metadata).toEqual({ toString: 'a', hasOwnProperty: 'b' });
	});

	it.each(['constructor', '__proto__', 'prototype'])('the metadata key %s, which n8n would drop unsaid, is refused', async (key) => {
		const result = await runKomoju(sandbox, cardPayment({ additionalFields: { metadata: { entries: [{ key, value: 'a' }] } } }));
		expect(result.error?.message).toBe(`Metadata key "${key}" cannot be sent`);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('an id with half of a surrogate pair names the field instead of "URI malformed"', async () => {
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'get', paymentId: 'pay_\uD800' });
		expect(result.error?.message).toBe('Payment ID contains a broken character (half of a UTF-16 surrogate pair)');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('answers that are not what KOMOJU sends', () => {
	it('a KOMOJU error whose code or param holds a card number shows it redacted', async () => {
		sandbox.injectFault({
			method: 'POST',
			path: '/api/v1/payments',
			action: { status: 422, body: { error: { code: 'bad_4111111111111111', message: 'Bad card', param: 'payment_details.4111111111111111', details: {} } } },
		});
		const result = await runKomoju(sandbox, cardPayment(), { settings: { onError: 'continueRegularOutput' } });
		const item = JSON.stringify(result.resultOf('KOMOJU')[0].json);
		expect(item).not.toContain(CARDS.regular);
		expect(item).toContain('1111');
	});

	it.each([
		['Secure Token → Get', '/api/v1/secure_tokens/tok_1', { resource: 'secureToken', operation: 'get', secureTokenId: { __rl: true, mode: 'id', value: 'tok_1' } }, 'secure_token'],
		['Payment → Get', '/api/v1/payments/pay_1', { resource: 'payment', operation: 'get', paymentId: 'pay_1' }, 'payment'],
	])('%s outputs no card number or CVC, even if KOMOJU’s answer had them (the router scrubs every operation)', async (_name, path, parameters, resource) => {
		const leaky = {
			id: 'obj_1',
			resource,
			verification_status: 'OK',
			payment_details: { type: 'credit_card', number: CARDS.regular, verification_value: '321', last_four_digits: '1111' },
		};
		sandbox.injectFault({ method: 'GET', path, exact: true, action: { status: 200, body: leaky } });
		const result = await runKomoju(sandbox, parameters);
		expect(result.resultOf('KOMOJU')[0].json.payment_details).toEqual({ type: 'credit_card', last_four_digits: '1111' });
	});

	it('an HTML page answered 200 to a POST says KOMOJU may have processed it, with the idempotency key', async () => {
		sandbox.injectFault({ method: 'POST', path: '/api/v1/payments', action: { status: 200, body: '<html>Welcome</html>', contentType: 'text/html' } });
		const result = await runKomoju(sandbox, cardPayment(), { settings: { onError: 'continueRegularOutput' } });
		const item = result.resultOf('KOMOJU')[0].json;
		const sentKey = apiRequests(sandbox, 'POST', '/api/v1/payments')[0].headers['x-komoju-idempotency'];
		expect(item.error).toBe('KOMOJU returned an unexpected response: a body that is not JSON');
		expect(item.details).toMatchObject({ idempotencyKey: sentKey, description: expect.stringContaining('KOMOJU may have processed this request') });
	});

	it('Return All stops with an error when the list ignores `page` and answers every page alike', async () => {
		const samePage = { resource: 'payment_list', total: 50000, page: 1, per_page: 100, last_page: 500, data: [{ id: 'pay_1', resource: 'payment' }] };
		sandbox.injectFault({ method: 'GET', path: '/api/v1/payments', exact: true, times: 1000, action: { status: 200, body: samePage } });
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', returnAll: true });
		expect(result.error?.message).toBe('KOMOJU returned an unexpected response: page 2 of a list repeats only objects of earlier pages');
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments')).toHaveLength(2);
	});
});
