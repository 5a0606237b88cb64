import { NodeOperationError, type INode } from 'n8n-workflow';

import { describeValue, toWholeNumber } from './validation';

/** KOMOJU's currencies without a minor unit; every other one counts in hundredths. */
export const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'VND']);

/** An amount in the currency's smallest unit, written for a person: "1,000 JPY", "10.50 USD". */
export function formatAmount(amount: number, currency: string): string {
	if (ZERO_DECIMAL_CURRENCIES.has(currency)) return `${amount.toLocaleString('en-US')} ${currency}`;
	const major = (amount / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
	return `${major} ${currency}`;
}

function unitHint(currency: string | undefined): string {
	if (!currency) return 'KOMOJU takes amounts in the currency’s smallest unit, with no decimals: 1000 JPY is ¥1000, 1000 USD is $10.00.';
	if (ZERO_DECIMAL_CURRENCIES.has(currency)) {
		return `${currency} has no minor unit: the amount is whole ${currency}, for example 1000 is ${formatAmount(1000, currency)}.`;
	}
	return `${currency} amounts are in hundredths (cents), with no decimals: for example 1050 is ${formatAmount(1050, currency)}.`;
}

/**
 * A whole amount in the currency's smallest unit, at least `min`. The error explains the unit
 * of that currency, because "10.5" for USD usually means 1050.
 */
export function requireAmountIn(
	node: INode,
	itemIndex: number,
	value: unknown,
	currency: string | undefined,
	fieldName = 'Amount',
	min = 0,
): number {
	const amount = toWholeNumber(value);
	if (amount === undefined || amount < min) {
		const wanted = min > 0 ? `a whole number of ${min} or more` : 'a whole number of 0 or more';
		throw new NodeOperationError(node, `${fieldName} must be ${wanted}, got ${describeValue(value)}`, {
			itemIndex,
			description: unitHint(currency),
		});
	}
	return amount;
}

/** The workflow builder's ceiling for calls that move money, in one currency. */
export interface MaximumAmount {
	amount: number;
	currency: string;
}

/**
 * Refuses a money-moving call above the ceiling before anything is sent. A call in another
 * currency is refused too: the node cannot convert, and letting it through would bypass the limit.
 */
export function enforceMaximumAmount(
	node: INode,
	itemIndex: number,
	maximum: MaximumAmount | undefined,
	amount: number,
	currency: string,
	action: string,
): void {
	if (!maximum) return;
	if (currency !== maximum.currency) {
		throw new NodeOperationError(
			node,
			`Refused: this ${action} is in ${currency}, but the node’s Maximum Amount is set in ${maximum.currency}`,
			{ itemIndex, description: 'The node does not convert currencies. Set the Maximum Amount in the currency of the payment.' },
		);
	}
	if (amount > maximum.amount) {
		throw new NodeOperationError(
			node,
			`Refused: this ${action} of ${formatAmount(amount, currency)} is above the node’s Maximum Amount of ${formatAmount(maximum.amount, currency)}`,
			{ itemIndex, description: 'Nothing was sent to KOMOJU. The limit is set in the node’s options by the workflow’s builder.' },
		);
	}
}

/** Japan's highest consumption tax rate, which KOMOJU adds for `tax: "auto"` or an omitted tax. */
export const HIGHEST_CONSUMPTION_TAX_PERCENT = 10;

/**
 * The most tax KOMOJU can add to `amount` automatically. KOMOJU does not document its rounding,
 * so this rounds up: a limit checked against it can never be passed by a rounding difference.
 */
export function automaticTaxCeiling(amount: number): number {
	return Math.ceil((amount * HIGHEST_CONSUMPTION_TAX_PERCENT) / 100);
}

/** What the node sends as `tax`: a whole amount, or "auto" for KOMOJU's consumption tax. */
export type TaxValue = number | 'auto';

/** The most the customer pays for `amount` with this tax: what Maximum Amount is checked against. */
export function totalCeiling(amount: number, tax: TaxValue): number {
	return amount + (tax === 'auto' ? automaticTaxCeiling(amount) : tax);
}
