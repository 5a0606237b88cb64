import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idProperty, readId } from '../fields.shared';
import type { ItemContext } from '../operation';
import { readMaximumAmount } from '../options.shared';
import {
	enforceMaximumAmount,
	formatAmount,
	requireAmountIn,
	totalCeiling,
	type TaxValue,
} from '../../helpers/money';
import { apiPath, komojuApiRequest, type RequestSettings } from '../../transport';

export const paymentIdField: INodeProperties = idProperty(
	'paymentId',
	'Payment ID',
	'The ID of the KOMOJU payment, e.g. {{ $json.id }} after Payment → Create',
);

export function readPaymentId(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, itemIndex, 'paymentId', 'Payment ID');
}

async function fetchPayment(
	this: IExecuteFunctions,
	paymentId: string,
	settings: RequestSettings,
): Promise<IDataObject> {
	const payment = await komojuApiRequest.call(this, { method: 'GET', path: apiPath('payments', paymentId) }, settings);
	return payment;
}

type MoneyAction = 'capture' | 'refund' | 'refundRequest';

/** How messages name each action ("Refused: this refund request of …"). */
const ACTION_WORDS: Record<MoneyAction, { noun: string; verb: string }> = {
	capture: { noun: 'capture', verb: 'capture' },
	refund: { noun: 'refund', verb: 'refund' },
	refundRequest: { noun: 'refund request', verb: 'request a refund of' },
};

/** Refunds and refund requests both count what is left to refund, tax included. */
const givesBack = (action: MoneyAction) => action !== 'capture';

/**
 * Tax as Payment Create and a partial Capture ask for it. KOMOJU adds Japan's highest
 * consumption tax when `tax` is omitted, so the node always sends one; None (0) is the default.
 */
export function taxProperties(show: Record<string, string[]> = {}): INodeProperties[] {
	const when = (extra: Record<string, string[]>) => ({ show: { ...show, ...extra } });
	return [
		{
			displayName: 'Tax',
			name: 'tax',
			type: 'options',
			default: 'none',
			options: [
				{ name: 'None', value: 'none', description: 'Send tax 0: the customer pays exactly Amount' },
				{
					name: 'KOMOJU Automatic',
					value: 'auto',
					description: 'KOMOJU adds Japan’s consumption tax (10 %) on top of Amount',
				},
				{ name: 'Amount', value: 'amount', description: 'Add a tax amount of your own on top of Amount' },
			],
			description: 'KOMOJU adds 10 % consumption tax when no tax is sent, so the node always sends one',
			...(Object.keys(show).length ? { displayOptions: { show } } : {}),
		},
		{
			displayName: 'Tax Amount',
			name: 'taxAmount',
			type: 'number',
			required: true,
			default: null,
			placeholder: 'e.g. 100',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			description: 'In the currency’s smallest unit, added to Amount',
			displayOptions: when({ tax: ['amount'] }),
		},
	];
}

/** The `tax` to send: 0 for None, "auto", or the checked Tax Amount. */
export function readTax(context: IExecuteFunctions, itemIndex: number, currency: string | undefined): TaxValue {
	const choice = context.getNodeParameter('tax', itemIndex, 'none');
	if (choice === 'auto') return 'auto';
	if (choice === 'amount') {
		return requireAmountIn(context.getNode(), itemIndex, context.getNodeParameter('taxAmount', itemIndex), currency, 'Tax Amount');
	}
	if (choice === 'none') return 0;
	throw new NodeOperationError(context.getNode(), `Tax must be None, KOMOJU Automatic or Amount, got "${String(choice)}"`, {
		itemIndex,
	});
}

/** "Full Amount" or "Partial Amount" with its Amount field, as Capture and Refund ask for it. */
export function amountChoiceProperties(
	action: MoneyAction,
	label: string,
	choices: { full: string; partial: string; limit: string },
): INodeProperties[] {
	const typeField = `${action}Type`;
	return [
		{
			displayName: label,
			name: typeField,
			type: 'options',
			default: 'full',
			options: [
				{ name: 'Full Amount', value: 'full', description: choices.full },
				{ name: 'Partial Amount', value: 'partial', description: choices.partial },
			],
		},
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'number',
			required: true,
			default: null,
			placeholder: 'e.g. 500',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description: `In the payment currency’s smallest unit; ${choices.limit}`,
			displayOptions: { show: { [typeField]: ['partial'] } },
		},
	];
}

/** What a capture or refund needs before it is sent, its checks already passed. */
export interface MoneyMovement {
	paymentId: string;
	/** Undefined: the full amount. */
	amount?: number;
	/** A partial capture's tax; KOMOJU would add consumption tax to one sent without it. */
	tax?: TaxValue;
}

/**
 * Reads and checks a capture's, refund's or refund request's fields (all before anything is sent), then applies
 * the Maximum Amount to what the customer is charged or given back, tax included. With a
 * maximum set the node must know how much moves and in which currency, so it reads the payment
 * first; it then also refuses a partial amount above what is left.
 */
export async function prepareMoneyMovement(this: IExecuteFunctions, item: ItemContext, action: MoneyAction): Promise<MoneyMovement> {
	const node = this.getNode();
	const { itemIndex } = item;
	const paymentId = readPaymentId(this, itemIndex);
	const partial = this.getNodeParameter(`${action}Type`, itemIndex, 'full') === 'partial';
	const amount = partial
		? requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), undefined, 'Amount', 1)
		: undefined;
	const tax = partial && action === 'capture' ? readTax(this, itemIndex, undefined) : undefined;
	const maximum = readMaximumAmount(node, item);
	// A refund request always names its amount (KOMOJU requires one), so "full" is read from the payment.
	const amountNeeded = action === 'refundRequest' && amount === undefined;
	if (!maximum && !amountNeeded) return { paymentId, amount, tax };
	const amounts = amountsOf(await fetchPayment.call(this, paymentId, item.settings), action);
	if (amount !== undefined) requireWithinRemaining(this, itemIndex, amount, amounts, action);
	const moving = amount === undefined ? amounts.fullTotal : totalCeiling(amount, tax ?? 0);
	enforceMaximumAmount(node, itemIndex, maximum, moving, amounts.currency, ACTION_WORDS[action].noun);
	return { paymentId, amount: amountNeeded ? amounts.fullTotal : amount, tax };
}

/** Amounts read from a payment KOMOJU returned. */
interface PaymentAmounts {
	currency: string;
	/** What a partial amount is compared with: the authorized amount before tax, or what is left to refund. */
	partialLimit: number;
	/** What the full capture or refund moves, tax included. */
	fullTotal: number;
}

function amountsOf(payment: IDataObject, action: MoneyAction): PaymentAmounts {
	const amount = Number(payment.amount ?? 0);
	// KOMOJU's total is amount + tax (+ the method's fee); refunds count tax-included amounts.
	const total = Number(payment.total ?? amount + Number(payment.tax ?? 0));
	const leftToRefund = Math.max(total - Number(payment.amount_refunded ?? 0), 0);
	return {
		currency: String(payment.currency ?? ''),
		partialLimit: givesBack(action) ? leftToRefund : amount,
		fullTotal: givesBack(action) ? leftToRefund : total,
	};
}

/** Refuses a partial amount above what is left, when the payment was read anyway. */
function requireWithinRemaining(
	context: IExecuteFunctions,
	itemIndex: number,
	requested: number,
	amounts: PaymentAmounts,
	action: MoneyAction,
): void {
	if (requested <= amounts.partialLimit) return;
	const left = formatAmount(amounts.partialLimit, amounts.currency);
	throw new NodeOperationError(
		context.getNode(),
		`Cannot ${ACTION_WORDS[action].verb} ${formatAmount(requested, amounts.currency)}: only ${left} ${givesBack(action) ? 'is left to refund (tax included)' : 'was authorized before tax'}`,
		{ itemIndex, description: 'Nothing was sent to KOMOJU. Lower the amount, or choose the full amount.' },
	);
}
