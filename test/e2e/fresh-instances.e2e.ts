/**
 * Two n8n instances that share an encryption key (a cloned staging instance, or a database that
 * was reset): n8n derives the same instance id from the key, the workflow keeps its id, and the
 * first execution of each database is execution 1. Each instance must still get its own payment,
 * never the other's through a shared idempotency key. And an instance whose credential points at
 * a Base URL that redirects must not follow it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { e2eContext } from './support/context';
import { freshInstance } from './support/fresh-instance';
import { execute, nodeOutput } from './support/n8n';
import { CARDS, FUTURE_YEAR } from './support/sandbox-client';

const e2e = e2eContext();
const { sandbox } = e2e;

const AMOUNT = 4301;
const charge = { resource: 'payment', operation: 'create', amount: AMOUNT, currency: 'JPY', paymentSource: 'customer', options: {} };

describe('two instances with the same encryption key', () => {
	it('each charge their own payment: execution 1 of each database sends its own idempotency key', async () => {
		await sandbox.clearRequests();
		const parameters = { ...charge, customerId: e2e.state.fixtures.customerId };
		const instances = [];
		for (const name of ['clone-a', 'clone-b']) instances.push(await freshInstance(e2e.state, name, { baseUrl: sandbox.url, parameters }));
		const paid: string[] = [];
		for (const instance of instances) {
			const { run } = await execute(instance.folder, instance.workflowId);
			expect(run.status).toBe('success');
			paid.push(String(nodeOutput(run, 'Charge')[0].json.id));
		}
		const payments = (await sandbox.payments()).filter((payment) => payment.amount === AMOUNT);
		expect(payments).toHaveLength(2);
		expect(new Set(paid).size).toBe(2);
		expect(paid.sort()).toEqual(payments.map((payment) => String(payment.id)).sort());
		const keys = (await sandbox.apiRequests('POST', '/api/v1/payments')).map((request) => request.headers['x-komoju-idempotency']);
		expect(keys).toHaveLength(2);
		expect(new Set(keys).size).toBe(2);
	});
});

describe('a Base URL that redirects', () => {
	it('gets the request once; the secret key and the card data never reach the host it points to', async () => {
		const received: Array<{ server: string; authorization?: string; body: string }> = [];
		const listen = async (server: string, answer: (res: http.ServerResponse) => void) => {
			const instance = http.createServer((req, res) => {
				let body = '';
				req.on('data', (chunk) => (body += chunk));
				req.on('end', () => {
					received.push({ server, authorization: req.headers.authorization, body });
					answer(res);
				});
			});
			await new Promise<void>((resolve) => instance.listen(0, '127.0.0.1', resolve));
			return { url: `http://127.0.0.1:${(instance.address() as AddressInfo).port}`, close: () => new Promise((resolve) => instance.close(resolve)) };
		};
		const elsewhere = await listen('elsewhere', (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
		const redirector = await listen('base url', (res) => res.writeHead(307, { Location: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/api/v1/payments` }).end());
		try {
			const card = { paymentSource: 'card', cardNumber: CARDS.regular, expiryMonth: 8, expiryYear: FUTURE_YEAR, verificationValue: '123' };
			const instance = await freshInstance(e2e.state, 'redirect', { baseUrl: redirector.url, parameters: { ...charge, ...card } });
			const { run } = await execute(instance.folder, instance.workflowId);
			expect(run.status).toBe('error');
			expect(JSON.stringify(run.data.resultData.error)).toContain('redirected the request (HTTP 307) to localhost');
			expect(received.map((request) => request.server)).toEqual(['base url']);
			expect(received[0].authorization).toMatch(/^Basic /);
		} finally {
			await Promise.all([elsewhere.close(), redirector.close()]);
		}
	});
});
