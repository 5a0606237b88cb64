/**
 * Property-based checks of the input rules: whatever a user or an expression puts in a field,
 * the result is a valid value or a clear NodeOperationError for that item — never a crash, a
 * path that is not encoded, or a card number in an error.
 */
import fc from 'fast-check';
import { NodeOperationError } from 'n8n-workflow';

import { requireAmountIn } from '../../nodes/Komoju/helpers/money';
import { redactCardNumbers } from '../../nodes/Komoju/helpers/redact';
import {
	describeValue,
	passesLuhn,
	requireCardNumber,
	requireCurrency,
	requireDateTime,
	requireExpiryMonth,
	requireExpiryYear,
	requireHttpUrl,
	requireId,
	requireVerificationValue,
} from '../../nodes/Komoju/helpers/validation';
import { apiPath } from '../../nodes/Komoju/transport';
import { testNode } from './node.fixture';

const RUNS = { numRuns: 400 };
const ITEM = 7;
const NOW = new Date(Date.UTC(2026, 10, 29));

/** Anything a parameter or an expression can produce, including the awkward cases. */
const anyInput = fc.oneof(
	fc.anything(),
	fc.string(),
	fc.string({ unit: 'grapheme', maxLength: 300 }),
	fc.integer(),
	fc.double(),
	fc.constantFrom('', ' ', '0', '-0', '1e3', '10.50', '١٢٣', 'NaN', 'Infinity', '4111 1111 1111 1111', 'x'.repeat(100_000)),
);

/** A card-number-like run: 12–19 digits that pass the checksum. */
const luhnNumber = fc
	.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 18 })
	.map((digits) => {
		const body = digits.join('');
		for (let check = 0; check <= 9; check++) if (passesLuhn(body + check)) return body + check;
		throw new Error('unreachable');
	});

/** A run of 12–19 digits (spaces or dashes allowed between them) not part of a longer number. */
const CARD_RUN = /(?<!\d)(?:\d[ -]?){11,18}\d(?!\d)/;

/** Runs a check; returns its value, or the NodeOperationError it threw (anything else fails the test). */
function outcome<T>(check: () => T): { value: T } | { error: NodeOperationError } {
	try {
		return { value: check() };
	} catch (error) {
		if (!(error instanceof NodeOperationError)) throw error;
		expect(error.context.itemIndex).toBe(ITEM);
		expect(error.message.length).toBeLessThan(400);
		return { error };
	}
}

function expectNoCardNumber(error: NodeOperationError) {
	const text = `${error.message} ${error.description ?? ''}`;
	expect(text).not.toMatch(CARD_RUN);
}

describe('input rules hold for any input', () => {
	it('Amount: a safe whole number ≥ 0, or an error that explains the unit', () => {
		fc.assert(
			fc.property(anyInput, fc.constantFrom('JPY', 'USD', 'KRW', 'EUR', undefined), (value, currency) => {
				const result = outcome(() => requireAmountIn(testNode, ITEM, value, currency));
				if ('value' in result) {
					expect(Number.isSafeInteger(result.value) && result.value >= 0).toBe(true);
				} else {
					expect(result.error.description).toMatch(/smallest unit|minor unit|hundredths/);
					expectNoCardNumber(result.error);
				}
			}),
			RUNS,
		);
	});

	it('Card Number: digits only with a valid checksum, or an error without the number', () => {
		fc.assert(
			fc.property(fc.oneof(anyInput, luhnNumber, luhnNumber.map((n) => `${n.slice(0, 4)} ${n.slice(4)}`)), (value) => {
				const result = outcome(() => requireCardNumber(testNode, ITEM, value));
				if ('value' in result) {
					expect(result.value).toMatch(/^\d{12,19}$/);
					expect(passesLuhn(result.value)).toBe(true);
				} else {
					expectNoCardNumber(result.error);
				}
			}),
			RUNS,
		);
	});

	it('a valid card number with one digit changed is refused, naming only its last four digits', () => {
		fc.assert(
			fc.property(luhnNumber, fc.nat(), (number, position) => {
				const index = position % (number.length - 4);
				const changed = number.slice(0, index) + ((Number(number[index]) + 5) % 10) + number.slice(index + 1);
				const result = outcome(() => requireCardNumber(testNode, ITEM, changed));
				expect('error' in result).toBe(true);
				if ('error' in result) expectNoCardNumber(result.error);
			}),
			RUNS,
		);
	});

	it('expiry month, year and CVC: in range, or an error', () => {
		fc.assert(
			fc.property(anyInput, (value) => {
				const month = outcome(() => requireExpiryMonth(testNode, ITEM, value));
				if ('value' in month) expect(month.value >= 1 && month.value <= 12).toBe(true);
				// A fixed clock: "this year" must not change between the node's check and this one.
				const year = outcome(() => requireExpiryYear(testNode, ITEM, value, NOW));
				if ('value' in year) expect(year.value >= NOW.getUTCFullYear() && year.value <= 9999).toBe(true);
				const cvc = outcome(() => requireVerificationValue(testNode, ITEM, value));
				if ('value' in cvc && cvc.value !== undefined) expect(cvc.value).toMatch(/^\d{3,4}$/);
				for (const result of [month, year, cvc]) if ('error' in result) expectNoCardNumber(result.error);
			}),
			RUNS,
		);
	});

	it('Return URL: an absolute http(s) URL, or an error', () => {
		fc.assert(
			fc.property(fc.oneof(anyInput, fc.webUrl(), fc.webUrl().map((url) => url.replace(/^https?/, 'javascript'))), (value) => {
				const result = outcome(() => requireHttpUrl(testNode, ITEM, value, 'Return URL'));
				if ('value' in result) expect(['http:', 'https:']).toContain(new URL(result.value).protocol);
			}),
			RUNS,
		);
	});

	it('Currency and dates: a code or an ISO time in UTC, or an error', () => {
		fc.assert(
			fc.property(fc.oneof(anyInput, fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString()))), (value) => {
				const currency = outcome(() => requireCurrency(testNode, ITEM, value));
				if ('value' in currency) expect(currency.value).toMatch(/^[A-Z]{3}$/);
				const time = outcome(() => requireDateTime(testNode, ITEM, value, 'Created After'));
				if ('value' in time) expect(time.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$|^[+-]\d{6}-/);
			}),
			RUNS,
		);
	});

	it('ids: any text becomes one encoded path segment; nothing else is accepted', () => {
		fc.assert(
			fc.property(fc.oneof(anyInput, fc.constantFrom('../payments', 'a/b', 'a b', '?x=1', '#frag', '%2F', 'tok_..')), (value) => {
				const result = outcome(() => requireId(testNode, ITEM, value, 'Payment ID'));
				if (!('value' in result)) return;
				const path = apiPath('payments', result.value, 'refund');
				const segments = path.split('/');
				expect(segments).toHaveLength(4);
				expect(decodeURIComponent(segments[2])).toBe(result.value);
				expect(segments[2]).not.toMatch(/[/?#\s]/);
				expect(new URL(`https://komoju.com/api/v1${path}`).pathname).toBe(`/api/v1${path}`);
			}),
			RUNS,
		);
	});

	it('describeValue and redaction never repeat a card number', () => {
		fc.assert(
			fc.property(luhnNumber, fc.string(), fc.string(), (number, before, after) => {
				const text = `${before} ${number} ${after}`;
				expect(redactCardNumbers(text)).not.toContain(number);
				expect(describeValue(text)).not.toContain(number);
				expect(describeValue({ card: number })).not.toContain(number);
			}),
			RUNS,
		);
	});
});
