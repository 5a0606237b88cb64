import {
	NodeApiError,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type IPollFunctions,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { KomojuEventsTrigger } from '../../packages/n8n-nodes-komoju/nodes/Komoju/KomojuEventsTrigger.node';
import { startSandbox } from '../../sandbox/server';
import { FUTURE_YEAR } from '../cards';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const node: INode = {
	id: 'b7e2c1d0-0000-4000-8000-000000000002',
	name: 'KOMOJU Events Trigger',
	type: 'n8n-nodes-komoju.komojuEventsTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

interface PollerSetup {
	events?: string[];
	options?: IDataObject;
	mode?: WorkflowExecuteMode;
}

/**
 * A stand-in for n8n's poll context, with just what the node uses: parameters, a static data
 * object that survives between polls, the mode, the credential, and real HTTP (global fetch)
 * with KOMOJU's Basic auth, answering like n8n's helper with returnFullResponse.
 */
function poller(sandbox: Sandbox, setup: PollerSetup = {}) {
	const staticData: IDataObject = {};
	const parameters: IDataObject = { events: setup.events ?? ['*'], options: setup.options ?? {} };
	const credentials = { secretKey: sandbox.secretKey, baseUrl: sandbox.url, apiVersion: '' };
	const context = {
		getNode: () => node,
		getMode: () => setup.mode ?? 'trigger',
		getCredentials: async () => credentials,
		getWorkflowStaticData: () => staticData,
		getNodeParameter(name: string, fallback?: unknown) {
			const value = name.split('.').reduce<unknown>((at, key) => (at as IDataObject | undefined)?.[key], parameters);
			return value === undefined ? fallback : value;
		},
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				const url = new URL(options.url);
				for (const [key, value] of Object.entries(options.qs ?? {})) url.searchParams.set(key, String(value));
				const headers: Record<string, string> = {
					...(options.headers as Record<string, string>),
					Authorization: `Basic ${Buffer.from(`${credentials.secretKey}:`).toString('base64')}`,
				};
				const response = await fetch(url, { method: options.method, headers });
				const text = await response.text();
				let body: unknown = text;
				try {
					body = JSON.parse(text);
				} catch {
					// kept as text, as n8n does
				}
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
			},
		},
	} as unknown as IPollFunctions;
	const trigger = new KomojuEventsTrigger();
	return {
		staticData,
		poll: async (): Promise<IDataObject[]> => {
			const output = (await trigger.poll.call(context)) as INodeExecutionData[][] | null;
			return output === null ? [] : output[0].map((item) => item.json);
		},
	};
}

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox?.close());
beforeEach(() => sandbox.reset());

async function createCustomers(count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const response = await fetch(`${sandbox.url}/api/v1/customers`, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({
				email: `customer${i}@example.com`,
				payment_details: {
					type: 'credit_card',
					number: '4111111111111111',
					month: 8,
					year: FUTURE_YEAR,
					verification_value: '123',
					name: 'Taro Test',
				},
			}),
		});
		expect(response.status).toBe(200);
		ids.push(((await response.json()) as { id: string }).id);
	}
	return ids;
}

const customerIdsOf = (events: IDataObject[]) => events.map((event) => (event.data as IDataObject).id);

describe('KOMOJU Events Trigger against the sandbox', () => {
	it('emits each new event once, oldest first, across polls and pages', async () => {
		await createCustomers(2);
		const trigger = poller(sandbox, { options: { perPage: 4 } });

		expect(await trigger.poll()).toEqual([]); // the first poll only notes where KOMOJU is
		expect(trigger.staticData.cursor).toMatchObject({ ids: expect.any(Array) });

		const three = await createCustomers(3);
		const emitted = await trigger.poll();
		expect(emitted.map((event) => event.type)).toEqual(['customer.created', 'customer.created', 'customer.created']);
		expect(customerIdsOf(emitted)).toEqual(three);
		expect(await trigger.poll()).toEqual([]);

		sandbox.advanceClock(1500); // the 25 land in later seconds than the cursor
		sandbox.clearRequests();
		const many = [...(await createCustomers(10)), ...(sandbox.advanceClock(1000), await createCustomers(15))];
		const caughtUp = await trigger.poll();
		expect(customerIdsOf(caughtUp)).toEqual(many);
		expect(new Set(caughtUp.map((event) => event.id)).size).toBe(25);
		const pages = sandbox.requests.filter((request) => request.path === '/api/v1/events');
		expect(pages.map((request) => Number(request.query.page))).toEqual([1, 2, 3, 4, 5, 6, 7]); // 4 per page
		expect(pages[0].query.start_time).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/));
		expect(await trigger.poll()).toEqual([]);
	});

	it('a failed request throws without moving the cursor, and the next poll emits what it missed', async () => {
		const trigger = poller(sandbox);
		await trigger.poll();
		const before = JSON.parse(JSON.stringify(trigger.staticData));
		const missed = await createCustomers(2);

		const fault = await fetch(`${sandbox.url}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ method: 'GET', path: '/api/v1/events', times: 4, action: { status: 500 } }),
		});
		expect(fault.status).toBe(201);
		const error = await trigger.poll().catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('500');
		expect(trigger.staticData).toEqual(before);

		expect(customerIdsOf(await trigger.poll())).toEqual(missed);
		expect(await trigger.poll()).toEqual([]);
	});

	it('emits only the selected event types, and moves past the others', async () => {
		const others = poller(sandbox, { events: ['payment.captured'] });
		const customers = poller(sandbox, { events: ['customer.created'] });
		await others.poll();
		await customers.poll();
		const created = await createCustomers(2);
		expect(await others.poll()).toEqual([]);
		expect(customerIdsOf(await customers.poll())).toEqual(created);
		expect(others.staticData.cursor).toEqual(customers.staticData.cursor);
	});

	it('"Emit Events Since" emits past events on the first poll', async () => {
		const created = await createCustomers(2);
		const since = new Date(sandbox.now() - 60_000).toISOString();
		const trigger = poller(sandbox, { options: { emitSince: since } });
		expect(customerIdsOf(await trigger.poll())).toEqual(created);
		expect(await trigger.poll()).toEqual([]);
	});

	it('emits no card number or CVC, even if an event carries them', async () => {
		const leaky = {
			id: 'ev_leaky',
			type: 'payment.captured',
			resource: 'event',
			created_at: new Date(sandbox.now()).toISOString(),
			data: { id: 'pay_1', payment_details: { type: 'credit_card', number: '4111111111111111', verification_value: '321', last_four_digits: '1111' } },
		};
		const list = { resource: 'list', total: 1, page: 1, per_page: 100, last_page: 1, data: [leaky] };
		sandbox.injectFault({ method: 'GET', path: '/api/v1/events', exact: true, times: 10, action: { status: 200, body: list } });
		const since = new Date(sandbox.now() - 60_000).toISOString();
		const [emitted] = await poller(sandbox, { options: { emitSince: since } }).poll();
		expect((emitted.data as IDataObject).payment_details).toEqual({ type: 'credit_card', last_four_digits: '1111' });
	});

	it('in manual mode returns the latest matching event and saves nothing', async () => {
		const created = await createCustomers(2);
		const manual = poller(sandbox, { mode: 'manual', events: ['customer.created'] });
		expect(customerIdsOf(await manual.poll())).toEqual([created[1]]);
		expect(manual.staticData).toEqual({});

		const none = poller(sandbox, { mode: 'manual', events: ['payment.captured'] });
		await expect(none.poll()).rejects.toThrow(/No KOMOJU event of the selected types/);
	});
});
