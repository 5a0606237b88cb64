import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { idempotencyRoot, itemsRepeatingAKey } from '../helpers/idempotency';
import type { ExecutionScope } from '../helpers/interfaces';
import { scrubCardData } from '../helpers/redact';
import { explicitIdempotencyKey, requireWholeNumber } from '../helpers/validation';
import { DEFAULT_CONCURRENCY, idempotencyKeysSent, MAX_CONCURRENCY } from './common.descriptions';
import { unexpectedResponseError } from '../transport/errors';
import type { KomojuResource, Operation, OperationRegistry } from './node.type';
import * as customer from './customer/Customer.resource';
import * as event from './event/Event.resource';
import * as payment from './payment/Payment.resource';
import * as secureToken from './secureToken/SecureToken.resource';
import * as session from './session/Session.resource';
import * as token from './token/Token.resource';

const registry: OperationRegistry = {
	customer: {
		create: customer.create,
		delete: customer.delete,
		get: customer.get,
		getAll: customer.getAll,
		update: customer.update,
	},
	event: { get: event.get, getAll: event.getAll },
	payment: {
		cancel: payment.cancel,
		capture: payment.capture,
		create: payment.create,
		get: payment.get,
		getAll: payment.getAll,
		refund: payment.refund,
		update: payment.update,
	},
	secureToken: { create: secureToken.create, get: secureToken.get },
	session: { cancel: session.cancel, create: session.create, get: session.get },
	token: { create: token.create },
};

function findOperation(context: IExecuteFunctions): { operation: Operation; resource: KomojuResource } {
	const resource = context.getNodeParameter('resource', 0) as KomojuResource;
	const operation = context.getNodeParameter('operation', 0) as string;
	const operations = registry[resource] as Record<string, Operation> | undefined;
	const found = operations?.[operation];
	if (!found) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
		);
	}
	return { operation: found, resource };
}

/** What KOMOJU calls each resource's objects (`resource` field). */
const KOMOJU_OBJECT_NAMES: Record<KomojuResource, string> = {
	customer: 'customer',
	event: 'event',
	payment: 'payment',
	secureToken: 'secure_token',
	session: 'session',
	token: 'token',
};

/**
 * Every object an operation outputs must be the KOMOJU object it asked for: a 200 from a proxy,
 * a captive portal or the wrong server would otherwise flow on as if it were a payment.
 */
function requireKomojuObjects(context: IExecuteFunctions, objects: IDataObject[], resource: KomojuResource, itemIndex: number) {
	const expected = KOMOJU_OBJECT_NAMES[resource];
	for (const object of objects) {
		const named = object.resource === undefined || object.resource === expected;
		if (typeof object.id !== 'string' || object.id === '' || !named) {
			throw unexpectedResponseError(context.getNode(), 200, `JSON that is not a KOMOJU ${expected}`, itemIndex);
		}
	}
}

function executionScope(context: IExecuteFunctions): ExecutionScope {
	return {
		instanceId: context.getInstanceId(),
		workflowId: context.getWorkflow().id ?? '',
		idempotencyRoot: idempotencyRoot(
			context.customData,
			context.getExecutionId() ?? '',
			context.getExecutionContext?.()?.establishedAt,
		),
		nodeId: context.getNode().id,
		runIndex: Number(context.getWorkflowDataProxy(0).$runIndex ?? 0),
	};
}

/**
 * The error item of "Continue On Fail". Its json holds only `error` and `details`, the shape
 * n8n routes to the error output when the node uses "Continue (using error output)".
 */
function errorItem(error: Error & IDataObject, itemIndex: number): INodeExecutionData {
	const context = (error.context ?? {}) as IDataObject;
	const details: IDataObject = {};
	const sources: Array<[string, unknown]> = [
		['description', error.description],
		['httpCode', error.httpCode],
		['code', context.komojuCode],
		['param', context.param],
		['idempotencyKey', context.idempotencyKey],
	];
	for (const [key, value] of sources) {
		if (value !== undefined && value !== null && value !== '') details[key] = value;
	}
	return { json: { error: error.message, details }, pairedItem: { item: itemIndex } };
}

function readConcurrency(context: IExecuteFunctions): number {
	const value = context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY);
	return requireWholeNumber(context.getNode(), 0, value, 'Concurrency', 1, MAX_CONCURRENCY);
}

/** Items whose Idempotency Key option repeats an earlier item's, checked before any item is sent. */
function repeatedIdempotencyKeys(context: IExecuteFunctions, itemCount: number): Map<number, number> {
	const keys: string[] = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			keys.push(explicitIdempotencyKey(context.getNode(), itemIndex, context.getNodeParameter('options.idempotencyKey', itemIndex, '')));
		} catch {
			// A key of the wrong type fails its own item when the operation reads it.
			keys.push('');
		}
	}
	return itemsRepeatingAKey(keys);
}

function repeatedKeyError(context: IExecuteFunctions, itemIndex: number, earlierItem: number): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`Idempotency Key of item ${itemIndex + 1} is the same as item ${earlierItem + 1}’s`,
		{
			itemIndex,
			description:
				'KOMOJU would answer this item with the other item’s result instead of acting on it. Give each item its own key, e.g. from a field every item has ({{ $json.orderId }}), or leave the option empty. Nothing was sent for this item.',
		},
	);
}

/** How many processed items a failure's description lists one by one. */
const LISTED_ITEMS = 20;

/**
 * Without Continue On Fail n8n keeps only the error, so the error says which items KOMOJU
 * already acted on (and which may have been), with their objects and idempotency keys: they are
 * findable in the execution, and a retry of it that sends the same keys gets them back.
 */
function reportWorkAlreadyDone(
	context: IExecuteFunctions,
	error: unknown,
	outputs: INodeExecutionData[][],
	otherFailures: Array<{ itemIndex: number; error: unknown }>,
): void {
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) return;
	const keys = idempotencyKeysSent(context);
	const done: IDataObject[] = [];
	outputs.forEach((items, itemIndex) => {
		if (items) done.push({ item: itemIndex + 1, id: items.map((item) => item.json.id).join(', '), idempotencyKey: keys.get(itemIndex) ?? null });
	});
	const maybe: IDataObject[] = otherFailures
		.map(({ itemIndex, error: other }) => ({ itemIndex, key: (other as { context?: IDataObject }).context?.idempotencyKey }))
		.filter(({ key }) => typeof key === 'string')
		.map(({ itemIndex, key }) => ({ item: itemIndex + 1, idempotencyKey: key as string }));
	if (done.length === 0 && maybe.length === 0) return;
	const listed = (entries: IDataObject[], describe: (entry: IDataObject) => string) => {
		const shown = entries.slice(0, LISTED_ITEMS).map(describe).join('; ');
		return entries.length > LISTED_ITEMS ? `${shown}; and ${entries.length - LISTED_ITEMS} more` : shown;
	};
	const parts = [error.description ?? ''];
	if (done.length) {
		parts.push(
			`KOMOJU already processed ${done.length} other item${done.length === 1 ? '' : 's'} of this run: ${listed(done, (entry) => `item ${entry.item} → ${entry.id}${entry.idempotencyKey ? ` (key ${entry.idempotencyKey})` : ''}`)}.`,
		);
	}
	if (maybe.length) {
		parts.push(`KOMOJU may also have processed: ${listed(maybe, (entry) => `item ${entry.item} (key ${entry.idempotencyKey})`)}.`);
	}
	parts.push('Executions → Retry sends the same idempotency keys, so KOMOJU answers those items with these results instead of acting again.');
	error.description = parts.filter(Boolean).join(' · ');
	error.context.processedItems = done;
	if (maybe.length) error.context.possiblyProcessedItems = maybe;
}

function rethrowForItem(context: IExecuteFunctions, error: unknown, itemIndex: number): never {
	if (error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		throw new NodeApiError(context.getNode(), error as unknown as JsonObject);
	}
	if (error instanceof NodeOperationError) error.context.itemIndex ??= itemIndex;
	throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * Owns the item loop: one call per input item, up to Concurrency at a time, the output in input
 * order with its pairing, and Continue On Fail. Without Continue On Fail the first failing item
 * (by position) stops the node: no further item is started, those in flight are finished.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const { operation, resource } = findOperation(this);
	const scope = executionScope(this);
	const concurrency = readConcurrency(this);
	const continueOnFail = this.continueOnFail();
	const repeatedKeys = repeatedIdempotencyKeys(this, items.length);
	const outputs: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	const stopped = () => failures.length > 0;
	let nextItem = 0;

	const runItems = async () => {
		while (!stopped() && nextItem < items.length) {
			const itemIndex = nextItem++;
			try {
				const earlierItem = repeatedKeys.get(itemIndex);
				if (earlierItem !== undefined) throw repeatedKeyError(this, itemIndex, earlierItem);
				const result = await operation.execute.call(this, itemIndex, scope);
				const objects = Array.isArray(result) ? result : [result];
				requireKomojuObjects(this, objects, resource, itemIndex);
				// The one place card data leaves: every output is scrubbed, whatever the operation.
				outputs[itemIndex] = objects.map((json) => ({ json: scrubCardData(json), pairedItem: { item: itemIndex } }));
			} catch (error) {
				if (continueOnFail) outputs[itemIndex] = [errorItem(error, itemIndex)];
				else failures.push({ itemIndex, error });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runItems));

	if (stopped()) {
		// The failing item with the lowest position, whatever order parallel items failed in.
		const firstFailure = failures.reduce((first, other) => (other.itemIndex < first.itemIndex ? other : first));
		const others = failures.filter((other) => other !== firstFailure);
		reportWorkAlreadyDone(this, firstFailure.error, outputs, others);
		rethrowForItem(this, firstFailure.error, firstFailure.itemIndex);
	}
	return [outputs.flat()];
}
