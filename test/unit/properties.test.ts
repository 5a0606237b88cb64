/**
 * Property-based checks of the input rules: whatever a user or an expression puts in a field,
 * the result is a valid value or a clear NodeOperationError for that item — never a crash, a
 * path that is not encoded, or a card number in an error.
 */
import fc from 'fast-check';
import { NodeOperationError } from 'n8n-workflow';

import { requireAmountIn } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/money';
import { redactCardNumbers } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/redact';
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
} from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/validation';
import { apiPath } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport';
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

/**
 * The digit runs of a text, separators dropped: digits with at most one space or dash between
 * two of them, as card numbers are written. A char scan, so it shares no code with redact.ts.
 */
function digitRuns(text: string): Array<{ digits: string; split: boolean }> {
	const runs: Array<{ digits: string; split: boolean }> = [];
	let digits = '';
	let split = false;
	let separator = false;
	for (const char of text) {
		if (char >= '0' && char <= '9') {
			digits += char;
			split ||= separator;
			separator = false;
		} else if ((char === ' ' || char === '-') && digits !== '' && !separator) {
			separator = true;
		} else {
			if (digits !== '') runs.push({ digits, split });
			digits = '';
			split = false;
			separator = false;
		}
	}
	if (digits !== '') runs.push({ digits, split });
	return runs;
}

/** Runs of 12 or more digits, which could still hold a card number. */
function cardLikeRuns(text: string): string[] {
	return digitRuns(text)
		.filter(({ digits }) => digits.length >= 12)
		.map(({ digits }) => digits);
}

/** The fed-in card numbers of which any 12 digits in a row are still in the text (the node keeps at most the last four). */
function leakedCards(text: string, cards: string[]): string[] {
	const runs = digitRuns(text).map(({ digits }) => digits);
	return cards.filter((card) => {
		for (let start = 0; start + 12 <= card.length; start++) {
			const part = card.slice(start, start + 12);
			if (runs.some((run) => run.includes(part))) return true;
		}
		return false;
	});
}

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
	// A line break, so digits ending the message and starting the description do not join into one run.
	expect(cardLikeRuns(`${error.message}\n${error.description ?? ''}`)).toEqual([]);
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
			fc.property(luhnNumber, fc.constantFrom(' ', '-'), fc.string(), fc.string(), (number, separator, before, after) => {
				const grouped = Array.from({ length: Math.ceil(number.length / 4) }, (_, i) => number.slice(i * 4, i * 4 + 4)).join(separator);
				// Also with digits written just before it: the card must not hide in a longer run.
				for (const text of [`${before} ${number} ${after}`, `${before} card${grouped}x ${after}`, `${before}123456789 ${grouped} ${after}`]) {
					expect(leakedCards(redactCardNumbers(text), [number])).toEqual([]);
					expect(leakedCards(describeValue(text), [number])).toEqual([]);
				}
				expect(leakedCards(describeValue({ card: number }), [number])).toEqual([]);
			}),
			RUNS,
		);
	});
});

describe('the card-number oracles', () => {
	const cases: Array<[string, string[]]> = [
		['6011 0009 9013 9424 123', ['6011000990139424123']],
		['4100-0000-0000-5000', ['4100000000005000']],
		['card4111111111111111x', ['4111111111111111']],
		['first 4100000000005000, then 4123 1111 1111 1000.', ['4100000000005000', '4123111111111000']],
		['id 123456789012 ok', ['123456789012']],
		['order 123456789 4100 0000 0000 5000', ['1234567894100000000005000']],
		['41111111111111111234', ['41111111111111111234']],
		['got 0.0000012345678901234567', ['0000012345678901234567']],
	];

	it.each(cases)('find the card in %j, and nothing once the node has redacted it', (text, cards) => {
		expect(cardLikeRuns(text)).toEqual(cards);
		expect(leakedCards(text, cards)).toEqual(cards);
		const redacted = redactCardNumbers(text);
		expect(cardLikeRuns(redacted)).toEqual([]);
		expect(leakedCards(redacted, cards)).toEqual([]);
	});

	it('let through what is no card, as the node does', () => {
		for (const text of ['order 12345678901 on 2026-11-29', '1 -2 -3 -4 -5 -6 -7 -8 -9 -0 -1 -2']) {
			expect(cardLikeRuns(text)).toEqual([]);
			expect(redactCardNumbers(text)).toBe(text);
		}
	});
});
