import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { KomojuApi } from '../../packages/n8n-nodes-komoju/credentials/KomojuApi.credentials';
import { Komoju } from '../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node';
import { chain, itemsNode, runWorkflow, type WorkflowRunResult } from '../harness';
import { startSandbox } from '../../sandbox/server';
import { secretLeaks } from '../secrets';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export const NODE_TYPE = 'n8n-nodes-komoju.komoju';
import { CARDS, FUTURE_YEAR } from '../cards';

export { CARDS, FUTURE_YEAR };

/**
 * Starts one sandbox for a test file and gives each test a clean one (no objects, requests or
 * faults). Returns a getter because the sandbox exists only once beforeAll has run.
 */
export function useSandbox(): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => await sandbox?.close());
	beforeEach(() => sandbox!.reset());
	return () => sandbox!;
}

export function komojuNode(parameters: IDataObject, settings: Partial<INode> = {}): INode {
	return {
		id: 'a3c1f0a2-5b7e-4d0e-9f59-000000000001',
		name: 'KOMOJU',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: parameters as INodeParameters,
		...settings,
	};
}

export function cardCreate(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'secureToken',
		operation: 'create',
		amount: 1000,
		currency: 'JPY',
		returnUrl: 'https://shop.example.com/3ds/return',
		paymentSource: 'card',
		cardNumber: CARDS.frictionlessOk,
		expiryMonth: 8,
		expiryYear: FUTURE_YEAR,
		verificationValue: '123',
		cardholderName: 'Taro Yamada',
		email: 'taro@example.com',
		...overrides,
	};
}

/** Payment → Create from card details (a regular success card), ¥1,000 unless overridden. */
export function cardPayment(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'payment',
		operation: 'create',
		amount: 1000,
		currency: 'JPY',
		paymentSource: 'card',
		cardNumber: CARDS.regular,
		expiryMonth: 8,
		expiryYear: FUTURE_YEAR,
		verificationValue: '123',
		...overrides,
	};
}

export function getToken(id: string, options: IDataObject = {}): IDataObject {
	return {
		resource: 'secureToken',
		operation: 'get',
		secureTokenId: { __rl: true, mode: 'id', value: id },
		options,
	};
}

export interface RunOptions {
	items?: IDataObject[];
	credentials?: IDataObject;
	executionId?: string;
	settings?: Partial<INode>;
}

/** Runs Items → KOMOJU in n8n-core's engine against the sandbox. */
export async function runKomoju(
	sandbox: Sandbox,
	parameters: IDataObject,
	options: RunOptions = {},
): Promise<WorkflowRunResult> {
	return await runWorkflow({
		nodes: [itemsNode(options.items ?? [{}]), komojuNode(parameters, options.settings)],
		connections: chain('Items', 'KOMOJU'),
		nodeTypes: { [NODE_TYPE]: new Komoju() },
		credentialTypes: { komojuApi: new KomojuApi() },
		credentials: {
			komojuApi: { secretKey: sandbox.secretKey, baseUrl: sandbox.url, ...options.credentials },
		},
		executionId: options.executionId,
	});
}

/** Runs Items → one KOMOJU node per step, in a chain, in n8n-core's engine against the sandbox. */
export async function runKomojuChain(
	sandbox: Sandbox,
	steps: Array<{ name: string; parameters: IDataObject; settings?: Partial<INode> }>,
	options: Omit<RunOptions, 'settings'> = {},
): Promise<WorkflowRunResult> {
	const nodes = steps.map((step, index) => ({
		...komojuNode(step.parameters, step.settings),
		id: `a3c1f0a2-5b7e-4d0e-9f59-00000000010${index}`,
		name: step.name,
		position: [200 * (index + 1), 0] as [number, number],
	}));
	return await runWorkflow({
		nodes: [itemsNode(options.items ?? [{}]), ...nodes],
		connections: chain('Items', ...steps.map((step) => step.name)),
		nodeTypes: { [NODE_TYPE]: new Komoju() },
		credentialTypes: { komojuApi: new KomojuApi() },
		credentials: {
			komojuApi: { secretKey: sandbox.secretKey, baseUrl: sandbox.url, ...options.credentials },
		},
		executionId: options.executionId,
	});
}

/** Calls the sandbox's KOMOJU API directly with the secret key, to set up objects for a test. */
export async function komojuCall(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: IDataObject,
): Promise<IDataObject> {
	const response = await fetch(`${sandbox.url}/api/v1${path}`, {
		method,
		headers: {
			Authorization: `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`,
			'Content-Type': 'application/json',
			'X-KOMOJU-API-VERSION': '2025-01-28',
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as IDataObject;
	if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

/** Follows an authentication_url like a browser: returns where KOMOJU sends the customer back. */
export async function authenticate(authenticationUrl: string, password?: string): Promise<URL> {
	let response = await fetch(authenticationUrl, { redirect: 'manual' });
	if (response.status === 200 && password !== undefined) {
		const page = await response.text();
		const action = /<form[^>]*action="([^"]*)"/i.exec(page)?.[1] ?? authenticationUrl;
		const formUrl = new URL(action.replace(/&amp;/g, '&'), authenticationUrl);
		const token = new URL(authenticationUrl).searchParams.get('token') ?? '';
		response = await fetch(formUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token, password }).toString(),
			redirect: 'manual',
		});
	}
	if (response.status !== 302 && response.status !== 303) {
		throw new Error(`expected a redirect from the 3DS page, got ${response.status}`);
	}
	return new URL(response.headers.get('location') ?? '');
}

export function apiRequests(sandbox: Sandbox, method: string, pathPrefix: string) {
	return sandbox.requests.filter(
		(request) => request.kind === 'api' && request.method === method && request.path.startsWith(pathPrefix),
	);
}

/** All the KOMOJU node leaves behind: its run data, n8n's error record and the errors thrown, with causes. */
export function everythingVisible(result: WorkflowRunResult): string {
	const seen = new WeakSet<object>();
	const withCauses = (value: unknown): unknown => {
		if (value instanceof Error) {
			return { ...value, message: value.message, stack: value.stack, cause: withCauses((value as { cause?: unknown }).cause) };
		}
		return value;
	};
	return JSON.stringify(
		{ runData: result.runData.KOMOJU, error: result.error, thrown: result.thrown.map((t) => withCauses(t.error)) },
		(_key, value) => {
			if (value && typeof value === 'object') {
				if (seen.has(value)) return undefined;
				seen.add(value);
			}
			return value;
		},
	);
}

/**
 * Where card data occurs in everything the node left behind (test/secrets.ts: a CVC counts only
 * as a token of its own, never as digits inside a random id, a hex key or a timestamp); [] if nowhere.
 */
export function cardDataIn(result: WorkflowRunResult, secrets: readonly string[]): string[] {
	return secretLeaks(JSON.parse(everythingVisible(result)), secrets);
}
