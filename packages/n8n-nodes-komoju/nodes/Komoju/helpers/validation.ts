import { NodeOperationError, type INode } from 'n8n-workflow';

import { apiTime } from './mappers';
import { redactCardNumbers } from './redact';

/**
 * Input checks that run before anything is sent. Each throws a NodeOperationError that names
 * the field and carries the item index, so n8n marks the item that needs fixing.
 */

function inputError(node: INode, itemIndex: number, message: string, description?: string) {
	return new NodeOperationError(node, message, { itemIndex, description });
}

/**
 * Parses a value that must be a whole number, accepting the digit strings expressions produce;
 * beyond 15 digits precision is lost, so those are refused like any other non-number.
 */
export function toWholeNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
	if (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value)) return Number(value.trim());
	return undefined;
}

export function requireWholeNumber(
	node: INode,
	itemIndex: number,
	value: unknown,
	fieldName: string,
	min: number,
	max: number,
): number {
	const number = toWholeNumber(value);
	if (number === undefined || number < min || number > max) {
		throw inputError(
			node,
			itemIndex,
			`${fieldName} must be a whole number from ${min} to ${max}, got ${describeValue(value)}`,
		);
	}
	return number;
}

/** The currencies KOMOJU accepts (its contract's Currency). JPY, KRW and VND have no minor unit. */
export const KOMOJU_CURRENCIES = [
	'AUD', 'BRL', 'CAD', 'CHF', 'CNY', 'EUR', 'GBP', 'HKD', 'IDR', 'JPY',
	'KRW', 'MYR', 'NZD', 'PHP', 'PLN', 'SGD', 'THB', 'TWD', 'USD', 'VND',
];

export function requireCurrency(node: INode, itemIndex: number, value: unknown): string {
	const currency = typeof value === 'string' ? value.trim().toUpperCase() : '';
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw inputError(
			node,
			itemIndex,
			`Currency must be a 3-letter ISO 4217 code such as JPY or USD, got ${describeValue(value)}`,
		);
	}
	if (!KOMOJU_CURRENCIES.includes(currency)) {
		throw inputError(node, itemIndex, `KOMOJU does not take the currency ${currency}`, `It takes ${KOMOJU_CURRENCIES.join(', ')}.`);
	}
	return currency;
}

/** Browsers and KOMOJU's pages limit URLs to about this length. */
const MAX_URL_LENGTH = 2048;

export function requireHttpUrl(
	node: INode,
	itemIndex: number,
	value: unknown,
	fieldName: string,
): string {
	const text = typeof value === 'string' ? value.trim() : '';
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw inputError(
			node,
			itemIndex,
			`${fieldName} must be an absolute http(s) URL, got ${describeValue(value)}`,
			'For example https://shop.example.com/3ds/return, or the resume URL of an n8n Wait node ({{ $execution.resumeUrl }}).',
		);
	}
	// The URL parser silently drops tabs and newlines, which then hide what the customer is sent to.
	if (/\s/.test(text) || [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
		throw inputError(node, itemIndex, `${fieldName} must not contain spaces, tabs or line breaks`, 'Encode them (%20), or remove them.');
	}
	if (url.username || url.password) {
		throw inputError(node, itemIndex, `${fieldName} must not contain a user name or password`, 'Remove the part before "@".');
	}
	if (text.length > MAX_URL_LENGTH) {
		throw inputError(node, itemIndex, `${fieldName} is longer than ${MAX_URL_LENGTH} characters (${text.length})`);
	}
	return text;
}

export function requireText(node: INode, itemIndex: number, value: unknown, fieldName: string): string {
	const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (text === '') {
		throw inputError(node, itemIndex, `${fieldName} is required`);
	}
	return text;
}

/** An id that goes into a URL path: any non-empty text, encoded by the transport. */
export function requireId(node: INode, itemIndex: number, value: unknown, fieldName: string): string {
	const id = requireText(node, itemIndex, value, fieldName);
	if (id.length > 255) {
		throw inputError(node, itemIndex, `${fieldName} is too long to be a KOMOJU id (${id.length} characters)`);
	}
	// URLs resolve "." and ".." (even encoded as %2E) as path steps: /payments/../refund would
	// reach another endpoint.
	if (id === '.' || id === '..') {
		throw inputError(node, itemIndex, `${fieldName} "${id}" is not a KOMOJU id`);
	}
	// Half of a UTF-16 surrogate pair cannot be put into a URL.
	if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id)) {
		throw inputError(node, itemIndex, `${fieldName} contains a broken character (half of a UTF-16 surrogate pair)`);
	}
	return id;
}

export function passesLuhn(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let digit = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			digit *= 2;
			if (digit > 9) digit -= 9;
		}
		sum += digit;
	}
	return sum % 10 === 0;
}

/** Returns the card number as digits only. Error messages never repeat the number. */
export function requireCardNumber(node: INode, itemIndex: number, value: unknown): string {
	const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	const digits = raw.replace(/[\s-]/g, '');
	if (digits === '') {
		throw inputError(node, itemIndex, 'Card Number is required');
	}
	if (!/^\d{12,19}$/.test(digits)) {
		throw inputError(
			node,
			itemIndex,
			'Card Number must be 12 to 19 digits (spaces and dashes are allowed)',
		);
	}
	if (!passesLuhn(digits)) {
		throw inputError(
			node,
			itemIndex,
			`Card Number ending in ${digits.slice(-4)} is not a valid card number (checksum failed)`,
			'Check the number for a typo.',
		);
	}
	return digits;
}

export function requireExpiryMonth(node: INode, itemIndex: number, value: unknown): number {
	const month = toWholeNumber(value);
	if (month === undefined || month < 1 || month > 12) {
		throw inputError(node, itemIndex, `Expiry Month must be a number from 1 to 12, got ${describeValue(value)}`);
	}
	return month;
}

/** Accepts 2- or 4-digit years and returns the 4-digit year; refuses years already over. */
export function requireExpiryYear(
	node: INode,
	itemIndex: number,
	value: unknown,
	now: Date = new Date(),
): number {
	const raw = toWholeNumber(value);
	// Only numbers and digit strings get here; String() of any other object could throw.
	const text = raw === undefined ? '' : String(value).trim();
	if (raw === undefined || raw < 0 || !(text.length === 2 || text.length === 4)) {
		throw inputError(
			node,
			itemIndex,
			`Expiry Year must have 2 or 4 digits, such as 30 or 2030, got ${describeValue(value)}`,
		);
	}
	const year = raw < 100 ? 2000 + raw : raw;
	if (year < now.getUTCFullYear()) {
		throw inputError(node, itemIndex, `Expiry Year ${year} is in the past: the card has expired`);
	}
	return year;
}

/** Refuses a card whose expiry month is over, once month and year are both known. */
export function requireUnexpired(
	node: INode,
	itemIndex: number,
	month: number,
	year: number,
	now: Date = new Date(),
): void {
	const thisYear = now.getUTCFullYear();
	if (year === thisYear && month < now.getUTCMonth() + 1) {
		throw inputError(
			node,
			itemIndex,
			`The card expired at the end of ${String(month).padStart(2, '0')}/${year}`,
		);
	}
}

export function requireVerificationValue(node: INode, itemIndex: number, value: unknown): string | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (text === '') return undefined;
	if (!/^\d{3,4}$/.test(text)) {
		throw inputError(node, itemIndex, 'CVC must be 3 or 4 digits');
	}
	return text;
}

/**
 * The Idempotency Key option as text, or '' when it is empty. An expression that returns an
 * object would otherwise become "[object Object]", the same key for every item.
 */
export function explicitIdempotencyKey(node: INode, itemIndex: number, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw inputError(
			node,
			itemIndex,
			`Idempotency Key must be text or a number, got ${describeValue(value)}`,
			'Pick one field of the item, e.g. pay-{{ $json.orderId }}.',
		);
	}
	return value.trim();
}

export function requireIdempotencyKey(node: INode, itemIndex: number, value: string): string {
	// KOMOJU: non-empty, at most 100 ASCII characters.
	if (value.length > 100 || !/^[\x20-\x7e]+$/.test(value)) {
		throw inputError(
			node,
			itemIndex,
			'Idempotency Key must be 1 to 100 printable ASCII characters',
			'Leave it empty to let the node derive one from the execution, node and item.',
		);
	}
	return value;
}

/** A date-time as KOMOJU's list filters take it: ISO 8601 in UTC, whole seconds. */
export function requireDateTime(node: INode, itemIndex: number, value: unknown, fieldName: string): string {
	const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value.trim() : '';
	const ms = Date.parse(text);
	if (text === '' || Number.isNaN(ms)) {
		throw inputError(node, itemIndex, `${fieldName} must be a date and time, got ${describeValue(value)}`, 'For example 2026-11-29T09:00:00Z, or {{ $now.minus(1, "day") }}.');
	}
	return apiTime(ms);
}

/** Describes a rejected value for an error message, shortened so huge inputs stay readable. */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'nothing';
	const raw = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value);
	const text = redactCardNumbers(raw);
	// Redacted again after cutting: the cut can leave a shorter digit run that looks like a card.
	return text.length > 60 ? redactCardNumbers(`${text.slice(0, 57)}…`) : text;
}
