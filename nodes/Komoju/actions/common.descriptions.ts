import {
	NodeOperationError,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	explicitIdempotencyKey,
	KOMOJU_CURRENCIES,
	requireIdempotencyKey,
	requireId,
	requireWholeNumber,
} from '../helpers/validation';
import { requireAmountIn, type MaximumAmount } from '../helpers/money';
import { defaultIdempotencyKey } from '../helpers/idempotency';
import type { ExecutionScope } from '../helpers/interfaces';
import { DEFAULT_REQUEST_SETTINGS, type RequestSettings } from '../transport';

export { KOMOJU_CURRENCIES };

export const amountField: INodeProperties = {
	displayName: 'Amount',
	name: 'amount',
	type: 'number',
	required: true,
	default: 0,
	typeOptions: { minValue: 0, numberPrecision: 0 },
	description:
		'In the currency’s smallest unit, with no decimals: 1000 JPY is ¥1000, 1000 USD is $10.00',
};

export const currencyField: INodeProperties = {
	displayName: 'Currency',
	name: 'currency',
	type: 'options',
	required: true,
	default: 'JPY',
	options: KOMOJU_CURRENCIES.map((code) => ({ name: code, value: code })),
	description: 'Three-letter currency code',
};

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

export function requestSettings(
	context: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): RequestSettings {
	const node = context.getNode();
	return {
		itemIndex,
		maxRetries: requireWholeNumber(node, itemIndex, options.maxRetries ?? DEFAULT_REQUEST_SETTINGS.maxRetries, 'Max Retries', 0, 10),
		timeoutMs: requireWholeNumber(node, itemIndex, options.timeout ?? DEFAULT_REQUEST_SETTINGS.timeoutMs, 'Timeout (Ms)', 1000, 600000),
	};
}

const keysPerRun = new WeakMap<IExecuteFunctions, Map<number, string>>();

/** The idempotency keys this node run has sent, by item: what a failure report names. */
export function idempotencyKeysSent(context: IExecuteFunctions): Map<number, string> {
	return keysPerRun.get(context) ?? new Map();
}

export function idempotencyKeyFor(
	context: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
	scope: ExecutionScope,
): string {
	const given = explicitIdempotencyKey(context.getNode(), itemIndex, options.idempotencyKey);
	const key = given ? requireIdempotencyKey(context.getNode(), itemIndex, given) : defaultIdempotencyKey(scope, itemIndex);
	const sent = keysPerRun.get(context) ?? new Map<number, string>();
	keysPerRun.set(context, sent.set(itemIndex, key));
	return key;
}

/** The languages KOMOJU's pages and emails come in. */
export const localeField: INodeProperties = {
	displayName: 'Locale',
	name: 'locale',
	type: 'options',
	default: 'ja',
	options: [
		{ name: 'English', value: 'en' },
		{ name: 'Japanese', value: 'ja' },
		{ name: 'Korean', value: 'ko' },
	],
};

/** A required id typed by the user or an expression, e.g. "Payment ID". */
export function idProperty(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 6d2a9b1c0e4f8a7b3c5d9e1f2',
		description,
	};
}

/**
 * An id field for token ids. n8n's lint makes any string field whose name holds "token" a
 * password (masked) field, which would hide a non-secret id; a resource locator "By ID" is not.
 */
export function tokenIdProperty(
	name: string,
	displayName: string,
	description: string,
	displayOptions?: IDisplayOptions,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'id', value: '' },
		description,
		modes: [{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. {{ $json.id }}' }],
		...(displayOptions ? { displayOptions } : {}),
	};
}

export function readId(context: IExecuteFunctions, itemIndex: number, name: string, displayName: string): string {
	return requireId(context.getNode(), itemIndex, context.getNodeParameter(name, itemIndex), displayName);
}

/** KOMOJU's metadata: a string-to-string map, edited as key/value pairs. */
export const metadataField: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'fixedCollection',
	placeholder: 'Add Metadata',
	default: {},
	typeOptions: { multipleValues: true },
	description: 'Your own key/value pairs stored on the object (keys up to 30 characters, values up to 2000)',
	options: [
		{
			displayName: 'Entry',
			name: 'entries',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
};

/** n8n's copy of request data leaves these keys out (they guard against prototype pollution). */
const KEYS_N8N_DROPS = new Set(['__proto__', 'constructor', 'prototype']);

/** The key/value pairs as KOMOJU's metadata map, checked against KOMOJU's limits. */
export function readMetadata(context: IExecuteFunctions, itemIndex: number, value: unknown): IDataObject {
	const entries = ((value as IDataObject | undefined)?.entries ?? []) as Array<{ key?: unknown; value?: unknown }>;
	const node = context.getNode();
	const metadata = new Map<string, string>();
	for (const entry of entries) {
		const key = String(entry.key ?? '').trim();
		if (typeof entry.value === 'object' && entry.value !== null) {
			throw new NodeOperationError(node, `Metadata value of "${key}" must be text, got ${Array.isArray(entry.value) ? 'a list' : 'an object'}`, {
				itemIndex,
				description: 'KOMOJU’s metadata maps text to text. Pick one field, or turn the value into text with {{ JSON.stringify(…) }}.',
			});
		}
		const text = entry.value === undefined || entry.value === null ? '' : String(entry.value);
		if (key === '') throw new NodeOperationError(node, 'Every Metadata entry needs a key', { itemIndex });
		if (KEYS_N8N_DROPS.has(key)) {
			throw new NodeOperationError(node, `Metadata key "${key}" cannot be sent`, {
				itemIndex,
				description: 'n8n removes keys named __proto__, constructor and prototype from what it sends, so KOMOJU would never get it. Choose another key.',
			});
		}
		if (key.length > 30) throw new NodeOperationError(node, `Metadata key "${key.slice(0, 40)}" is longer than KOMOJU’s 30 characters`, { itemIndex });
		if (text.length > 2000) throw new NodeOperationError(node, `Metadata value of "${key}" is longer than KOMOJU’s 2000 characters`, { itemIndex });
		if (metadata.has(key)) throw new NodeOperationError(node, `Metadata key "${key}" is given twice`, { itemIndex });
		metadata.set(key, text);
	}
	return Object.fromEntries(metadata);
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
		default: 'JPY',
		options: KOMOJU_CURRENCIES.map((code) => ({ name: code, value: code })),
		description: 'The currency of Maximum Amount. Calls in any other currency are refused while a maximum is set.',
	},
];

export function readMaximumAmount(
	context: IExecuteFunctions,
	options: IDataObject,
	itemIndex: number,
): MaximumAmount | undefined {
	const amount = requireAmountIn(context.getNode(), itemIndex, options.maximumAmount ?? 0, undefined, 'Maximum Amount');
	if (amount === 0) return undefined;
	return { amount, currency: String(options.maximumAmountCurrency ?? 'JPY') };
}
