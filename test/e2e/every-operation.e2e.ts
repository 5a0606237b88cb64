/**
 * Every resource and operation of the KOMOJU node in a real n8n (`n8n execute`): Token →
 * Customer (from the token) → update/get → Payment (authorise with the saved customer) →
 * update/get/cancel → Customer delete → the three Get Many lists → Event get → Session
 * create/get/cancel. Also the Payment Types dropdown through n8n's own REST endpoint.
 */
import { e2eContext } from './support/context';
import { nodeOutput, ranNodes } from './support/n8n';
import { CARDS } from './support/sandbox-client';
import { CREDENTIALS, IDS, KOMOJU } from './support/workflows';

const e2e = e2eContext();
const { sandbox } = e2e;

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

describe('every operation in one workflow', () => {
	it('runs each operation once with evaluated expressions, and KOMOJU ends in the expected state', async () => {
		const { run } = await e2e.execute(IDS.everyOperation);
		expect(run.status).toBe('success');
		expect(ranNodes(run)).toHaveLength(18);
		const one = (node: string) => {
			const items = nodeOutput(run, node);
			expect(items).toHaveLength(1);
			return items[0].json;
		};

		const token = one('Token Create');
		expect(token).toMatchObject({ resource: 'token', payment_details: { last_four_digits: '1111' } });
		const customer = one('Customer Create');
		expect(customer).toMatchObject({ resource: 'customer', email: 'aiko@example.com', currency: 'JPY' });
		expect(one('Customer Update')).toMatchObject({ id: customer.id, email: 'aiko.tanaka@example.com', metadata: { crm: 'lead-9' } });
		expect(one('Customer Get')).toMatchObject({ id: customer.id, email: 'aiko.tanaka@example.com' });

		const payment = one('Payment Create');
		expect(payment).toMatchObject({ status: 'authorized', amount: 3000, customer: customer.id, external_order_num: 'E2E-ALL-1' });
		expect(one('Payment Update')).toMatchObject({ id: payment.id, description: 'Updated by n8n' });
		expect(one('Payment Get')).toMatchObject({ id: payment.id, description: 'Updated by n8n', status: 'authorized' });
		expect(one('Payment Cancel')).toMatchObject({ id: payment.id, status: 'cancelled' });
		expect(one('Customer Delete')).toMatchObject({ id: customer.id });

		expect(nodeOutput(run, 'Payment Get Many').map((item) => item.json.id)).toEqual([payment.id]);
		const customers = nodeOutput(run, 'Customer Get Many');
		expect(customers.length).toBeGreaterThan(0);
		expect(customers.length).toBeLessThanOrEqual(3);
		expect(customers.map((item) => item.json.id)).not.toContain(customer.id);
		const events = nodeOutput(run, 'Event Get Many');
		expect(events).toHaveLength(4);
		expect(events.map((item) => item.json.type)).toEqual(['customer.deleted', 'payment.cancelled', 'payment.updated', 'payment.authorized']);
		expect(nodeOutput(run, 'Event Get').map((item) => item.json.id)).toEqual(events.map((item) => item.json.id));

		const session = one('Session Create');
		expect(session).toMatchObject({ resource: 'session', status: 'pending', amount: 2500, payment_methods: [{ type: 'credit_card' }] });
		expect(session.session_url).toBe(`${sandbox.url}/sessions/${session.id}`);
		expect(one('Session Get')).toMatchObject({ id: session.id, status: 'pending' });
		expect(one('Session Cancel')).toMatchObject({ id: session.id, status: 'cancelled' });

		// Each POST carried an idempotency key; the card number reached KOMOJU once, in Token Create.
		const posts = await sandbox.apiRequests('POST');
		expect(posts.every((request) => typeof request.idempotencyKey === 'string')).toBe(true);
		expect(posts.filter((request) => request.cardNumberSent).map((request) => request.path)).toEqual(['/api/v1/tokens']);
		const { ['Card from a form']: form, ...komojuNodes } = run.data.resultData.runData;
		expect(JSON.stringify(form)).toContain(CARDS.regular);
		expect(JSON.stringify(komojuNodes)).not.toContain(CARDS.regular.slice(4));
	});
});

describe('the Payment Types dropdown', () => {
	it('is filled from KOMOJU’s GET /payment_methods through n8n’s dynamic-parameters endpoint', async () => {
		const n8n = await e2e.n8n();
		const options = (await n8n.data('POST', '/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: KOMOJU, version: 1 },
			methodName: 'getPaymentTypes',
			path: 'additionalFields.paymentTypes',
			currentNodeParameters: { resource: 'session', operation: 'create' },
			credentials: { komojuApi: CREDENTIALS.komoju },
		})) as Array<{ name: string; value: string }>;
		expect(options.map((option) => option.value)).toEqual([
			'alipay', 'au', 'aupay', 'bank_transfer', 'bit_cash', 'japan_mobile', 'credit_card', 'docomo', 'dospara', 'epospay', 'konbini',
			'merpay', 'net_cash', 'paidy', 'pay_easy', 'paypay', 'rakutenpay', 'softbank', 'unionpay', 'web_money', 'wechatpay',
		]);
		expect(options.find((option) => option.value === 'credit_card')?.name).toBe('Credit Card');
		expect(await sandbox.apiRequests('GET', '/api/v1/payment_methods')).toHaveLength(1);
	});
});
