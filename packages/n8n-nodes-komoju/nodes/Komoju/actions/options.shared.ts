import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { KOMOJU_CURRENCIES, requireWholeNumber } from '../helpers/validation';
import { requireAmountIn, type MaximumAmount } from '../helpers/money';
import { DEFAULT_REQUEST_SETTINGS, type RequestSettings } from '../transport';
import type { ItemContext } from './operation';

/*
 * The Options collection every operation has: its fields, and how the router reads them once
 * per item (see ItemContext). Operations read their own extra options from ItemContext.options.
 */

const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	// n8n's lint wants literal defaults; test/unit/descriptions.test.ts keeps them equal to the constants.
	default: 3,
	typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
	description:
		'How often to repeat a request after a rate limit (429), a KOMOJU server error (5xx), an in-flight conflict (409) or a dropped connection, waiting longer each time and as long as KOMOJU’s Retry-After asks. Creates are repeated with the same idempotency key, so they never create twice.',
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Ms)',
	name: 'timeout',
	type: 'number',
	default: 30000,
	typeOptions: { minValue: 1000, numberPrecision: 0 },
	description: 'How long to wait for KOMOJU’s answer to one request before giving up on it, in milliseconds',
};

/** Enough to keep KOMOJU busy without looking like a flood; the node slows down on 429 anyway. */
export const MAX_CONCURRENCY = 50;
/** Items sent to KOMOJU at the same time unless the Concurrency option says otherwise. */
export const DEFAULT_CONCURRENCY = 5;

const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 5,
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
	description:
		'How many items to send to KOMOJU at the same time (1 = one after another). The output keeps the input order either way. A rate limit (429) pauses all of them together.',
};

const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	description:
		'Sent as X-KOMOJU-IDEMPOTENCY: KOMOJU answers a repeated key with the first result instead of creating again (for 24 hours). Leave empty to use a key derived from the execution, the node and the item, which stays the same when n8n retries the node. Set it (e.g. to an order ID) to make a create safe across separate executions. At most 100 ASCII characters.',
};

/** The "Options" collection every operation has; creates also get the idempotency key. */
export function requestOptionsCollection(
	extra: INodeProperties[] = [],
	{ idempotency = false } = {},
): INodeProperties {
	const options = [...extra, concurrencyOption, maxRetriesOption, timeoutOption];
	if (idempotency) options.push(idempotencyKeyOption);
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

export function readOptions(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return context.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

export function readRequestSettings(node: INode, itemIndex: number, options: IDataObject): RequestSettings {
	return {
		itemIndex,
		maxRetries: requireWholeNumber(node, itemIndex, options.maxRetries ?? DEFAULT_REQUEST_SETTINGS.maxRetries, 'Max Retries', 0, 10),
		timeoutMs: requireWholeNumber(node, itemIndex, options.timeout ?? DEFAULT_REQUEST_SETTINGS.timeoutMs, 'Timeout (Ms)', 1000, 600000),
	};
}

/** The options that cap money-moving calls; set by the workflow builder, checked before sending. */
export const maximumAmountOptions: INodeProperties[] = [
	{
		displayName: 'Maximum Amount',
		name: 'maximumAmount',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 0 },
		description:
			'Refuse this call, before anything is sent, when it would move more than this (in the smallest unit of Maximum Amount Currency; 0 = no limit). Use it when an AI agent or an expression decides the amount.',
	},
	{
		displayName: 'Maximum Amount Currency',
		name: 'maximumAmountCurrency',
		type: 'options',
		// Offered only once a Maximum Amount above 0 (or an expression) is in this Options collection.
		displayOptions: { show: { maximumAmount: [{ _cnd: { gt: 0 } }] } },
		default: 'JPY',
		options: KOMOJU_CURRENCIES.map((code) => ({ name: code, value: code })),
		description: 'The currency of Maximum Amount. Calls in any other currency are refused while a maximum is set.',
	},
];

export function readMaximumAmount(node: INode, { itemIndex, options }: ItemContext): MaximumAmount | undefined {
	const amount = requireAmountIn(node, itemIndex, options.maximumAmount ?? 0, undefined, 'Maximum Amount');
	if (amount === 0) return undefined;
	return { amount, currency: String(options.maximumAmountCurrency ?? 'JPY') };
}
