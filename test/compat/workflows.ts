/**
 * What the smoke imports into each n8n version: the e2e's own 3DS round-trip and KOMOJU Trigger
 * workflows (test/e2e/support/workflows.ts, unchanged), one workflow that charges a saved
 * customer through a webhook, and the two credentials they use.
 */
import { randomUUID } from 'node:crypto';

import {
	CREDENTIALS,
	credentialsFor,
	IDS,
	komoju,
	node,
	testWorkflows,
	workflow,
	type CredentialJson,
	type WorkflowJson,
} from '../e2e/support/workflows';

export const PAY_CUSTOMER_ID = 'compatPayCustomer';
export const PAY_CUSTOMER_PATH = 'compat-pay-saved-customer';
export const PAY_NODE = 'Pay';

export function compatCredentials(sandboxUrl: string, secretKey: string): CredentialJson[] {
	const wanted = [CREDENTIALS.komoju.id, CREDENTIALS.webhook.id];
	return credentialsFor({ sandboxUrl, secretKey, smtpPort: 0, openAiUrl: '' }).filter((c) => wanted.includes(c.id));
}

export function compatWorkflows(sandboxUrl: string, customerId: string): WorkflowJson[] {
	const fromE2e = testWorkflows({
		sandboxUrl,
		fixtures: { customerId, tokens: { ok: '', skipped: '', errored: '', needsVerify: '' } },
	}).filter((w) => w.id === IDS.threeDs || w.id === IDS.trigger);
	if (fromE2e.length !== 2) throw new Error('test/e2e/support/workflows.ts no longer has the 3DS and trigger workflows');
	const payCustomer = workflow(
		PAY_CUSTOMER_ID,
		'compat: Payment → Create from a saved customer',
		[
			// Answers with the last node's first item: the payment.
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2.1,
				{ httpMethod: 'POST', path: PAY_CUSTOMER_PATH, responseMode: 'lastNode', options: {} },
				{ webhookId: randomUUID() },
			),
			komoju(PAY_NODE, {
				resource: 'payment',
				operation: 'create',
				amount: '={{ $json.body.amount }}',
				currency: 'JPY',
				paymentSource: 'customer',
				customerId,
				additionalFields: { externalOrderNum: '={{ $json.body.order }}' },
				options: {},
			}),
		],
		[['Webhook', PAY_NODE]],
	);
	// n8n 2.0.3 refuses a workflow without `active` or `versionId` ("NOT NULL constraint failed:
	// workflow_entity.active", then "….versionId"); 2.40.7 fills both in. Imported inactive; the smoke publishes.
	return [...fromE2e, payCustomer].map((w) => ({ ...w, active: false, versionId: randomUUID() }));
}
