import { NodeOperationError, type IDataObject, type IDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { KOMOJU_CURRENCIES, requireId } from '../helpers/validation';

export const amountField: INodeProperties = {
	displayName: 'Amount',
	name: 'amount',
	type: 'number',
	required: true,
	// Empty until the user enters one: 0 is almost never meant, and the node refuses a missing amount.
	default: null,
	placeholder: 'e.g. 1000',
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
