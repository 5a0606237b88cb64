/**
 * The workflows of money.e2e.ts: every operation of the Subscription, Settlement, Balance,
 * Balance Transaction and Chargeback resources in one run, and a KOMOJU Trigger for KOMOJU's
 * subscription events. What KOMOJU does on its own (billing a period, a card network's dispute, a
 * payout) the workflow asks of the sandbox's controls with n8n's HTTP Request node.
 */
import { CREDENTIALS, komoju, KOMOJU_TRIGGER, manualTrigger, node, savedCustomerSteps, workflow, type WorkflowJson } from './workflows';

export const MONEY_IDS = {
	operations: 'e2eMoneyOperations',
	subscriptionTrigger: 'e2eSubscriptionTrigger',
};

export const SUBSCRIPTION_EVENTS = ['subscription.captured', 'subscription.created', 'subscription.deleted', 'subscription.failed', 'subscription.suspended'];
/** The subscription trigger's webhookId: its production URL is /webhook/<id>/komoju. */
export const SUBSCRIPTION_TRIGGER_WEBHOOK_ID = '0b5d3c1e-7a2f-4e6b-9c84-2f1a6d3e5b90';
export const SUBSCRIPTION_TRIGGER_NODE = 'Subscription events';
/** Subscription Create's Maximum Amount (per charge): above what the workflow charges. */
export const MONEY_MAXIMUM = 5000;

/** An HTTP Request node POSTing JSON to a sandbox control. */
function sandboxControl(name: string, sandboxUrl: string, path: string, jsonBody: string) {
	return node(name, 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `=${sandboxUrl}/__sandbox${path}`,
		sendBody: true,
		specifyBody: 'json',
		jsonBody,
		options: {},
	});
}

const once = { executeOnce: true };

export function moneyWorkflows(env: { sandboxUrl: string }): WorkflowJson[] {
	const { sandboxUrl } = env;
	const created = "$('Subscription Create').item.json";
	return [
		workflow(
			MONEY_IDS.operations,
			'e2e: every Subscription, Settlement, Balance, Balance Transaction and Chargeback operation',
			[
				manualTrigger(),
				...savedCustomerSteps('ren@example.com'),
				komoju('Subscription Create', {
					resource: 'subscription',
					operation: 'create',
					customerId: '={{ $json.id }}',
					amount: 1200,
					currency: 'JPY',
					period: 'monthly',
					additionalFields: { metadata: { entries: [{ key: 'plan', value: 'tea-club' }] } },
					options: { maximumAmount: MONEY_MAXIMUM, maximumAmountCurrency: 'JPY' },
				}),
				komoju('Subscription Get', { resource: 'subscription', operation: 'get', subscriptionId: '={{ $json.id }}', options: {} }),
				sandboxControl('Bill the next period', sandboxUrl, '/subscriptions/{{ $json.id }}/bill', '={}'),
				komoju('Subscription Get Many', { resource: 'subscription', operation: 'getAll', returnAll: false, limit: 1, filters: {}, options: {} }, CREDENTIALS.komoju, once),
				komoju('Subscription Delete', { resource: 'subscription', operation: 'delete', subscriptionId: `={{ ${created}.id }}`, options: {} }),
				sandboxControl('A bank disputes the first charge', sandboxUrl, '/chargebacks', `={{ JSON.stringify({ payment: ${created}.payments[0] }) }}`),
				komoju('Chargeback Get Many', {
					resource: 'chargeback',
					operation: 'getAll',
					returnAll: false,
					limit: 1,
					filters: { status: 'pending', paymentId: `={{ ${created}.payments[0] }}` },
					options: {},
				}),
				komoju('Chargeback Get', { resource: 'chargeback', operation: 'get', chargebackId: '={{ $json.id }}', options: {} }),
				komoju('Chargeback Accept', {
					resource: 'chargeback',
					operation: 'accept',
					chargebackId: '={{ $json.id }}',
					options: { maximumAmount: MONEY_MAXIMUM, maximumAmountCurrency: 'JPY' },
				}),
				sandboxControl('KOMOJU pays out', sandboxUrl, '/settle', '={}'),
				komoju('Settlement Get Many', { resource: 'settlement', operation: 'getAll', returnAll: false, limit: 1, filters: {}, options: {} }),
				komoju('Settlement Get', { resource: 'settlement', operation: 'get', settlementId: '={{ $json.id }}', options: {} }),
				komoju('Settlement Get CSV', { resource: 'settlement', operation: 'getCsv', settlementId: '={{ $json.id }}', binaryPropertyName: 'data', options: {} }),
				node('CSV rows', 'n8n-nodes-base.extractFromFile', 1.1, { operation: 'csv', binaryPropertyName: 'data', options: {} }),
				komoju('Balance Get', { resource: 'balance', operation: 'get', currency: 'JPY', options: {} }),
				komoju('Balance Transaction Get Many', {
					resource: 'balanceTransaction',
					operation: 'getAll',
					currency: 'JPY',
					returnAll: false,
					limit: 3,
					filters: {},
					options: {},
				}),
				komoju('Balance Transaction Get', { resource: 'balanceTransaction', operation: 'get', currency: 'JPY', transactionId: '={{ $json.id }}', options: {} }, CREDENTIALS.komoju, once),
			],
			[
				['Start', 'Card from a form'],
				['Card from a form', 'Token Create'],
				['Token Create', 'Customer Create'],
				['Customer Create', 'Subscription Create'],
				['Subscription Create', 'Subscription Get'],
				['Subscription Get', 'Bill the next period'],
				['Bill the next period', 'Subscription Get Many'],
				['Subscription Get Many', 'Subscription Delete'],
				['Subscription Delete', 'A bank disputes the first charge'],
				['A bank disputes the first charge', 'Chargeback Get Many'],
				['Chargeback Get Many', 'Chargeback Get'],
				['Chargeback Get', 'Chargeback Accept'],
				['Chargeback Accept', 'KOMOJU pays out'],
				['KOMOJU pays out', 'Settlement Get Many'],
				['Settlement Get Many', 'Settlement Get'],
				['Settlement Get', 'Settlement Get CSV'],
				['Settlement Get CSV', 'CSV rows'],
				['Settlement Get CSV', 'Balance Get'],
				['Balance Get', 'Balance Transaction Get Many'],
				['Balance Transaction Get Many', 'Balance Transaction Get'],
			],
		),
		workflow(
			MONEY_IDS.subscriptionTrigger,
			'e2e: KOMOJU Trigger on subscription events',
			[
				node(SUBSCRIPTION_TRIGGER_NODE, KOMOJU_TRIGGER, 1, { events: SUBSCRIPTION_EVENTS }, {
					webhookId: SUBSCRIPTION_TRIGGER_WEBHOOK_ID,
					credentials: { komojuWebhookApi: CREDENTIALS.webhook },
				}),
				node('Received', 'n8n-nodes-base.noOp', 1, {}),
			],
			[[SUBSCRIPTION_TRIGGER_NODE, 'Received']],
		),
	];
}
