/**
 * The workflows and credentials the e2e run imports into n8n (one `import:credentials` and one
 * `import:workflow` call for all of them): the test workflows, the examples as they are, and
 * patched copies of the examples that can run here (real token ids, a fake SMTP server, a fake
 * OpenAI, a public chat trigger).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CARDS, FUTURE_YEAR } from './sandbox-client';
import { REPO_ROOT, type Fixtures } from './state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Json;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[setting: string]: unknown;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Json;
	settings?: Json;
	[key: string]: unknown;
}

export const KOMOJU = 'n8n-nodes-komoju.komoju';

/** Credential references (id and name), as workflow nodes carry them. */
export const CREDENTIALS = {
	komoju: { id: 'komojuE2e', name: 'KOMOJU e2e' },
	wrongKey: { id: 'komojuE2eWrongKey', name: 'KOMOJU e2e wrong key' },
	/** The one the examples reference; `npm start` imports one with this id and name too. */
	examples: { id: 'komojuSandbox', name: 'KOMOJU Sandbox' },
	smtp: { id: 'smtpE2e', name: 'SMTP e2e (fake server)' },
	openAi: { id: 'openAiE2e', name: 'OpenAI e2e (fake server)' },
	webhook: { id: 'komojuWebhookE2e', name: 'KOMOJU Webhook e2e' },
	/** The webhook secret the konbini example's trigger references; `npm start` imports it too. */
	examplesWebhook: { id: 'komojuSandboxWebhook', name: 'KOMOJU Sandbox Webhook' },
};

/** The KOMOJU Webhook API credential's secret; the sandbox's webhook is registered with it. */
export const WEBHOOK_SECRET = 'whsec_e2e_0123456789abcdef';

export const WRONG_SECRET_KEY = 'sk_test_not_a_real_key';

/** Workflow ids (n8n accepts at most 21 characters for `execute --id`). */
export const IDS = {
	items: 'e2eCreateGetItems',
	customer: 'e2eSavedCustomer',
	continueOnFail: 'e2eContinueOnFail',
	wrongKey: 'e2eWrongKey',
	retryOnFail: 'e2eRetryOnFail',
	threeDs: 'e2eThreeDsRoundTrip',
	exampleSchedule: 'e2eExampleSchedule',
	exampleEmail: 'e2eExampleEmail',
	exampleAi: 'e2eExampleAi',
	exampleKonbini: 'e2eExampleKonbini',
	exampleRefund: 'e2eExampleRefund',
	offsite: 'e2eOffsiteWait',
	konbiniReads: 'e2eKonbiniReads',
	trigger: 'e2eKomojuTrigger',
	eventsTrigger: 'e2eKomojuEventsTrigger',
	paymentFlow: 'e2ePaymentFlow',
	everyOperation: 'e2eEveryOperation',
	recovery: 'e2eRecovery',
};

export const KOMOJU_TRIGGER = 'n8n-nodes-komoju.komojuTrigger';
/** The events the trigger workflow selects (ping is not one of them). */
export const TRIGGER_EVENTS = ['customer.created', 'payment.captured'];
/** The trigger node's webhookId: its production URL is /webhook/<id>/komoju. */
export const TRIGGER_WEBHOOK_ID = '6f1c2b7e-4d0a-4c2e-9a51-0e2e4b0c7a11';
export const TRIGGER_NODE = 'KOMOJU Trigger';

export const KOMOJU_EVENTS_TRIGGER = 'n8n-nodes-komoju.komojuEventsTrigger';
export const EVENTS_TRIGGER_NODE = 'KOMOJU Events Trigger';
/**
 * Seconds of each minute at which the Events Trigger polls. n8n 2.40.7 refuses a sub-minute
 * cron ("The polling interval is too short"), so the test polls through several poll times,
 * each a fixed second of every minute.
 */
export const EVENTS_POLL_SECONDS = Array.from({ length: 12 }, (_, index) => index * 5);

export const THREE_DS_WEBHOOK_PATH = 'e2e-3ds-payment';
/** The webhook of the workflow that charges a batch of orders: { orders: [{ customer, amount }] }. */
export const RECOVERY_WEBHOOK_PATH = 'e2e-charge-orders';
/** The webhook of the PayPay payment that waits for the customer's return: { order, amount }. */
export const OFFSITE_WEBHOOK_PATH = 'e2e-paypay-wait';
/** The webhook of the flow from a secure token to a captured and refunded payment. */
export const PAYMENT_FLOW_WEBHOOK_PATH = 'e2e-3ds-pay-capture-refund';
/**
 * What n8n 2.40.7 answers on a Wait node's resume URL (Respond: Immediately). The Wait node's
 * "Response Data" option is ignored there (tried: the answer stays this), so the examples do
 * not set it.
 */
export const WAIT_RESPONSE_TEXT = '{"message":"Workflow was started"}';
/** Not a token the sandbox knows: its Get fails with 404. */
export const UNKNOWN_TOKEN_ID = 'zzzzzzzzzzzzzzzzzzzzzzzzz';

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Json;
}

export function credentialsFor(env: { sandboxUrl: string; secretKey: string; smtpPort: number; openAiUrl: string }): CredentialJson[] {
	const komoju = (ref: { id: string; name: string }, secretKey: string): CredentialJson => ({
		...ref,
		type: 'komojuApi',
		data: { secretKey, baseUrl: env.sandboxUrl, apiVersion: '2025-01-28' },
	});
	return [
		komoju(CREDENTIALS.komoju, env.secretKey),
		komoju(CREDENTIALS.wrongKey, WRONG_SECRET_KEY),
		komoju(CREDENTIALS.examples, env.secretKey),
		{
			...CREDENTIALS.smtp,
			type: 'smtp',
			data: { user: '', password: '', host: '127.0.0.1', port: env.smtpPort, secure: false, disableStartTls: true },
		},
		{ ...CREDENTIALS.openAi, type: 'openAiApi', data: { apiKey: 'sk-fake-e2e', url: env.openAiUrl } },
		{ ...CREDENTIALS.webhook, type: 'komojuWebhookApi', data: { webhookSecret: WEBHOOK_SECRET } },
		{ ...CREDENTIALS.examplesWebhook, type: 'komojuWebhookApi', data: { webhookSecret: WEBHOOK_SECRET } },
	];
}

export function node(name: string, type: string, typeVersion: number, parameters: Json, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

export function workflow(id: string, name: string, nodes: WorkflowNode[], links: Array<[string, string, number?]>): WorkflowJson {
	nodes.forEach((n, index) => (n.position = [index * 220, 0]));
	const connections: Json = {};
	for (const [from, to, output = 0] of links) {
		const main = (connections[from] ??= { main: [] }).main as Json[][];
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' } };
}

export const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1, {});

export const code = (name: string, items: Json[]) =>
	node(name, 'n8n-nodes-base.code', 2, { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })), null, 2)};` });

export const komoju = (name: string, parameters: Json, credential = CREDENTIALS.komoju, extra: Partial<WorkflowNode> = {}) =>
	node(name, KOMOJU, 1, { resource: 'secureToken', ...parameters }, { credentials: { komojuApi: credential }, ...extra });

const cardCreate = (overrides: Json = {}) => ({
	operation: 'create',
	amount: '={{ $json.amount }}',
	currency: 'JPY',
	returnUrl: '=https://shop.example.com/return?order={{ $json.order }}',
	paymentSource: 'card',
	cardNumber: '={{ $json.card }}',
	expiryMonth: 12,
	expiryYear: FUTURE_YEAR,
	verificationValue: '123',
	cardholderName: 'Taro Yamada',
	email: 'taro@example.com',
	options: {},
	...overrides,
});

const getById = (expression: string, options: Json = {}) => ({
	operation: 'get',
	secureTokenId: { __rl: true, mode: 'id', value: expression },
	options,
});

const set = (name: string, fields: Record<string, string>) =>
	node(name, 'n8n-nodes-base.set', 3.4, {
		assignments: {
			assignments: Object.entries(fields).map(([field, value]) => ({ id: randomUUID(), name: field, value, type: 'string' })),
		},
		options: {},
	});

/**
 * A card typed into a form → Token Create → Customer Create from the token: a saved customer whose
 * card number reached KOMOJU once, in Token Create.
 */
export function savedCustomerSteps(email: string): WorkflowNode[] {
	return [
		code('Card from a form', [{ number: CARDS.regular, cvc: '123', email }]),
		komoju('Token Create', {
			resource: 'token',
			operation: 'create',
			cardNumber: '={{ $json.number }}',
			expiryMonth: 9,
			expiryYear: FUTURE_YEAR,
			verificationValue: '={{ $json.cvc }}',
			tokenFields: { currency: 'JPY' },
			options: {},
		}),
		komoju('Customer Create', {
			resource: 'customer',
			operation: 'create',
			cardSource: 'token',
			tokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			customerFields: { email: "={{ $('Card from a form').item.json.email }}", currency: 'JPY' },
			options: {},
		}),
	];
}

export const ITEMS_ORDERS = [
	{ order: 'A-1', amount: 1000, card: CARDS.frictionlessOk, month: 8 },
	{ order: 'A-2', amount: '2500', card: CARDS.challengeOk, month: '12' },
	{ order: 'A-3', amount: 99, card: CARDS.regular, month: 1 },
];

export const CONTINUE_ORDERS = [
	{ order: 'C-1', amount: 100, card: CARDS.frictionlessOk },
	{ order: 'C-2', amount: 10.5, card: CARDS.frictionlessOk },
	{ order: 'C-3', amount: 300, card: CARDS.insufficientFunds },
	{ order: 'C-4', amount: 400, card: CARDS.challengeOk },
];

/**
 * The first half of a 3DS round trip: a shop POSTs { amount, card, … } to the webhook → Secure
 * Token Create with the Wait node's resume URL as return URL → Respond with the link → Wait.
 */
function threeDsStart(webhookPath: string): WorkflowNode[] {
	return [
		node(
			'Webhook',
			'n8n-nodes-base.webhook',
			2.1,
			{ httpMethod: 'POST', path: webhookPath, responseMode: 'responseNode', options: {} },
			{ webhookId: randomUUID() },
		),
		komoju(
			'Create',
			cardCreate({
				amount: '={{ $json.body.amount }}',
				cardNumber: '={{ $json.body.card }}',
				returnUrl: '={{ $execution.resumeUrl }}',
			}),
		),
		node('Respond with the link', 'n8n-nodes-base.respondToWebhook', 1.5, {
			respondWith: 'json',
			responseBody:
				'={{ JSON.stringify({ executionId: $execution.id, secureTokenId: $json.id, authenticationUrl: $json.authentication_url, resumeUrl: $execution.resumeUrl }) }}',
			options: {},
		}),
		node(
			'Wait for the customer',
			'n8n-nodes-base.wait',
			1.1,
			{ resume: 'webhook', httpMethod: 'GET', limitWaitTime: true, resumeAmount: 10, resumeUnit: 'minutes', options: {} },
			{ webhookId: randomUUID() },
		),
	];
}

export function testWorkflows(env: { sandboxUrl: string; fixtures: Fixtures }): WorkflowJson[] {
	return [
		workflow(
			IDS.items,
			'e2e: Create (card) → Get for three items',
			[
				manualTrigger(),
				code('Orders', ITEMS_ORDERS),
				komoju(
					'Create',
					cardCreate({
						expiryMonth: '={{ $json.month }}',
						cardholderName: '=Customer {{ $json.order }}',
						additionalCardFields: { billingAddressCountry: 'JP' },
					}),
				),
				komoju('Get', getById('={{ $json.id }}')),
				set('Summary', {
					order: "={{ $('Orders').item.json.order }}",
					id: '={{ $json.id }}',
					createdStatus: "={{ $('Create').item.json.verification_status }}",
					status: '={{ $json.verification_status }}',
				}),
			],
			[
				['Start', 'Orders'],
				['Orders', 'Create'],
				['Create', 'Get'],
				['Get', 'Summary'],
			],
		),
		workflow(
			IDS.customer,
			'e2e: Create with a saved customer',
			[
				manualTrigger(),
				komoju('Create for saved customer', {
					operation: 'create',
					amount: 5000,
					currency: 'USD',
					returnUrl: 'https://shop.example.com/back',
					paymentSource: 'customer',
					customerId: env.fixtures.customerId,
					options: {},
				}),
				node(
					'Create customer (HTTP Request)',
					'n8n-nodes-base.httpRequest',
					4.2,
					{
						method: 'POST',
						url: `${env.sandboxUrl}/api/v1/customers`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'komojuApi',
						sendBody: true,
						specifyBody: 'json',
						jsonBody: JSON.stringify({
							email: 'hanako@example.com',
							payment_details: { type: 'credit_card', number: CARDS.frictionlessOk, month: 3, year: FUTURE_YEAR },
						}),
						options: {},
					},
					{ credentials: { komojuApi: CREDENTIALS.komoju } },
				),
				komoju('Create for new customer', {
					operation: 'create',
					amount: 700,
					currency: 'JPY',
					returnUrl: 'https://shop.example.com/back',
					paymentSource: 'customer',
					customerId: '={{ $json.id }}',
					options: {},
				}),
			],
			[
				['Start', 'Create for saved customer'],
				['Start', 'Create customer (HTTP Request)'],
				['Create customer (HTTP Request)', 'Create for new customer'],
			],
		),
		workflow(
			IDS.continueOnFail,
			'e2e: Continue On Fail',
			[
				manualTrigger(),
				code('Orders', CONTINUE_ORDERS),
				komoju('Create', cardCreate(), CREDENTIALS.komoju, { onError: 'continueRegularOutput' }),
			],
			[
				['Start', 'Orders'],
				['Orders', 'Create'],
			],
		),
		workflow(
			IDS.wrongKey,
			'e2e: wrong secret key',
			[manualTrigger(), code('Order', [{ order: 'W-1', amount: 1000, card: CARDS.frictionlessOk }]), komoju('Create', cardCreate(), CREDENTIALS.wrongKey)],
			[
				['Start', 'Order'],
				['Order', 'Create'],
			],
		),
		workflow(
			IDS.retryOnFail,
			'e2e: n8n Retry On Fail after a lost response',
			[
				manualTrigger(),
				code('Order', [{ order: 'R-1', amount: 1500, card: CARDS.frictionlessOk }]),
				komoju('Create', cardCreate({ options: { maxRetries: 0 } }), CREDENTIALS.komoju, {
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 500,
				}),
			],
			[
				['Start', 'Order'],
				['Order', 'Create'],
			],
		),
		workflow(
			IDS.threeDs,
			'e2e: 3DS round trip through webhooks',
			[
				...threeDsStart(THREE_DS_WEBHOOK_PATH),
				komoju('Get', getById('={{ $json.query.secure_token_id }}')),
				set('Record status', {
					order: "={{ $('Webhook').item.json.body.order }}",
					secureTokenId: '={{ $json.id }}',
					verificationStatus: '={{ $json.verification_status }}',
				}),
			],
			[
				['Webhook', 'Create'],
				['Create', 'Respond with the link'],
				['Respond with the link', 'Wait for the customer'],
				['Wait for the customer', 'Get'],
				['Get', 'Record status'],
			],
		),
		workflow(
			IDS.paymentFlow,
			'e2e: secure token → payment → capture → refund',
			[
				...threeDsStart(PAYMENT_FLOW_WEBHOOK_PATH),
				komoju('Verified', getById("={{ $('Create').item.json.id }}", { failIfNotVerified: true })),
				komoju('Authorise', {
					resource: 'payment',
					operation: 'create',
					amount: "={{ $('Webhook').item.json.body.amount }}",
					currency: 'JPY',
					paymentSource: 'secureToken',
					secureTokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					capture: false,
					additionalFields: { externalOrderNum: "={{ $('Webhook').item.json.body.order }}" },
					options: { maximumAmount: 100000, maximumAmountCurrency: 'JPY' },
				}),
				komoju('Capture', { resource: 'payment', operation: 'capture', paymentId: '={{ $json.id }}', captureType: 'full', options: {} }),
				komoju('Refund part', {
					resource: 'payment',
					operation: 'refund',
					paymentId: '={{ $json.id }}',
					refundType: 'partial',
					amount: "={{ $('Webhook').item.json.body.refund }}",
					description: 'Partial refund from n8n',
					options: { maximumAmount: 100000, maximumAmountCurrency: 'JPY' },
				}),
				komoju('Refund the rest', { resource: 'payment', operation: 'refund', paymentId: '={{ $json.id }}', refundType: 'full', options: {} }),
			],
			[
				['Webhook', 'Create'],
				['Create', 'Respond with the link'],
				['Respond with the link', 'Wait for the customer'],
				['Wait for the customer', 'Verified'],
				['Verified', 'Authorise'],
				['Authorise', 'Capture'],
				['Capture', 'Refund part'],
				['Refund part', 'Refund the rest'],
			],
		),
		workflow(
			IDS.konbiniReads,
			'e2e: a konbini payment, its barcode, the enabled payment methods',
			[
				manualTrigger(),
				komoju('Konbini payment', {
					resource: 'payment',
					operation: 'create',
					amount: 1500,
					currency: 'JPY',
					paymentSource: 'method',
					paymentMethod: 'konbini',
					methodStore: 'family-mart',
					methodEmail: 'aiko@example.com',
					methodFields: { phone: '080-1111-2222', expiryDays: 5 },
					options: {},
				}),
				komoju('Barcode', { resource: 'barcode', operation: 'get', paymentId: '={{ $json.id }}', options: {} }),
				komoju('Payment methods', { resource: 'paymentMethod', operation: 'getAll', filters: { currency: 'JPY' }, options: {} }),
			],
			[
				['Start', 'Konbini payment'],
				['Konbini payment', 'Barcode'],
				['Barcode', 'Payment methods'],
			],
		),
		workflow(
			IDS.offsite,
			'e2e: PayPay, waiting for the customer’s return',
			[
				node(
					'Webhook',
					'n8n-nodes-base.webhook',
					2.1,
					{ httpMethod: 'POST', path: OFFSITE_WEBHOOK_PATH, responseMode: 'responseNode', options: {} },
					{ webhookId: randomUUID() },
				),
				komoju('Create PayPay payment', {
					resource: 'payment',
					operation: 'create',
					amount: '={{ $json.body.amount }}',
					currency: 'JPY',
					paymentSource: 'method',
					paymentMethod: 'paypay',
					additionalFields: { externalOrderNum: '={{ $json.body.order }}', returnUrl: '={{ $execution.resumeUrl }}' },
					options: { maximumAmount: 100000, maximumAmountCurrency: 'JPY' },
				}),
				node('Respond with the redirect', 'n8n-nodes-base.respondToWebhook', 1.5, {
					respondWith: 'json',
					responseBody: '={{ JSON.stringify({ executionId: $execution.id, paymentId: $json.id, redirectUrl: $json.payment_details.redirect_url }) }}',
					options: {},
				}),
				node(
					'Wait for the customer',
					'n8n-nodes-base.wait',
					1.1,
					{ resume: 'webhook', httpMethod: 'GET', limitWaitTime: true, resumeAmount: 10, resumeUnit: 'minutes', options: {} },
					{ webhookId: randomUUID() },
				),
				komoju('Get the payment', { resource: 'payment', operation: 'get', paymentId: "={{ $('Create PayPay payment').item.json.id }}", options: {} }),
			],
			[
				['Webhook', 'Create PayPay payment'],
				['Create PayPay payment', 'Respond with the redirect'],
				['Respond with the redirect', 'Wait for the customer'],
				['Wait for the customer', 'Get the payment'],
			],
		),
		workflow(
			IDS.recovery,
			'e2e: charge a batch of orders (recovery paths)',
			[
				node(
					'Webhook',
					'n8n-nodes-base.webhook',
					2.1,
					{ httpMethod: 'POST', path: RECOVERY_WEBHOOK_PATH, options: {} },
					{ webhookId: randomUUID() },
				),
				node('Orders', 'n8n-nodes-base.code', 2, { jsCode: 'return $json.body.orders.map((order) => ({ json: order }));' }),
				// No external order number: only the idempotency key can keep a retry from charging again.
				komoju('Charge', {
					resource: 'payment',
					operation: 'create',
					amount: '={{ $json.amount }}',
					currency: 'JPY',
					paymentSource: 'customer',
					customerId: '={{ $json.customer }}',
					options: { maxRetries: 0 },
				}),
			],
			[
				['Webhook', 'Orders'],
				['Orders', 'Charge'],
			],
		),
		workflow(
			IDS.everyOperation,
			'e2e: every resource and operation of the KOMOJU node',
			[
				manualTrigger(),
				...savedCustomerSteps('aiko@example.com'),
				komoju('Customer Update', {
					resource: 'customer',
					operation: 'update',
					customerId: '={{ $json.id }}',
					updateFields: { email: 'aiko.tanaka@example.com', metadata: { entries: [{ key: 'crm', value: 'lead-9' }] } },
					options: {},
				}),
				komoju('Customer Get', { resource: 'customer', operation: 'get', customerId: '={{ $json.id }}', options: {} }),
				komoju('Payment Create', {
					resource: 'payment',
					operation: 'create',
					amount: 3000,
					currency: 'JPY',
					paymentSource: 'customer',
					customerId: '={{ $json.id }}',
					capture: false,
					additionalFields: { externalOrderNum: 'E2E-ALL-1' },
					options: {},
				}),
				komoju('Payment Update', {
					resource: 'payment',
					operation: 'update',
					paymentId: '={{ $json.id }}',
					updateFields: { description: 'Updated by n8n' },
					options: {},
				}),
				komoju('Payment Get', { resource: 'payment', operation: 'get', paymentId: '={{ $json.id }}', options: {} }),
				komoju('Payment Cancel', { resource: 'payment', operation: 'cancel', paymentId: '={{ $json.id }}', options: {} }),
				komoju('Customer Delete', {
					resource: 'customer',
					operation: 'delete',
					customerId: "={{ $('Customer Create').item.json.id }}",
					options: {},
				}),
				komoju('Payment Get Many', {
					resource: 'payment',
					operation: 'getAll',
					returnAll: false,
					limit: 2,
					filters: { externalOrderNum: 'E2E-ALL-1' },
					options: {},
				}),
				komoju('Customer Get Many', { resource: 'customer', operation: 'getAll', returnAll: false, limit: 3, filters: {}, options: {} }),
				// Execute Once: one list, not one per customer listed before it.
				komoju('Event Get Many', { resource: 'event', operation: 'getAll', returnAll: false, limit: 4, filters: {}, options: {} }, CREDENTIALS.komoju, {
					executeOnce: true,
				}),
				komoju('Event Get', { resource: 'event', operation: 'get', eventId: '={{ $json.id }}', options: {} }),
				komoju('Session Create', {
					resource: 'session',
					operation: 'create',
					mode: 'payment',
					amount: 2500,
					currency: 'JPY',
					returnUrl: 'https://shop.example.com/thanks',
					additionalFields: {
						paymentTypes: ['credit_card'],
						lineItems: { items: [{ description: 'Tea', amount: 1250, quantity: 2 }] },
						paymentData: { externalOrderNum: 'E2E-SESSION-1', capture: 'manual' },
					},
					options: { maximumAmount: 10000, maximumAmountCurrency: 'JPY' },
				}, CREDENTIALS.komoju, { executeOnce: true }),
				komoju('Session Get', { resource: 'session', operation: 'get', sessionId: '={{ $json.id }}', options: {} }),
				komoju('Session Cancel', { resource: 'session', operation: 'cancel', sessionId: '={{ $json.id }}', options: {} }),
			],
			[
				['Start', 'Card from a form'],
				['Card from a form', 'Token Create'],
				['Token Create', 'Customer Create'],
				['Customer Create', 'Customer Update'],
				['Customer Update', 'Customer Get'],
				['Customer Get', 'Payment Create'],
				['Payment Create', 'Payment Update'],
				['Payment Update', 'Payment Get'],
				['Payment Get', 'Payment Cancel'],
				['Payment Cancel', 'Customer Delete'],
				['Customer Delete', 'Payment Get Many'],
				['Payment Get Many', 'Customer Get Many'],
				['Customer Get Many', 'Event Get Many'],
				['Event Get Many', 'Event Get'],
				['Event Get', 'Session Create'],
				['Session Create', 'Session Get'],
				['Session Get', 'Session Cancel'],
			],
		),
		workflow(
			IDS.trigger,
			'e2e: KOMOJU Trigger',
			[
				node(TRIGGER_NODE, KOMOJU_TRIGGER, 1, { events: TRIGGER_EVENTS }, {
					webhookId: TRIGGER_WEBHOOK_ID,
					credentials: { komojuWebhookApi: CREDENTIALS.webhook },
				}),
				node('Received', 'n8n-nodes-base.noOp', 1, {}),
			],
			[[TRIGGER_NODE, 'Received']],
		),
		workflow(
			IDS.eventsTrigger,
			'e2e: KOMOJU Events Trigger',
			[
				node(
					EVENTS_TRIGGER_NODE,
					KOMOJU_EVENTS_TRIGGER,
					1,
					{
						pollTimes: { item: EVENTS_POLL_SECONDS.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) },
						events: ['customer.created'],
						options: {},
					},
					{ credentials: { komojuApi: CREDENTIALS.komoju } },
				),
				node('Received', 'n8n-nodes-base.noOp', 1, {}),
			],
			[[EVENTS_TRIGGER_NODE, 'Received']],
		),
	];
}

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((name) => name.endsWith('.json'))
		.sort();
}

export function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

function findNode(workflowJson: WorkflowJson, type: string): WorkflowNode {
	const found = workflowJson.nodes.find((n) => n.type === type);
	if (!found) throw new Error(`${workflowJson.name}: no ${type} node`);
	return found;
}

export const SCHEDULE_IDS_PATTERN = /const pendingSecureTokenIds = \[[^\]]*\];/;

/** The token ids the patched scheduled check looks up, in order. */
export function scheduledIds(fixtures: Fixtures): string[] {
	const { ok, skipped, errored, needsVerify } = fixtures.tokens;
	return [ok, needsVerify, UNKNOWN_TOKEN_ID, skipped, errored];
}

/** Copies of the examples that can run here. Each patch is the least needed. */
export function patchedExamples(fixtures: Fixtures): WorkflowJson[] {
	const schedule = loadExample('scheduled-status-check.json');
	const codeNode = findNode(schedule, 'n8n-nodes-base.code');
	if (!SCHEDULE_IDS_PATTERN.test(codeNode.parameters.jsCode)) throw new Error('scheduled example: no pendingSecureTokenIds array to patch');
	codeNode.parameters.jsCode = codeNode.parameters.jsCode.replace(
		SCHEDULE_IDS_PATTERN,
		`const pendingSecureTokenIds = ${JSON.stringify(scheduledIds(fixtures))};`,
	);

	const email = loadExample('3ds-payment-link-by-email.json');
	findNode(email, 'n8n-nodes-base.emailSend').credentials = { smtp: CREDENTIALS.smtp };

	const ai = loadExample('ai-agent-secure-token-status.json');
	findNode(ai, '@n8n/n8n-nodes-langchain.lmChatOpenAi').credentials = { openAiApi: CREDENTIALS.openAi };
	// Only a public chat trigger has a production URL; "webhook" mode is the embedded chat's POST API.
	Object.assign(findNode(ai, '@n8n/n8n-nodes-langchain.chatTrigger').parameters, { public: true, mode: 'webhook' });

	const konbini = loadExample('konbini-slip-by-email.json');
	for (const mail of konbini.nodes.filter((n) => n.type === 'n8n-nodes-base.emailSend')) mail.credentials = { smtp: CREDENTIALS.smtp };
	// The reminder would wait until the day before the deadline: here it waits a second.
	const wait = findNode(konbini, 'n8n-nodes-base.wait');
	wait.parameters = { resume: 'timeInterval', amount: 1, unit: 'seconds' };

	const refund = loadExample('refund-konbini-order.json');

	return [
		{ ...konbini, id: IDS.exampleKonbini, name: `${konbini.name} (e2e: fake SMTP, 1 s reminder)` },
		{ ...refund, id: IDS.exampleRefund, name: `${refund.name} (e2e)` },
		{ ...schedule, id: IDS.exampleSchedule, name: `${schedule.name} (e2e: real token ids)` },
		{ ...email, id: IDS.exampleEmail, name: `${email.name} (e2e: fake SMTP)` },
		{ ...ai, id: IDS.exampleAi, name: `${ai.name} (e2e: fake OpenAI, public chat)` },
	];
}
