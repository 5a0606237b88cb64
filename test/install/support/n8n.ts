/**
 * The pinned n8n (2.40.7, installed by scripts/n8n/tools.sh) for the install test: started with
 * test/compat/instance.ts on a user folder of the test's own, and what the test does in it over
 * REST, as the editor does.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { publish, startInstance, type Instance } from '../../compat/instance';
import type { PreparedVersion } from '../../compat/state';
import { COMPAT_VERSIONS, type CompatVersion } from '../../compat/versions';
import type { N8nApi } from '../../e2e/support/n8n';
import { node, workflow, KOMOJU, type WorkflowJson } from '../../e2e/support/workflows';
import { withoutNpmRunEnv } from './npm';

export const N8N_VERSION: CompatVersion = (() => {
	const found = COMPAT_VERSIONS.find((v) => v.n8n === '2.40.7');
	if (!found) throw new Error('test/compat/versions.ts no longer lists n8n 2.40.7');
	return found;
})();

export const PACKAGE_NODE_TYPES = ['n8n-nodes-komoju.komoju', 'n8n-nodes-komoju.komojuEventsTrigger', 'n8n-nodes-komoju.komojuTrigger'];

/** `n8n start` on `userFolder` (created by n8n if missing), with `env` added to its environment. */
export async function startN8n(userFolder: string, env: NodeJS.ProcessEnv = {}): Promise<Instance> {
	const version: PreparedVersion = { ...N8N_VERSION, userFolder, timings: {} };
	return await startInstance(version, 180_000, { ...withoutNpmRunEnv(), ...env });
}

/** The package's node types n8n serves to the editor (GET /types/nodes.json). */
export async function servedPackageTypes(api: N8nApi): Promise<string[]> {
	const response = await api.request('GET', '/types/nodes.json');
	if (response.status !== 200) throw new Error(`GET /types/nodes.json: ${response.status}`);
	return (response.body as Array<{ name: string }>).map((t) => t.name).filter((name) => name.startsWith('n8n-nodes-komoju.')).sort();
}

/** Every folder named `name` under `dir`'s node_modules trees (nested ones included). */
export function installedCopies(dir: string, name: string): string[] {
	const found: string[] = [];
	const walk = (modules: string) => {
		if (!existsSync(modules)) return;
		for (const entry of readdirSync(modules, { withFileTypes: true })) {
			if (!entry.isDirectory()) continue;
			const inner = entry.name.startsWith('@') ? readdirSync(join(modules, entry.name)).map((n) => `${entry.name}/${n}`) : [entry.name];
			for (const pkg of inner) {
				if (pkg === name) found.push(join(modules, pkg));
				walk(join(modules, pkg, 'node_modules'));
			}
		}
	};
	walk(join(dir, 'node_modules'));
	return found;
}

/** A KOMOJU API credential pointing at the sandbox, created as the editor's credential form does. */
export async function createKomojuCredential(api: N8nApi, sandboxUrl: string, secretKey: string): Promise<{ id: string; name: string }> {
	const name = 'KOMOJU install test';
	const created = await api.data('POST', '/rest/credentials', {
		name,
		type: 'komojuApi',
		data: { secretKey, baseUrl: sandboxUrl, apiVersion: '2025-01-28' },
	});
	return { id: created.id as string, name };
}

export const PAY_PATH = 'install-pay-saved-customer';

/** Webhook (production, answers with the last node's item) → KOMOJU Payment → Create from a saved customer. */
export function payWorkflow(credential: { id: string; name: string }, customerId: string): Omit<WorkflowJson, 'id'> {
	const { id: _id, ...rest } = workflow(
		'unused',
		'install test: Payment → Create from a saved customer',
		[
			node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: PAY_PATH, responseMode: 'lastNode', options: {} }, { webhookId: randomUUID() }),
			node(
				'Pay',
				KOMOJU,
				1,
				{
					resource: 'payment',
					operation: 'create',
					amount: '={{ $json.body.amount }}',
					currency: 'JPY',
					paymentSource: 'customer',
					customerId,
					additionalFields: { externalOrderNum: '={{ $json.body.order }}' },
					options: {},
				},
				{ credentials: { komojuApi: credential } },
			),
		],
		[['Webhook', 'Pay']],
	);
	return rest;
}

/** Saves a new workflow (POST /rest/workflows) and publishes it; returns its id. */
export async function saveAndPublish(api: N8nApi, definition: Omit<WorkflowJson, 'id'>): Promise<string> {
	const saved = await api.data('POST', '/rest/workflows', { ...definition, active: false });
	await publish(api, saved.id as string);
	return saved.id as string;
}

/** POSTs an order to the workflow's production webhook; returns n8n's answer. */
export async function callPayWebhook(instance: Instance, order: string, amount: number): Promise<{ status: number; body: Record<string, unknown> | string }> {
	const response = await fetch(`${instance.url}/webhook/${PAY_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ order, amount }),
	});
	const text = await response.text();
	try {
		return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
	} catch {
		return { status: response.status, body: text };
	}
}
