/**
 * KOMOJU's Japanese payment methods in the running n8n: the konbini example's whole life (slip
 * by email → reminder → paid at the store, or the deadline passes → the KOMOJU Trigger's signed
 * webhook → thank-you or cancellation), the refund-request example, and a PayPay payment whose
 * customer approves on PayPay's page and comes back through a Wait node's resume URL.
 */
import { waitUntil } from '../wait';
import { e2eContext } from './support/context';
import { readMails, type Mail } from './support/fake-smtp';
import { nodeOutput, type N8nApi, type Run } from './support/n8n';
import { sandboxControl } from './support/sandbox-client';
import { PAYMENT_METHODS } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/payment-methods';
import { CREDENTIALS, IDS, KOMOJU, OFFSITE_WEBHOOK_PATH, WAIT_RESPONSE_TEXT, WEBHOOK_SECRET, loadExample } from './support/workflows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;

const control = <T>(method: string, path: string, body: unknown, expected: number) => sandboxControl<T>(sandbox.url, method, path, body, expected);

const mailTo = (address: string, subject: string) => () =>
	readMails(e2e.state.smtp.mailDir).find((mail) => mail.envelope.to.includes(address) && mail.headers.subject === subject);

const mailsTo = (address: string): Mail[] => readMails(e2e.state.smtp.mailDir).filter((mail) => mail.envelope.to.includes(address));

async function post(path: string, body: Json): Promise<{ status: number; json: Json }> {
	const response = await fetch(`${e2e.state.n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const konbiniExample = loadExample('konbini-slip-by-email.json');
const triggerNode = konbiniExample.nodes.find((n) => n.type === 'n8n-nodes-komoju.komojuTrigger')!;

/** The konbini payment the example created for an order, as the sandbox holds it. */
async function paymentOf(orderId: string): Promise<Json> {
	return await waitUntil(`the payment of ${orderId}`, async () => (await sandbox.payments()).find((payment) => payment.external_order_num === orderId), 30_000, 200);
}

beforeAll(async () => {
	n8n = await e2e.n8n();
	await n8n.publish(IDS.exampleKonbini);
	await n8n.publish(IDS.exampleRefund);
	await n8n.publish(IDS.offsite);
	await control('DELETE', '/webhooks', undefined, 204);
	await control(
		'POST',
		'/webhooks',
		{ url: `${e2e.state.n8n.url}/webhook/${triggerNode.webhookId}/komoju`, secret: WEBHOOK_SECRET, events: ['payment.captured', 'payment.expired'] },
		201,
	);
});

afterAll(async () => {
	// Other files' payments must not reach this workflow's trigger.
	await control('DELETE', '/webhooks', undefined, 204);
});

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

describe('konbini-slip-by-email.json', () => {
	const order = (orderId: string, email: string) => ({ orderId, amount: 2500, email, store: 'lawson', familyName: '山田', givenName: '花子' });

	it('emails the slip, reminds while it is unpaid, and thanks the customer once paid at the store', async () => {
		const email = 'hanako.paid@example.com';
		expect((await post('komoju-konbini-order', order('KONBINI-PAID', email))).status).toBe(200);

		const slip = await waitUntil('the slip', mailTo(email, 'Your konbini payment slip for order KONBINI-PAID'), 30_000, 200);
		const payment = await paymentOf('KONBINI-PAID');
		expect(payment).toMatchObject({ status: 'authorized', amount: 2500, tax: 0, payment_details: { type: 'konbini', store: 'lawson', email } });
		expect(slip.text).toContain(String(payment.payment_details.instructions_url));
		expect(slip.text).toContain(`Receipt number: ${payment.payment_details.receipt}`);

		const [create] = await sandbox.apiRequests('POST', '/api/v1/payments');
		expect(create.headers['x-komoju-idempotency']).toBe('konbini-KONBINI-PAID');
		expect(create.body).toEqual({
			amount: 2500,
			currency: 'JPY',
			tax: 0,
			payment_details: { type: 'konbini', store: 'lawson', email, family_name: '山田', given_name: '花子' },
			capture: true,
			description: 'Order KONBINI-PAID',
			external_order_num: 'KONBINI-PAID',
		});

		// The reminder reads the payment after the (shortened) wait: still authorized.
		await waitUntil('the reminder', mailTo(email, 'Reminder: order KONBINI-PAID is waiting for your konbini payment'), 30_000, 200);

		await control('POST', `/payments/${payment.id}/pay`, undefined, 200);
		const thanks = await waitUntil('the thank-you', mailTo(email, 'Thank you: we received your payment for order KONBINI-PAID'), 30_000, 200);
		expect(thanks.text).toContain('¥2500');
		expect(mailsTo(email).map((mail) => mail.headers.subject)).toEqual([
			'Your konbini payment slip for order KONBINI-PAID',
			'Reminder: order KONBINI-PAID is waiting for your konbini payment',
			'Thank you: we received your payment for order KONBINI-PAID',
		]);
		expect((await paymentOf('KONBINI-PAID')).status).toBe('captured');
	});

	it('tells the customer the order was cancelled when the deadline passed unpaid', async () => {
		const email = 'hanako.late@example.com';
		expect((await post('komoju-konbini-order', order('KONBINI-LATE', email))).status).toBe(200);
		await waitUntil('the reminder', mailTo(email, 'Reminder: order KONBINI-LATE is waiting for your konbini payment'), 30_000, 200);
		const payment = await paymentOf('KONBINI-LATE');

		await control('POST', `/payments/${payment.id}/expire`, undefined, 200);
		await waitUntil('the cancellation', mailTo(email, 'Order KONBINI-LATE was cancelled'), 30_000, 200);
		expect((await paymentOf('KONBINI-LATE')).status).toBe('expired');
		expect(mailsTo(email)).toHaveLength(3);
	});
});

describe('refund-konbini-order.json', () => {
	const account = { accountHolder: 'ﾔﾏﾀﾞ ﾊﾅｺ', bankName: 'みずほ銀行', branchNumber: '001', accountType: 'normal', accountNumber: '1234567' };

	it('requests the refund of a captured konbini payment once, however often support sends it', async () => {
		const { id, total } = await paymentOf('KONBINI-PAID');
		const first = await post('komoju-konbini-refund', { paymentId: id, ...account });
		const again = await post('komoju-konbini-refund', { paymentId: id, ...account });
		for (const answer of [first, again]) {
			expect(answer.status).toBe(200);
			expect(answer.json).toMatchObject({ id, refund_requests: [expect.objectContaining({ customer_name: 'ﾔﾏﾀﾞ ﾊﾅｺ' })] });
		}
		const requests = await sandbox.apiRequests('POST', `/api/v1/payments/${id}/refund_request`);
		expect(requests.map((request) => request.headers['x-komoju-idempotency'])).toEqual([`refund-request-${id}`, `refund-request-${id}`]);
		expect(requests[0].body).toEqual({
			amount: total,
			customer_name: 'ﾔﾏﾀﾞ ﾊﾅｺ',
			bank_name: 'みずほ銀行',
			branch_number: '001',
			account_type: 'normal',
			account_number: 1234567,
			include_payment_method_fee: false,
			description: 'Refund for order KONBINI-PAID',
		});
		expect((await paymentOf('KONBINI-PAID')).refund_requests).toHaveLength(1);
	});

	it('asks nothing for a payment that is not a captured konbini payment', async () => {
		const { id } = await paymentOf('KONBINI-LATE');
		const answer = await post('komoju-konbini-refund', { paymentId: id, ...account });
		expect(answer).toEqual({ status: 200, json: { error: `Payment ${id} is expired (konbini): only a captured konbini payment gets a refund request here.` } });
		expect(await sandbox.apiRequests('POST', `/api/v1/payments/${id}/refund_request`)).toEqual([]);
	});
});

describe('the other operations, and the Payment Method dropdown', () => {
	it('creates a konbini payment, gets its barcode and lists the enabled methods, run with n8n execute', async () => {
		const { run } = await e2e.execute(IDS.konbiniReads);
		expect(run.status).toBe('success');
		const [payment] = nodeOutput(run, 'Konbini payment');
		expect(payment.json).toMatchObject({ status: 'authorized', total: 1500, payment_details: { type: 'konbini', store: 'family-mart' } });
		const [create] = await sandbox.apiRequests('POST', '/api/v1/payments');
		expect(create.body.payment_details).toEqual({ type: 'konbini', store: 'family-mart', email: 'aiko@example.com', phone: '08011112222', expiry_days: 5 });
		const [barcode] = nodeOutput(run, 'Barcode');
		expect(barcode.json.status).toBe('ready');
		expect(barcode.binary?.data).toMatchObject({ fileName: `konbini-barcode-${payment.json.id}.png`, mimeType: 'image/png' });
		expect(await sandbox.apiRequests('GET', `/api/v1/barcodes/${payment.json.id}`)).toHaveLength(1);
		const methods = nodeOutput(run, 'Payment methods').map((item) => item.json.type_slug);
		expect([...methods].sort()).toEqual(['credit_card', ...PAYMENT_METHODS.map((method) => method.type)].sort());
	});

	it('fills Payment → Create’s Payment Method from GET /payment_methods, cards left out, with the Japanese names', async () => {
		const options = (await n8n.data('POST', '/rest/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: KOMOJU, version: 1 },
			methodName: 'getPaymentMethods',
			path: 'paymentMethod',
			currentNodeParameters: { resource: 'payment', operation: 'create', paymentSource: 'method' },
			credentials: { komojuApi: CREDENTIALS.komoju },
		})) as Array<{ name: string; value: string; description?: string }>;
		expect(options.map((option) => option.value).sort()).toEqual(PAYMENT_METHODS.map((method) => method.type).sort());
		expect(options.find((option) => option.value === 'konbini')).toEqual({ name: expect.any(String), value: 'konbini', description: expect.stringMatching(/コンビニ.* · Enabled for JPY/) });
		expect(await sandbox.apiRequests('GET', '/api/v1/payment_methods')).toHaveLength(1);
	});
});

describe('a PayPay payment through a Wait node', () => {
	it('sends the customer to PayPay, resumes on their return and reads the captured payment', async () => {
		const started = await post(OFFSITE_WEBHOOK_PATH, { order: 'PAYPAY-1', amount: 1800 });
		expect(started.status).toBe(200);
		const { executionId, paymentId, redirectUrl } = started.json as { executionId: string; paymentId: string; redirectUrl: string };
		const [create] = await sandbox.apiRequests('POST', '/api/v1/payments');
		expect(create.body).toMatchObject({ payment_details: { type: 'paypay' }, return_url: expect.stringMatching(new RegExp(`/webhook-waiting/${executionId}`)) });

		const page = await fetch(redirectUrl);
		expect(page.status).toBe(200);
		const approved = await fetch(redirectUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ decision: 'approve' }).toString(),
			redirect: 'manual',
		});
		expect(approved.status).toBe(302);
		const back = new URL(approved.headers.get('location')!);
		expect(back.searchParams.get('payment_id')).toBe(paymentId);
		expect(back.href.startsWith(create.body.return_url)).toBe(true);

		expect(await n8n.executionStatusWithin(executionId, 'waiting')).toBe('waiting');
		const resumed = await fetch(back, { redirect: 'manual' });
		expect({ status: resumed.status, text: await resumed.text() }).toEqual({ status: 200, text: WAIT_RESPONSE_TEXT });
		const execution = await n8n.finishedExecution(executionId);
		expect(execution.status).toBe('success');
		const run: Run = { status: execution.status, data: execution.data };
		expect(nodeOutput(run, 'Get the payment').map((item) => [item.json.id, item.json.status])).toEqual([[paymentId, 'captured']]);
	});
});
