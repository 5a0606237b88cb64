import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { apiRequests, CARDS, FUTURE_YEAR, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const byCard = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'payment',
	operation: 'create',
	amount: 1000,
	currency: 'JPY',
	paymentSource: 'card',
	cardNumber: CARDS.regular,
	expiryMonth: 8,
	expiryYear: FUTURE_YEAR,
	verificationValue: '123',
	...overrides,
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
			const result = await runKomoju(sandbox, byCard({ options: { maxRetries: 3 } }), {
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
		const result = await runKomoju(sandbox, byCard(), { credentials: { secretKey: 'sk_live_example', baseUrl } });
		expect(result.error?.message).toBe(message);
		expect(JSON.stringify(result.error)).not.toContain('sk_live_example');
	});

	it.each(['http://localhost:1', 'http://127.0.0.2:1', 'http://[::1]:1'])('plain http on this machine (%s) is allowed', async (baseUrl) => {
		const result = await runKomoju(sandbox, byCard({ options: { maxRetries: 0 } }), { credentials: { baseUrl } });
		// Nothing listens there: the request was attempted, not refused for its scheme.
		expect(result.error?.message).toMatch(/^Could not reach KOMOJU/);
	});
});

describe('explicit idempotency keys', () => {
	it('two items whose key renders the same: the later one is refused before sending, the others are charged once each', async () => {
		const result = await runKomoju(sandbox, byCard({ options: { idempotencyKey: '=pay-{{ $json.orderId ?? "" }}' } }), {
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
		const result = await runKomoju(sandbox, byCard({ options: { idempotencyKey: '={{ $json.order }}' } }), {
			items: [{ order: { id: 'A-1' } }],
		});
		expect(result.error?.message).toBe('Idempotency Key must be text or a number, got {"id":"A-1"}');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('a number is a key', async () => {
		await runKomoju(sandbox, byCard({ options: { idempotencyKey: '={{ $json.orderNo }}' } }), { items: [{ orderNo: 4711 }] });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')[0].headers['x-komoju-idempotency']).toBe('4711');
	});
});
