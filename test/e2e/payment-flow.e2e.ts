/**
 * The whole payment in a real n8n, with `n8n start` running: a shop POSTs an order to the
 * workflow's webhook → Secure Token Create (return URL = the Wait node's resume URL) → Respond
 * with the authentication_url → Wait → the customer passes 3D Secure on the sandbox and is sent
 * back to n8n → Secure Token Get (Fail If Not Verified) → Payment Create (authorise only) →
 * Capture → Refund part → Refund the rest. Read back through n8n's REST API and the sandbox.
 */
import { e2eContext } from './support/context';
import { nodeOutput, ranNodes, type N8nApi } from './support/n8n';
import { authenticate, CARDS } from './support/sandbox-client';
import { IDS, PAYMENT_FLOW_WEBHOOK_PATH } from './support/workflows';

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;

beforeAll(async () => {
	n8n = await e2e.n8n();
	await n8n.publish(IDS.paymentFlow);
});

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

interface Link {
	executionId: string;
	secureTokenId: string;
	authenticationUrl: string;
}

async function placeOrder(order: string, amount: number, refund: number, card: string): Promise<Link> {
	const response = await fetch(`${e2e.state.n8n.url}/webhook/${PAYMENT_FLOW_WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ order, amount, refund, card }),
	});
	const text = await response.text();
	expect({ status: response.status, text }).toEqual({ status: 200, text: expect.stringContaining('authenticationUrl') });
	return JSON.parse(text) as Link;
}

describe('from a secure token to a captured and refunded payment', () => {
	it('authorises with the verified token, captures, refunds part and then the rest', async () => {
		const link = await placeOrder('PAY-1', 12000, 2000, CARDS.challengeOk);
		expect(await n8n.executionStatusWithin(link.executionId, 'waiting')).toBe('waiting');

		const back = await authenticate(link.authenticationUrl, '123456');
		expect(back.searchParams.get('secure_token_id')).toBe(link.secureTokenId);
		expect((await fetch(back, { redirect: 'manual' })).status).toBe(200);

		const execution = await n8n.finishedExecution(link.executionId);
		expect(execution.status).toBe('success');
		const run = { status: execution.status, data: execution.data };
		expect(ranNodes(run)).toEqual([
			'Webhook',
			'Create',
			'Respond with the link',
			'Wait for the customer',
			'Verified',
			'Authorise',
			'Capture',
			'Refund part',
			'Refund the rest',
		]);

		const [verified] = nodeOutput(run, 'Verified');
		expect(verified.json).toMatchObject({ id: link.secureTokenId, verification_status: 'OK' });
		const [authorised] = nodeOutput(run, 'Authorise');
		expect(authorised.json).toMatchObject({ status: 'authorized', amount: 12000, currency: 'JPY', external_order_num: 'PAY-1' });
		const paymentId = authorised.json.id as string;
		expect(nodeOutput(run, 'Capture')[0].json).toMatchObject({ id: paymentId, status: 'captured' });
		expect(nodeOutput(run, 'Refund part')[0].json).toMatchObject({ id: paymentId, status: 'captured', amount_refunded: 2000 });
		const [refunded] = nodeOutput(run, 'Refund the rest');
		expect(refunded.json).toMatchObject({ id: paymentId, status: 'refunded', amount_refunded: 12000 });
		expect(refunded.pairedItem).toEqual({ item: 0 });

		// What KOMOJU received: the token id as payment_details, then capture and two refunds,
		// each POST with its own idempotency key.
		const posts = await sandbox.apiRequests('POST', '/api/v1/payments');
		expect(posts.map((request) => [request.path, request.status])).toEqual([
			['/api/v1/payments', 200],
			[`/api/v1/payments/${paymentId}/capture`, 200],
			[`/api/v1/payments/${paymentId}/refund`, 200],
			[`/api/v1/payments/${paymentId}/refund`, 200],
		]);
		expect(posts[0].body).toMatchObject({ amount: 12000, currency: 'JPY', payment_details: link.secureTokenId, capture: false });
		expect(posts[2].body).toEqual({ amount: 2000, description: 'Partial refund from n8n' });
		// A full refund sends no amount (n8n sends an empty JSON body as none at all).
		expect(posts[3].body ?? {}).toEqual({});
		expect(new Set(posts.map((request) => request.idempotencyKey)).size).toBe(4);
		// The refund with a Maximum Amount read the payment first.
		expect((await sandbox.apiRequests('GET', '/api/v1/payments/')).map((request) => request.path)).toEqual([
			`/api/v1/payments/${paymentId}`,
		]);

		const [payment] = (await sandbox.payments()).filter((p) => p.id === paymentId);
		expect(payment).toMatchObject({ status: 'refunded', amount_refunded: 12000 });
		const types = (await sandbox.events())
			.filter((event) => event.data.id === paymentId)
			.map((event) => event.type)
			.reverse();
		expect(types).toEqual([
			'payment.authorized',
			'payment.captured',
			'payment.refund.created',
			'payment.refund.created',
			'payment.refunded',
		]);
	});

	it('stops after Get when the customer fails 3D Secure: no payment is made', async () => {
		const link = await placeOrder('PAY-2', 3000, 0, CARDS.frictionlessFail);
		expect(await n8n.executionStatusWithin(link.executionId, 'waiting')).toBe('waiting');
		const back = await authenticate(link.authenticationUrl);
		expect((await fetch(back, { redirect: 'manual' })).status).toBe(200);

		const execution = await n8n.finishedExecution(link.executionId);
		expect(execution.status).toBe('error');
		const run = { status: execution.status, data: execution.data };
		expect(ranNodes(run)).not.toContain('Authorise');
		expect(JSON.stringify(execution.data)).toContain(`Secure token ${link.secureTokenId} is not verified: verification_status is ERRORED`);
		expect(await sandbox.apiRequests('POST', '/api/v1/payments')).toHaveLength(0);
	});
});
