/**
 * The router's item loop on its own: order and pairing, the Concurrency bound, Continue On Fail,
 * which failure stops the node and what its error reports, card scrubbing and the object check.
 * Operations here are stand-ins that the test controls, run by the router with a stub context.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { ObjectWithFile, type ItemContext, type Operation, type Resource } from '../../packages/n8n-nodes-komoju/nodes/Komoju/actions/operation';
import { requestOptionsCollection } from '../../packages/n8n-nodes-komoju/nodes/Komoju/actions/options.shared';
import { runOperation } from '../../packages/n8n-nodes-komoju/nodes/Komoju/actions/router';
import { komojuApiError, markPossiblyProcessed } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport/errors';
import { testNode } from './node.fixture';

const resource: Resource = { displayName: 'Payment', komojuObject: 'payment', defaultOperation: 'create', operations: {} };

/**
 * `options` as a function of the item stands for an Options collection holding an expression
 * (stored as a string starting with "="), so the router must read it per item; an object is
 * stored as it is. `optionReads` counts the router's reads of the whole collection.
 */
function stubContext(
	items: number,
	{ continueOnFail = false, options = {} as IDataObject | ((itemIndex: number) => IDataObject), optionReads = [] as number[] } = {},
) {
	const customData = new Map<string, string>();
	const storedOptions = typeof options === 'function' ? { timeout: '={{ $json.timeout }}' } : options;
	return {
		getInputData: () => Array.from({ length: items }, (_, index) => ({ json: { index } })),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const itemOptions = typeof options === 'function' ? options(itemIndex) : structuredClone(options);
			if (name === 'options') {
				optionReads.push(itemIndex);
				return itemOptions;
			}
			if (name === 'options.concurrency') return itemOptions.concurrency ?? fallback;
			return fallback;
		},
		continueOnFail: () => continueOnFail,
		getNode: () => ({ ...testNode, parameters: { options: storedOptions } }),
		getInstanceId: () => 'instance',
		getWorkflow: () => ({ id: 'workflow' }),
		customData: { get: (key: string) => customData.get(key), set: (key: string, value: string) => customData.set(key, value) },
		getExecutionId: () => '1',
		getExecutionContext: () => ({ establishedAt: 0 }),
		getWorkflowDataProxy: () => ({ $runIndex: 0 }),
	} as unknown as IExecuteFunctions;
}

/** An operation whose every item waits until the test settles it. */
function controlledOperation({ withKeys = false } = {}) {
	const started: ItemContext[] = [];
	const settle = new Map<number, { resolve: (value: IDataObject | IDataObject[]) => void; reject: (error: unknown) => void }>();
	let inFlight = 0;
	let mostInFlight = 0;
	const operation: Operation = {
		option: { name: 'Create', description: 'A stand-in operation for the router test', action: 'Create a payment' },
		properties: [requestOptionsCollection([], { idempotency: withKeys })],
		async execute(item) {
			started.push(item);
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			try {
				return await new Promise<IDataObject | IDataObject[]>((resolve, reject) => settle.set(item.itemIndex, { resolve, reject }));
			} finally {
				inFlight--;
			}
		},
	};
	/**
	 * Resolves once `count` items have started. The router starts one item per timer turn, so
	 * this waits on timers too (up to ~5 s, a bound, not a timing check).
	 */
	const whenStarted = async (count: number) => {
		for (let turn = 0; started.length < count && turn < 5000; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
		expect(started.length).toBeGreaterThanOrEqual(count);
	};
	return { operation, started, settle, whenStarted, mostInFlight: () => mostInFlight };
}

const payment = (id: string): IDataObject => ({ id, resource: 'payment' });
const jsonOf = (output: INodeExecutionData[][]) => output[0].map((item) => ({ json: item.json, pairedItem: item.pairedItem }));

describe('the router', () => {
	it('keeps input order and pairing when items finish in reverse order', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const run = runOperation.call(stubContext(3, { options: { concurrency: 3 } }), operation, resource);
		await whenStarted(3);
		for (const itemIndex of [2, 1, 0]) settle.get(itemIndex)!.resolve(payment(`pay_${itemIndex}`));
		expect(jsonOf(await run)).toEqual([0, 1, 2].map((item) => ({ json: payment(`pay_${item}`), pairedItem: { item } })));
	});

	it('never has more items in flight than Concurrency, and runs them all', async () => {
		const { operation, settle, started, whenStarted, mostInFlight } = controlledOperation();
		const run = runOperation.call(stubContext(7, { options: { concurrency: 2 } }), operation, resource);
		for (let done = 0; done < 7; done++) {
			await whenStarted(Math.min(done + 2, 7));
			settle.get(done)!.resolve(payment(`pay_${done}`));
		}
		expect((await run)[0]).toHaveLength(7);
		expect(started).toHaveLength(7);
		expect(mostInFlight()).toBeLessThanOrEqual(2);
	});

	it('outputs every object of a list, each paired with its item', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const run = runOperation.call(stubContext(1), operation, resource);
		await whenStarted(1);
		settle.get(0)!.resolve([payment('a'), payment('b')]);
		expect(jsonOf(await run)).toEqual([
			{ json: payment('a'), pairedItem: { item: 0 } },
			{ json: payment('b'), pairedItem: { item: 0 } },
		]);
	});

	it('scrubs card numbers and CVCs from every output', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const run = runOperation.call(stubContext(1), operation, resource);
		await whenStarted(1);
		settle.get(0)!.resolve({ ...payment('a'), payment_details: { type: 'credit_card', number: '4111111111111111', verification_value: '123', last_four_digits: '1111' } });
		expect((await run)[0][0].json.payment_details).toEqual({ type: 'credit_card', last_four_digits: '1111' });
	});

	it('masks the customer’s account number in refund requests, and keeps the account a bank transfer is paid into', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const run = runOperation.call(stubContext(1), operation, resource);
		await whenStarted(1);
		settle.get(0)!.resolve({
			...payment('a'),
			payment_details: { type: 'bank_transfer', bank_name: 'Sandbox Bank', account_number: '7654321' },
			refund_requests: [{ id: 'rr_1', customer_name: 'ﾔﾏﾀﾞ', account_number: '0123456', status: 'pending' }],
		});
		const [item] = (await run)[0];
		expect(item.json.payment_details).toEqual({ type: 'bank_transfer', bank_name: 'Sandbox Bank', account_number: '7654321' });
		expect(item.json.refund_requests).toEqual([{ id: 'rr_1', customer_name: 'ﾔﾏﾀﾞ', account_number: '••••456', status: 'pending' }]);
	});

	it('outputs an object with its file as the item’s binary data, stored by n8n; the object is checked and scrubbed as any other', async () => {
		const stored: string[] = [];
		const helpers = {
			prepareBinaryData: async (content: Buffer, fileName: string, mimeType: string) => {
				stored.push(fileName);
				return { data: content.toString('base64'), fileName, mimeType };
			},
		};
		const csv = Buffer.from('payment_id,amount\r\npay_1,1000\r\n');
		const withFile = (object: IDataObject, fileName: string) => new ObjectWithFile(object, { property: 'report', fileName, mimeType: 'text/csv', content: csv });
		const card = { type: 'credit_card', number: '4111111111111111', verification_value: '123', last_four_digits: '1111' };
		const operation: Operation = {
			option: { name: 'Get CSV', description: 'A stand-in operation that returns a file', action: 'Get a payment CSV' },
			properties: [requestOptionsCollection()],
			execute: async (item) =>
				item.itemIndex === 0 ? withFile({ ...payment('a'), payment_details: card }, 'a.csv') : withFile({ id: 'cus_1', resource: 'customer' }, 'b.csv'),
		};

		const [[item]] = await runOperation.call(Object.assign(stubContext(1), { helpers }), operation, resource);
		expect(item).toEqual({
			json: { ...payment('a'), payment_details: { type: 'credit_card', last_four_digits: '1111' } },
			binary: { report: { data: csv.toString('base64'), fileName: 'a.csv', mimeType: 'text/csv' } },
			pairedItem: { item: 0 },
		});

		const notAPayment = runOperation.call(Object.assign(stubContext(2), { helpers }), operation, resource);
		await expect(notAPayment).rejects.toThrow('JSON that is not a KOMOJU payment');
		expect(stored).toEqual(['a.csv', 'a.csv']);
	});

	it('refuses an answer that is not the resource’s KOMOJU object', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const run = runOperation.call(stubContext(1), operation, resource);
		await whenStarted(1);
		settle.get(0)!.resolve({ id: 'cus_1', resource: 'customer' });
		await expect(run).rejects.toThrow('KOMOJU returned an unexpected response: JSON that is not a KOMOJU payment');
	});

	it('checks the field a resource’s objects are identified by, when it is not id', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const balances: Resource = { ...resource, komojuObject: 'balance', identifiedBy: 'currency' };
		const run = runOperation.call(stubContext(2, { options: { concurrency: 2 } }), operation, balances);
		await whenStarted(2);
		settle.get(0)!.resolve({ currency: 'JPY', total_balance_cents: 0 });
		settle.get(1)!.resolve({ id: 'x' });
		await expect(run).rejects.toThrow('JSON that is not a KOMOJU balance');
	});

	it('with Continue On Fail, turns a failure into an error item in its place and goes on', async () => {
		const { operation, settle, whenStarted } = controlledOperation();
		const run = runOperation.call(stubContext(3, { continueOnFail: true, options: { concurrency: 3 } }), operation, resource);
		await whenStarted(3);
		settle.get(1)!.reject(komojuApiError(testNode, 422, { error: { code: 'not_capturable', message: 'Not capturable', param: 'amount' } }, 1));
		settle.get(0)!.resolve(payment('a'));
		settle.get(2)!.resolve(payment('c'));
		const output = jsonOf(await run);
		expect(output[0]).toEqual({ json: payment('a'), pairedItem: { item: 0 } });
		expect(output[2]).toEqual({ json: payment('c'), pairedItem: { item: 2 } });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json).toEqual({
			error: 'KOMOJU: Not capturable',
			details: expect.objectContaining({ httpCode: '422', code: 'not_capturable', param: 'amount' }),
		});
	});

	it('without it, throws the failure of the lowest item, starts nothing after it, and names what was already done', async () => {
		const { operation, settle, started, whenStarted } = controlledOperation({ withKeys: true });
		const run = runOperation.call(stubContext(6, { options: { concurrency: 3 } }), operation, resource);
		await whenStarted(3);
		// Item 2 fails first, then item 1 may have been processed; item 0 succeeded.
		settle.get(2)!.reject(komojuApiError(testNode, 402, { error: { code: 'card_declined', message: 'Declined' } }, 2));
		settle.get(1)!.reject(markPossiblyProcessed(komojuApiError(testNode, 503, {}, 1), 'key-of-item-2'));
		settle.get(0)!.resolve(payment('pay_0'));
		const error = (await run.catch((thrown: unknown) => thrown)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.context.itemIndex).toBe(1);
		expect(error.context.idempotencyKey).toBe('key-of-item-2');
		expect(started.map((item) => item.itemIndex)).toEqual([0, 1, 2]);
		expect(error.context.processedItems).toEqual([{ item: 1, id: 'pay_0', idempotencyKey: started[0].idempotencyKey }]);
		expect(error.description).toContain(`item 1 → pay_0 (key ${started[0].idempotencyKey})`);
		expect(error.description).toContain('Executions → Retry sends the same idempotency keys');
	});

	it('hands each item its own checked options, request settings and idempotency key', async () => {
		const { operation, settle, started, whenStarted } = controlledOperation({ withKeys: true });
		const options = (itemIndex: number) => (itemIndex === 1 ? { idempotencyKey: ' order-7 ', timeout: 5000 } : {});
		const run = runOperation.call(stubContext(2, { options }), operation, resource);
		await whenStarted(2);
		settle.get(0)!.resolve(payment('a'));
		settle.get(1)!.resolve(payment('b'));
		await run;
		const [first, second] = started;
		expect(first.settings).toEqual({ itemIndex: 0, maxRetries: 3, timeoutMs: 30000 });
		expect(first.idempotencyKey).toMatch(/^n8n-[0-9a-f]{64}$/);
		expect(second.settings).toEqual({ itemIndex: 1, maxRetries: 3, timeoutMs: 5000 });
		expect(second.idempotencyKey).toBe('order-7');
	});

	it('reads Options without an expression once for all items, and hands every item the same frozen copy', async () => {
		const { operation, settle, started, whenStarted } = controlledOperation({ withKeys: true });
		const optionReads: number[] = [];
		const run = runOperation.call(stubContext(4, { options: { concurrency: 4, timeout: 5000 }, optionReads }), operation, resource);
		await whenStarted(4);
		for (const itemIndex of [0, 1, 2, 3]) settle.get(itemIndex)!.resolve(payment(`pay_${itemIndex}`));
		await run;
		expect(optionReads).toEqual([0]);
		expect(started.map((item) => item.settings)).toEqual([0, 1, 2, 3].map((itemIndex) => ({ itemIndex, maxRetries: 3, timeoutMs: 5000 })));
		expect(new Set(started.map((item) => item.idempotencyKey)).size).toBe(4);
		expect(Object.isFrozen(started[3].options)).toBe(true);
		expect(() => {
			'use strict';
			started[3].options.timeout = 1;
		}).toThrow(TypeError);
	});

	it('reads Options holding an expression for each item', async () => {
		const { operation, settle, started, whenStarted } = controlledOperation();
		const optionReads: number[] = [];
		const options = (itemIndex: number) => ({ concurrency: 3, timeout: 1000 * (itemIndex + 2) });
		const run = runOperation.call(stubContext(3, { options, optionReads }), operation, resource);
		await whenStarted(3);
		for (const itemIndex of [0, 1, 2]) settle.get(itemIndex)!.resolve(payment(`pay_${itemIndex}`));
		await run;
		expect(optionReads.filter((itemIndex) => itemIndex > 0).sort()).toEqual([1, 2]);
		expect(started.map((item) => item.settings.timeoutMs)).toEqual([2000, 3000, 4000]);
	});

	it('refuses an item repeating an earlier item’s Idempotency Key before sending it, and a bad option for its item only', async () => {
		const { operation, settle, started, whenStarted } = controlledOperation({ withKeys: true });
		const options = (itemIndex: number) => [{ idempotencyKey: 'same' }, { idempotencyKey: 'same' }, { maxRetries: 99 }][itemIndex];
		const run = runOperation.call(stubContext(3, { continueOnFail: true, options }), operation, resource);
		await whenStarted(1);
		settle.get(0)!.resolve(payment('a'));
		const output = jsonOf(await run);
		expect(started.map((item) => item.itemIndex)).toEqual([0]);
		expect(output[1].json.error).toBe('Idempotency Key of item 2 is the same as item 1’s');
		expect(output[2].json.error).toBe('Max Retries must be a whole number from 0 to 10, got 99');
	});

	it('names the item of an error that is not n8n’s', async () => {
		const operation: Operation = {
			option: { name: 'Get', description: 'A stand-in operation that throws a plain error', action: 'Get a payment' },
			properties: [requestOptionsCollection()],
			execute: async () => {
				throw new TypeError('boom');
			},
		};
		const error = (await runOperation.call(stubContext(1), operation, resource).catch((thrown: unknown) => thrown)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('boom');
		expect(error.context.itemIndex).toBe(0);
	});
});
