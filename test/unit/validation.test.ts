import { NodeOperationError } from 'n8n-workflow';

import {
	describeValue,
	passesLuhn,
	requireCardNumber,
	requireCurrency,
	requireExpiryMonth,
	requireExpiryYear,
	requireHttpUrl,
	requireId,
	requireIdempotencyKey,
	requireUnexpired,
	requireVerificationValue,
	requireWholeNumber,
} from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/validation';
import { enforceMaximumAmount, formatAmount, requireAmountIn } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/money';
import { testNode } from './node.fixture';

const node = testNode;

function errorOf(check: () => unknown): NodeOperationError {
	try {
		check();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected the check to throw');
}

describe('amount', () => {
	it.each([
		[0, 0],
		[1000, 1000],
		['2500', 2500],
		[' 7 ', 7],
	])('accepts %p as %p', (input, expected) => {
		expect(requireAmountIn(node, 0, input, 'JPY')).toBe(expected);
	});

	it.each([[10.5], [-1], ['12.00'], ['abc'], [''], [undefined], [null], [Number.NaN], [2 ** 60]])(
		'refuses %p with a hint about the smallest unit',
		(input) => {
			const error = errorOf(() => requireAmountIn(node, 3, input, undefined));
			expect(error.message).toMatch(/^Amount must be a whole number/);
			expect(error.description).toMatch(/smallest unit/);
			expect(error.context.itemIndex).toBe(3);
		},
	);

	it('explains the unit of the currency in question', () => {
		expect(errorOf(() => requireAmountIn(node, 0, 10.5, 'USD')).description).toBe(
			'USD amounts are in hundredths (cents), with no decimals: for example 1050 is 10.50 USD.',
		);
		expect(errorOf(() => requireAmountIn(node, 0, 10.5, 'KRW')).description).toBe(
			'KRW has no minor unit: the amount is whole KRW, for example 1000 is 1,000 KRW.',
		);
		expect(errorOf(() => requireAmountIn(node, 0, 0, 'JPY', 'Refund Amount', 1)).message).toBe(
			'Refund Amount must be a whole number of 1 or more, got 0',
		);
	});
});

describe('money', () => {
	it.each([
		[1000, 'JPY', '1,000 JPY'],
		[5, 'VND', '5 VND'],
		[1050, 'USD', '10.50 USD'],
		[123456789, 'EUR', '1,234,567.89 EUR'],
	])('formats %p %s as %s', (amount, currency, text) => {
		expect(formatAmount(amount, currency)).toBe(text);
	});

	const maximum = { amount: 5000, currency: 'JPY' };
	it('lets amounts up to the maximum through, and anything when no maximum is set', () => {
		expect(() => enforceMaximumAmount(node, 0, maximum, 5000, 'JPY', 'refund')).not.toThrow();
		expect(() => enforceMaximumAmount(node, 0, undefined, 10 ** 12, 'USD', 'payment')).not.toThrow();
	});
	it('refuses more than the maximum, naming both amounts', () => {
		const error = errorOf(() => enforceMaximumAmount(node, 2, maximum, 5001, 'JPY', 'capture'));
		expect(error.message).toBe('Refused: this capture of 5,001 JPY is above the node’s Maximum Amount of 5,000 JPY');
		expect(error.context.itemIndex).toBe(2);
	});
	it('refuses another currency rather than guess a rate', () => {
		const error = errorOf(() => enforceMaximumAmount(node, 0, maximum, 1, 'USD', 'payment'));
		expect(error.message).toBe('Refused: this payment is in USD, but the node’s Maximum Amount is set in JPY');
	});
});

describe('currency', () => {
	it('upper-cases and trims a 3-letter code', () => {
		expect(requireCurrency(node, 0, ' usd ')).toBe('USD');
	});
	it.each([['YEN'.slice(0, 2)], ['JPYY'], ['12A'], [''], [42]])('refuses %p', (input) => {
		expect(errorOf(() => requireCurrency(node, 0, input)).message).toMatch(/3-letter ISO 4217/);
	});
});

describe('return URL', () => {
	it.each(['https://shop.example.com/back?x=1', 'http://localhost:5678/webhook-waiting/12'])(
		'accepts %s',
		(url) => {
			expect(requireHttpUrl(node, 0, url, 'Return URL')).toBe(url);
		},
	);
	it.each(['/relative/path', 'ftp://example.com/x', 'javascript:alert(1)', 'example.com', ''])(
		'refuses %p',
		(url) => {
			expect(errorOf(() => requireHttpUrl(node, 0, url, 'Return URL')).message).toMatch(
				/^Return URL must be an absolute http\(s\) URL/,
			);
		},
	);
});

describe('card number', () => {
	it('passes Luhn for the test cards and fails a changed digit', () => {
		expect(passesLuhn('4100000000005000')).toBe(true);
		expect(passesLuhn('378282246310005')).toBe(true);
		expect(passesLuhn('4100000000005001')).toBe(false);
	});

	it('strips spaces and dashes', () => {
		expect(requireCardNumber(node, 0, '4100 0000-0000 5000')).toBe('4100000000005000');
	});

	it('refuses a bad checksum naming only the last four digits', () => {
		const error = errorOf(() => requireCardNumber(node, 2, '4100000000005001'));
		expect(error.message).toContain('ending in 5001');
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain('4100000000005001');
		expect(error.context.itemIndex).toBe(2);
	});

	it.each([[''], ['4111'], ['41000000000050001234567'], ['4100abcd00005000']])(
		'refuses %p without echoing it',
		(input) => {
			const error = errorOf(() => requireCardNumber(node, 0, input));
			if (input.length > 4) expect(error.message).not.toContain(input);
		},
	);
});

describe('expiry', () => {
	const now = new Date(Date.UTC(2026, 10, 29));

	it('accepts months 1 to 12 and refuses others', () => {
		expect(requireExpiryMonth(node, 0, '08')).toBe(8);
		expect(requireExpiryMonth(node, 0, 12)).toBe(12);
		for (const bad of [0, 13, 1.5, 'x']) {
			expect(errorOf(() => requireExpiryMonth(node, 0, bad)).message).toMatch(/1 to 12/);
		}
	});

	it('reads 2-digit years in this century and refuses past years', () => {
		expect(requireExpiryYear(node, 0, 30, now)).toBe(2030);
		expect(requireExpiryYear(node, 0, '2031', now)).toBe(2031);
		expect(errorOf(() => requireExpiryYear(node, 0, 25, now)).message).toMatch(/2025 is in the past/);
		expect(errorOf(() => requireExpiryYear(node, 0, 203, now)).message).toMatch(/2 or 4 digits/);
	});

	it('refuses a card whose month is over in the current year', () => {
		expect(() => requireUnexpired(node, 0, 11, 2026, now)).not.toThrow();
		expect(errorOf(() => requireUnexpired(node, 0, 10, 2026, now)).message).toMatch(/expired.*10\/2026/);
	});
});

describe('other checks', () => {
	it('CVC is optional, else 3 or 4 digits', () => {
		expect(requireVerificationValue(node, 0, '')).toBeUndefined();
		expect(requireVerificationValue(node, 0, 123)).toBe('123');
		const error = errorOf(() => requireVerificationValue(node, 0, '12a45'));
		expect(error.message).toBe('CVC must be 3 or 4 digits');
	});

	it('ids must be present and of sane length', () => {
		expect(requireId(node, 0, ' tok/1 ', 'Secure Token ID')).toBe('tok/1');
		expect(errorOf(() => requireId(node, 0, '', 'Secure Token ID')).message).toBe('Secure Token ID is required');
		expect(errorOf(() => requireId(node, 0, 'x'.repeat(300), 'Secure Token ID')).message).toMatch(/too long/);
		// A dot segment would be resolved away by the URL: /payments/../refund is another endpoint.
		expect(errorOf(() => requireId(node, 0, '..', 'Payment ID')).message).toBe('Payment ID ".." is not a KOMOJU id');
		expect(requireId(node, 0, '...', 'Payment ID')).toBe('...');
	});

	it('idempotency keys follow KOMOJU: at most 100 ASCII characters', () => {
		expect(requireIdempotencyKey(node, 0, 'order-1234')).toBe('order-1234');
		expect(() => requireIdempotencyKey(node, 0, 'k'.repeat(101))).toThrow(/100 printable ASCII/);
		expect(() => requireIdempotencyKey(node, 0, 'キー')).toThrow(/100 printable ASCII/);
	});

	it('whole numbers are bounded', () => {
		expect(requireWholeNumber(node, 0, '5', 'Max Retries', 0, 10)).toBe(5);
		expect(() => requireWholeNumber(node, 0, 11, 'Max Retries', 0, 10)).toThrow(/from 0 to 10, got 11/);
	});

	it('describes rejected values briefly and never as a card number', () => {
		expect(describeValue(undefined)).toBe('nothing');
		expect(describeValue('x'.repeat(100))).toHaveLength(58);
		expect(describeValue('pay 4100000000005000 now')).toBe('"pay ••••5000 now"');
	});
});
