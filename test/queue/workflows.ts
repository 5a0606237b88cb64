/**
 * What the queue-mode test imports into n8n: the KOMOJU credential and two workflows.
 * - The 3DS round trip is the e2e one (test/e2e/support/workflows.ts), unchanged.
 * - The 1,000-item workflow is built from its Webhook and Create nodes: Webhook (answers at once)
 *   → Code node making 1,000 orders → KOMOJU Secure Token Create with the regular success card
 *   (created SKIPPED at once). Each order names its execution and item in the return URL, so
 *   the sandbox's tokens can be traced back to both.
 */
import { randomUUID } from 'node:crypto';

import { CARDS } from '../e2e/support/sandbox-client';
import { CREDENTIALS, credentialsFor, IDS, testWorkflows, type CredentialJson, type WorkflowJson } from '../e2e/support/workflows';

export const BULK = {
	id: 'queueBulk1000Items',
	path: 'queue-bulk-1000',
	items: 1000,
	codeNode: '1,000 orders',
	createNode: 'Create',
	/** The return URL of item i of execution e is RETURN_URL + `${e}-${i}`. */
	returnUrl: 'https://shop.example.com/queue?order=',
};

export function queueCredentials(sandboxUrl: string, secretKey: string): CredentialJson[] {
	return credentialsFor({ sandboxUrl, secretKey, smtpPort: 0, openAiUrl: '' }).filter((c) => c.id === CREDENTIALS.komoju.id);
}

export function queueWorkflows(sandboxUrl: string): WorkflowJson[] {
	const unused = { customerId: 'unused', tokens: { ok: '', skipped: '', errored: '', needsVerify: '' } };
	const threeDs = testWorkflows({ sandboxUrl, fixtures: unused }).find((w) => w.id === IDS.threeDs);
	if (!threeDs) throw new Error(`no ${IDS.threeDs} workflow in test/e2e/support/workflows.ts`);
	const copy = (name: string) => {
		const found = threeDs.nodes.find((n) => n.name === name);
		if (!found) throw new Error(`the 3DS workflow has no "${name}" node`);
		return { ...structuredClone(found), id: randomUUID() };
	};

	const webhook = copy('Webhook');
	webhook.webhookId = randomUUID();
	webhook.parameters = { httpMethod: 'POST', path: BULK.path, responseMode: 'onReceived', options: {} };
	const orders = {
		id: randomUUID(),
		name: BULK.codeNode,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0] as [number, number],
		parameters: {
			jsCode: [
				'const execution = $execution.id;',
				`return Array.from({ length: ${BULK.items} }, (_, i) => ({`,
				`  json: { order: \`\${execution}-\${i}\`, amount: 1000 + i, card: '${CARDS.regular}' },`,
				'}));',
			].join('\n'),
		},
	};
	const create = copy('Create');
	create.position = [440, 0];
	create.parameters = {
		...create.parameters,
		amount: '={{ $json.amount }}',
		cardNumber: '={{ $json.card }}',
		returnUrl: `=${BULK.returnUrl}{{ $json.order }}`,
	};

	const bulk: WorkflowJson = {
		id: BULK.id,
		name: 'queue: 1,000 secure tokens per execution',
		nodes: [webhook, orders, create],
		connections: {
			[webhook.name]: { main: [[{ node: orders.name, type: 'main', index: 0 }]] },
			[orders.name]: { main: [[{ node: create.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	return [bulk, threeDs];
}
