import '../harness/env';

import { ExternalSecretsProxy, LoadOptionsContext } from 'n8n-core';
import {
	NodeOperationError,
	Workflow,
	type IDataObject,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { KomojuApi } from '../../packages/n8n-nodes-komoju/credentials/KomojuApi.credentials';
import { Komoju } from '../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node';
import { HarnessCredentialsHelper } from '../harness';
import {
	apiRequests,
	cardDataIn,
	CARDS,
	FUTURE_YEAR,
	komojuNode,
	runKomoju,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const RETURN_URL = 'https://shop.example.com/thanks?order=7';
const CVC = '987';

function createSession(overrides: IDataObject = {}): IDataObject {
	return { resource: 'session', operation: 'create', mode: 'payment', amount: 1200, currency: 'JPY', returnUrl: RETURN_URL, ...overrides };
}

async function runCreate(overrides: IDataObject = {}): Promise<IDataObject> {
	const result = await runKomoju(sandbox, createSession(overrides));
	expect(result.status).toBe('success');
	return result.resultOf('KOMOJU')[0].json;
}

async function getSession(id: string): Promise<IDataObject> {
	const result = await runKomoju(sandbox, { resource: 'session', operation: 'get', sessionId: id });
	expect(result.status).toBe('success');
	return result.resultOf('KOMOJU')[0].json;
}

/**
 * Pays on the hosted page as a customer's browser would: submits the card form, follows the
 * sandbox's redirects (3DS included) and returns where KOMOJU sends the customer back.
 */
async function payOnHostedPage(sessionUrl: string, cardNumber: string): Promise<URL> {
	const page = await fetch(sessionUrl);
	expect(page.status).toBe(200);
	const html = await page.text();
	expect(html).toContain('name="number"');
	const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1] ?? sessionUrl;
	let url = new URL(action, sessionUrl);
	let response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			payment_type: 'credit_card',
			number: cardNumber,
			month: '8',
			year: String(FUTURE_YEAR),
			verification_value: CVC,
			name: 'Taro Yamada',
		}).toString(),
		redirect: 'manual',
	});
	for (let hop = 0; hop < 5; hop++) {
		if (response.status !== 302 && response.status !== 303) {
			throw new Error(`expected a redirect from the hosted page, got ${response.status}: ${await response.text()}`);
		}
		url = new URL(response.headers.get('location') ?? '', url);
		if (url.origin !== new URL(sandbox.url).origin) return url;
		response = await fetch(url, { redirect: 'manual' });
	}
	throw new Error('too many redirects on the hosted page');
}

describe('Session → Create', () => {
	it('sends every field, with an idempotency key, and outputs the session with its session_url', async () => {
		const result = await runKomoju(
			sandbox,
			createSession({
				additionalFields: {
					defaultLocale: 'en',
					email: 'taro@example.com',
					expiresInSeconds: 3600,
					externalCustomerId: 'crm-42',
					lineItems: { items: [{ description: 'Tea', amount: 400, quantity: 2 }, { description: 'Cup', amount: 400, quantity: 1 }] },
					metadata: { entries: [{ key: 'order', value: '7' }] },
					paymentData: { externalOrderNum: 'ORDER-7', capture: 'manual', name: 'Taro Yamada' },
					paymentTypes: ['credit_card', 'konbini'],
				},
			}),
		);
		expect(result.status).toBe('success');
		const [request] = apiRequests(sandbox, 'POST', '/api/v1/sessions');
		expect(request.path).toBe('/api/v1/sessions');
		expect(request.idempotencyKey).toEqual(expect.any(String));
		expect(request.body).toEqual({
			mode: 'payment',
			amount: 1200,
			currency: 'JPY',
			return_url: RETURN_URL,
			default_locale: 'en',
			email: 'taro@example.com',
			expires_in_seconds: 3600,
			external_customer_id: 'crm-42',
			line_items: [
				{ description: 'Tea', amount: 400, quantity: 2 },
				{ description: 'Cup', amount: 400, quantity: 1 },
			],
			metadata: { order: '7' },
			payment_data: { external_order_num: 'ORDER-7', capture: 'manual', name: 'Taro Yamada' },
			payment_types: ['credit_card', 'konbini'],
		});
		const [item] = result.resultOf('KOMOJU');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			resource: 'session',
			status: 'pending',
			amount: 1200,
			currency: 'JPY',
			session_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/sessions\/\w+$/),
			payment_methods: [{ type: 'credit_card' }, { type: 'konbini' }],
		});
	});

	it('in Save Card mode sends the mode and currency KOMOJU requires, and no amount', async () => {
		const session = await runCreate({ mode: 'customer', currency: 'USD' });
		expect(apiRequests(sandbox, 'POST', '/api/v1/sessions')[0].body).toEqual({ mode: 'customer', currency: 'USD', return_url: RETURN_URL });
		expect(session).toMatchObject({ mode: 'customer', currency: 'USD' });
	});

	it('line items as KOMOJU’s SDK has them: quantity 1 when empty, image and SKU, no rule that they add up to Amount', async () => {
		await runCreate({
			amount: 5000,
			additionalFields: {
				lineItems: {
					items: [
						{ description: 'Tea', amount: 400, quantity: '', image: 'https://shop.example.com/tea.png', externalProductNum: 'SKU-1' },
						{ description: 'Cup', amount: 700 },
					],
				},
			},
		});
		expect(apiRequests(sandbox, 'POST', '/api/v1/sessions')[0].body).toMatchObject({
			amount: 5000,
			line_items: [
				{ description: 'Tea', amount: 400, quantity: 1, image: 'https://shop.example.com/tea.png', external_product_num: 'SKU-1' },
				{ description: 'Cup', amount: 700, quantity: 1 },
			],
		});
	});

	it.each<[string, IDataObject, RegExp]>([
		['a return URL that is not http(s)', { returnUrl: 'ftp://shop.example.com' }, /Return URL must be an absolute http\(s\) URL/],
		['an expiry over one day', { additionalFields: { expiresInSeconds: '={{ 86401 }}' } }, /Expires In \(Seconds\) must be a whole number from 1 to 86400/],
		['a line item without a description', { additionalFields: { lineItems: { items: [{ amount: 1200, quantity: 1 }] } } }, /Line Item 1 Description is required/],
		['a fractional amount', { amount: '={{ 12.5 }}' }, /Amount must be a whole number/],
		['an amount of 0 in a paying mode', { amount: 0 }, /Amount must be a whole number of 1 or more/],
		['a line item image that is not a URL', { additionalFields: { lineItems: { items: [{ description: 'Tea', amount: 1200, image: 'tea.png' }] } } }, /Line Item 1 Image URL must be an absolute http\(s\) URL/],
		['line items in Save Card mode', { mode: 'customer', additionalFields: { lineItems: { items: [{ description: 'Tea', amount: 100, quantity: 1 }] } } }, /need a paying Mode/],
	])('refuses %s before anything is sent', async (_name, overrides, message) => {
		const result = await runKomoju(sandbox, createSession(overrides));
		const [{ error }] = result.thrown;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	describe('Maximum Amount', () => {
		const capped = (amount: number, currency = 'JPY') =>
			createSession({ amount, currency, options: { maximumAmount: 1000, maximumAmountCurrency: 'JPY' } });

		it('refuses a larger session before any request', async () => {
			const result = await runKomoju(sandbox, capped(1001));
			expect((result.thrown[0].error as NodeOperationError).message).toBe(
				'Refused: this session of 1,001 JPY is above the node’s Maximum Amount of 1,000 JPY',
			);
			expect(sandbox.requests).toHaveLength(0);
		});

		it('refuses a session in another currency', async () => {
			const result = await runKomoju(sandbox, capped(5, 'USD'));
			expect((result.thrown[0].error as NodeOperationError).message).toMatch(/is in USD, but the node’s Maximum Amount is set in JPY/);
			expect(sandbox.requests).toHaveLength(0);
		});

		it('lets a session up to the maximum through', async () => {
			const result = await runKomoju(sandbox, capped(1000));
			expect(result.resultOf('KOMOJU')[0].json.amount).toBe(1000);
		});
	});
});

describe('the hosted page round trip: Create → customer pays → Get', () => {
	it.each([
		['a regular card', CARDS.regular],
		['a 3D Secure card (frictionless)', CARDS.frictionlessOk],
	])('with %s, Get shows the session completed with its captured payment', async (_name, cardNumber) => {
		const session = await runCreate();
		const back = await payOnHostedPage(session.session_url as string, cardNumber);
		expect(`${back.origin}${back.pathname}`).toBe('https://shop.example.com/thanks');
		expect(back.searchParams.get('order')).toBe('7');
		expect(back.searchParams.get('session_id')).toBe(session.id);

		const result = await runKomoju(sandbox, { resource: 'session', operation: 'get', sessionId: back.searchParams.get('session_id') });
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/sessions/');
		expect(request.path).toBe(`/api/v1/sessions/${String(session.id)}`);
		const [item] = result.resultOf('KOMOJU');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			id: session.id,
			status: 'completed',
			completed_at: expect.any(String),
			payment: { status: 'captured', amount: 1200, currency: 'JPY', payment_details: { last_four_digits: cardNumber.slice(-4) } },
		});
		expect(cardDataIn(result, [cardNumber, CVC])).toEqual([]);
	});

	it('with manual capture the payment waits, authorised', async () => {
		const session = await runCreate({ additionalFields: { paymentData: { capture: 'manual' } } });
		await payOnHostedPage(session.session_url as string, CARDS.regular);
		expect(await getSession(session.id as string)).toMatchObject({ status: 'completed', payment: { status: 'authorized' } });
	});

	it('in Save Card mode the session ends with a customer and no payment', async () => {
		const session = await runCreate({ mode: 'customer' });
		await payOnHostedPage(session.session_url as string, CARDS.regular);
		const final = await getSession(session.id as string);
		expect(final).toMatchObject({ status: 'completed', customer_id: expect.any(String) });
		expect(final).not.toHaveProperty('payment');
		expect(sandbox.customers().map((customer) => customer.id)).toEqual([final.customer_id]);
	});
});

describe('Session → Get', () => {
	it('an unknown ID is a 404, as an error item in its place with Continue On Fail', async () => {
		const session = await runCreate();
		const result = await runKomoju(
			sandbox,
			{ resource: 'session', operation: 'get', sessionId: '={{ $json.id }}' },
			{ items: [{ id: 'ses_unknown' }, { id: session.id }], settings: { continueOnFail: true } },
		);
		const [missing, found] = result.resultOf('KOMOJU');
		expect(missing).toEqual({ json: { error: expect.any(String), details: expect.objectContaining({ httpCode: '404' }) }, pairedItem: { item: 0 } });
		expect(found.json.id).toBe(session.id);
	});
});

describe('Session → Cancel', () => {
	it('cancels a pending session, with an idempotency key; its page can no longer be paid', async () => {
		const session = await runCreate();
		const result = await runKomoju(sandbox, { resource: 'session', operation: 'cancel', sessionId: session.id });
		const [request] = apiRequests(sandbox, 'POST', '/api/v1/sessions/');
		expect(request.path).toBe(`/api/v1/sessions/${String(session.id)}/cancel`);
		expect(request.idempotencyKey).toEqual(expect.any(String));
		const [item] = result.resultOf('KOMOJU');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ id: session.id, status: 'cancelled', cancelled_at: expect.any(String) });
		expect(await (await fetch(session.session_url as string)).text()).toContain('cancelled');
	});

	it('a completed session cannot be cancelled: KOMOJU’s 422 as an error item with Continue On Fail', async () => {
		const session = await runCreate();
		await payOnHostedPage(session.session_url as string, CARDS.regular);
		const result = await runKomoju(
			sandbox,
			{ resource: 'session', operation: 'cancel', sessionId: session.id },
			{ settings: { continueOnFail: true } },
		);
		expect(result.resultOf('KOMOJU')[0].json.details).toMatchObject({ httpCode: '422' });
	});
});

/** An n8n-core load-options context for the KOMOJU node, as the editor uses to fill a dropdown. */
function loadOptionsContext(): LoadOptionsContext {
	const komoju = new Komoju();
	const nodeTypes: INodeTypes = {
		getByName: () => komoju as INodeType,
		getByNameAndVersion: () => komoju as INodeType,
		getKnownTypes: () => ({}),
	};
	const node = { ...komojuNode(createSession()), credentials: { komojuApi: { id: 'komojuApi', name: 'komojuApi' } } };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new HarnessCredentialsHelper(
			{ komojuApi: new KomojuApi() },
			{ komojuApi: { secretKey: sandbox.secretKey, baseUrl: sandbox.url } },
		),
		externalSecretsProxy: new ExternalSecretsProxy(),
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.additionalFields.paymentTypes');
}

describe('Payment types for Session → Create (load options)', () => {
	it('lists each enabled payment type once, by KOMOJU’s English name with the Japanese one, read through the transport', async () => {
		const options = await new Komoju().methods.loadOptions.getPaymentTypes.call(loadOptionsContext());
		expect(options).toEqual([
			{ name: 'Alipay', value: 'alipay', description: 'アリペイ · Enabled for JPY' },
			{ name: 'au Easy Payment', value: 'au', description: 'auかんたん決済 · Enabled for JPY' },
			{ name: 'au PAY', value: 'aupay', description: 'au PAY · Enabled for JPY' },
			{ name: 'Bank Transfer', value: 'bank_transfer', description: '銀行振込 · Enabled for JPY' },
			{ name: 'BitCash', value: 'bit_cash', description: 'ビットキャッシュ · Enabled for JPY' },
			{ name: 'Carrier Billing', value: 'japan_mobile', description: 'キャリア決済 · Enabled for JPY' },
			{ name: 'Credit Card', value: 'credit_card', description: 'クレジットカード · Enabled for JPY, USD' },
			{ name: 'd Payment', value: 'docomo', description: 'd払い · Enabled for JPY' },
			{ name: 'Dospara', value: 'dospara', description: 'ドスパラ · Enabled for JPY' },
			{ name: 'EPOS Pay', value: 'epospay', description: 'エポスPay · Enabled for JPY' },
			{ name: 'Konbini', value: 'konbini', description: 'コンビニ · Enabled for JPY' },
			{ name: 'Merpay', value: 'merpay', description: 'メルペイ · Enabled for JPY' },
			{ name: 'NET CASH', value: 'net_cash', description: 'NET CASH · Enabled for JPY' },
			{ name: 'Paidy', value: 'paidy', description: 'ペイディ · Enabled for JPY' },
			{ name: 'Pay-easy', value: 'pay_easy', description: 'ペイジー · Enabled for JPY' },
			{ name: 'PayPay', value: 'paypay', description: 'PayPay · Enabled for JPY' },
			{ name: 'Rakuten Pay', value: 'rakutenpay', description: '楽天ペイ · Enabled for JPY' },
			{ name: 'SoftBank Carrier Billing', value: 'softbank', description: 'ソフトバンクまとめて支払い · Enabled for JPY' },
			{ name: 'UnionPay', value: 'unionpay', description: '銀聯 · Enabled for JPY' },
			{ name: 'WebMoney', value: 'web_money', description: 'ウェブマネー · Enabled for JPY' },
			{ name: 'WeChat Pay', value: 'wechatpay', description: 'WeChat Pay · Enabled for JPY' },
		]);
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/payment_methods');
		expect(request.status).toBe(200);
	});
});
