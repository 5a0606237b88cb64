/**
 * The benchmark's workflows. Each is Webhook (POST, answers when the last node is done) →
 * Split Out (body.items → one item each) → the node under test. Only the node under test is
 * timed (its `executionTime` in the execution's runData).
 */
import { randomUUID } from 'node:crypto';

import { CARDS, FUTURE_YEAR } from '../../test/e2e/support/sandbox-client';
import { KOMOJU, type CredentialJson, type WorkflowJson, type WorkflowNode } from '../../test/e2e/support/workflows';

export const CREDENTIAL = { id: 'komojuBench', name: 'KOMOJU bench' };
export const API_VERSION = '2025-01-28';
export const TARGET = 'Under test';

export function benchCredentials(sandboxUrl: string, secretKey: string): CredentialJson[] {
	return [{ ...CREDENTIAL, type: 'komojuApi', data: { secretKey, baseUrl: sandboxUrl, apiVersion: API_VERSION } }];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function node(name: string, type: string, typeVersion: number, parameters: Json, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

function pipeline(id: string, target: WorkflowNode): WorkflowJson {
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: `bench-${id}`, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: randomUUID() }),
		node('Items', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} }),
		target,
	];
	nodes.forEach((n, index) => (n.position = [index * 220, 0]));
	return {
		id,
		name: `bench: ${id}`,
		nodes,
		connections: {
			Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: TARGET, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** KOMOJU node; `options` empty = the node's defaults (concurrency 5, 3 retries, 30 s timeout). */
const komoju = (parameters: Json, options: Json = {}) =>
	node(TARGET, KOMOJU, 1, { ...parameters, options }, { credentials: { komojuApi: CREDENTIAL } });

/** n8n's HTTP Request node 4.2 with the komojuApi credential (predefined credential type). */
const httpRequest = (sandboxUrl: string, method: 'GET' | 'POST', path: string, jsonBody?: string, settings: Partial<WorkflowNode> = {}) =>
	node(
		TARGET,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method,
			url: `=${sandboxUrl}/api/v1${path}`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'komojuApi',
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'X-KOMOJU-API-VERSION', value: API_VERSION }] },
			...(jsonBody === undefined ? {} : { sendBody: true, contentType: 'json', specifyBody: 'json', jsonBody }),
			options: {},
		},
		{ credentials: { komojuApi: CREDENTIAL }, ...settings },
	);

const getParameters = { resource: 'secureToken', operation: 'get', secureTokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } };
/** A diagnostic: every item gets the same token by a fixed ID, so no n8n expression is evaluated per item. */
const fixedIdParameters = (id: string) => ({ ...getParameters, secureTokenId: { __rl: true, mode: 'id', value: id } });

/** Secure Token Create with the regular success card (SKIPPED at once); return_url names the item and the run. */
const createParameters = {
	resource: 'secureToken',
	operation: 'create',
	amount: 1000,
	currency: 'JPY',
	returnUrl: '=https://shop.example.com/return?run={{ $json.run }}&item={{ $json.i }}',
	paymentSource: 'card',
	cardNumber: CARDS.regular,
	expiryMonth: 12,
	expiryYear: FUTURE_YEAR,
	verificationValue: '123',
	cardholderName: 'Taro Yamada',
	email: 'taro@example.com',
};

const createJsonBody =
	'={{ JSON.stringify({ amount: 1000, currency: "JPY", return_url: "https://shop.example.com/return?run=" + $json.run + "&item=" + $json.i, ' +
	`payment_details: { type: "credit_card", number: "${CARDS.regular}", month: 12, year: ${FUTURE_YEAR}, verification_value: "123", name: "Taro Yamada", email: "taro@example.com" } }) }}`;

export const CONCURRENCIES = [1, 5, 10, 20, 50];

export const WF = {
	get: (concurrency: number) => `benchGetC${concurrency}`,
	getDefaults: 'benchGetDefaults',
	getFixedId: 'benchGetFixedId',
	getHttp: 'benchGetHttp',
	createKomoju: 'benchCreateKomoju',
	createHttp: 'benchCreateHttp',
	createHttpRetry: 'benchCreateHttpRetry',
};

export function benchWorkflows(sandboxUrl: string, fixedTokenId: string): WorkflowJson[] {
	return [
		...CONCURRENCIES.map((c) => pipeline(WF.get(c), komoju(getParameters, { concurrency: c }))),
		pipeline(WF.getDefaults, komoju(getParameters)),
		pipeline(WF.getFixedId, komoju(fixedIdParameters(fixedTokenId))),
		pipeline(WF.getHttp, httpRequest(sandboxUrl, 'GET', '/secure_tokens/{{ $json.id }}')),
		pipeline(WF.createKomoju, komoju(createParameters)),
		pipeline(WF.createHttp, httpRequest(sandboxUrl, 'POST', '/secure_tokens', createJsonBody)),
		// n8n's Retry On Fail with its defaults (3 tries, 1000 ms apart).
		pipeline(WF.createHttpRetry, httpRequest(sandboxUrl, 'POST', '/secure_tokens', createJsonBody, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 })),
	];
}

/** Scenario 2's rows, by their `--s2` name. */
export const S2_ROWS: Record<string, { workflowId: string; label: string }> = {
	komoju: { workflowId: WF.createKomoju, label: 'KOMOJU Create (defaults)' },
	http: { workflowId: WF.createHttp, label: 'HTTP Request 4.2 (defaults)' },
	'http-retry': { workflowId: WF.createHttpRetry, label: 'HTTP Request 4.2 + Retry On Fail' },
};

/** Scenario 3's rows, by their `--s3` name; `concurrency` is the node's, where a raw floor at the same concurrency is measured. */
export const S3_ROWS: Record<string, { workflowId: string; label: string; concurrency?: number }> = {
	defaults: { workflowId: WF.getDefaults, label: 'KOMOJU Get (defaults: concurrency 5)', concurrency: 5 },
	c20: { workflowId: WF.get(20), label: 'KOMOJU Get, concurrency 20', concurrency: 20 },
	http: { workflowId: WF.getHttp, label: 'HTTP Request 4.2 (defaults)' },
	// Not run by default: what the rows cost without n8n's expression engine (one ID for all items).
	'fixed-id': { workflowId: WF.getFixedId, label: 'KOMOJU Get (defaults), a fixed ID: no expression per item', concurrency: 5 },
};

/** The rows named on the command line, in that order, each with its name. */
export function pickRows<T>(rows: Record<string, T>, names: string[], flag: string): Array<T & { name: string }> {
	return names.map((name) => {
		if (!rows[name]) throw new Error(`${flag}: no row "${name}" (rows: ${Object.keys(rows).join(', ')})`);
		return { ...rows[name], name };
	});
}
