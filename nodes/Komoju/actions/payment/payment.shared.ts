import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idempotencyKeyFor, idProperty, readId, readMaximumAmount, readOptions, requestSettings } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { enforceMaximumAmount, formatAmount, requireAmountIn } from '../../helpers/money';
import { scrubCardData } from '../../helpers/redact';
import { apiPath, komojuApiRequest, type RequestSettings } from '../../transport';

export const paymentIdField: INodeProperties = idProperty(
	'paymentId',
	'Payment ID',
	'The ID of the KOMOJU payment, e.g. {{ $json.id }} after Payment → Create',
);

export function readPaymentId(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, itemIndex, 'paymentId', 'Payment ID');
}

export async function fetchPayment(
	this: IExecuteFunctions,
	paymentId: string,
	settings: RequestSettings,
): Promise<IDataObject> {
	const payment = await komojuApiRequest.call(this, { method: 'GET', path: apiPath('payments', paymentId) }, settings);
	return scrubCardData(payment);
}

type MoneyAction = 'capture' | 'refund';

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
			default: 0,
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
	settings: RequestSettings;
	idempotencyKey: string;
}

/**
 * Reads and checks a capture's or refund's fields (all before anything is sent), then applies
 * the Maximum Amount. With a maximum set the node must know how much moves and in which
 * currency, so it reads the payment first; it then also refuses a partial amount above what is left.
 */
export async function prepareMoneyMovement(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: ExecutionScope,
	action: MoneyAction,
): Promise<MoneyMovement> {
	const node = this.getNode();
	const paymentId = readPaymentId(this, itemIndex);
	const options = readOptions(this, itemIndex);
	const settings = requestSettings(this, options, itemIndex);
	const partial = this.getNodeParameter(`${action}Type`, itemIndex, 'full') === 'partial';
	const amount = partial
		? requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), undefined, 'Amount', 1)
		: undefined;
	const maximum = readMaximumAmount(this, options, itemIndex);
	const idempotencyKey = idempotencyKeyFor(this, options, itemIndex, scope);
	if (maximum) {
		const amounts = amountsOf(await fetchPayment.call(this, paymentId, settings), action);
		if (amount !== undefined) requireWithinRemaining(this, itemIndex, amount, amounts, action);
		enforceMaximumAmount(node, itemIndex, maximum, amount ?? amounts.remaining, amounts.currency, action);
	}
	return { paymentId, amount, settings, idempotencyKey };
}

/** Amount, currency and what is left to act on, read from a payment KOMOJU returned. */
interface PaymentAmounts {
	currency: string;
	/** What a full capture takes (authorized) or a full refund returns (captured, minus refunds). */
	remaining: number;
}

function amountsOf(payment: IDataObject, action: MoneyAction): PaymentAmounts {
	// KOMOJU captures and refunds `amount`; tax is not part of it.
	const amount = Number(payment.amount ?? 0);
	const refunded = Number(payment.amount_refunded ?? 0);
	return {
		currency: String(payment.currency ?? ''),
		remaining: action === 'refund' ? Math.max(amount - refunded, 0) : amount,
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
	if (requested <= amounts.remaining) return;
	const left = formatAmount(amounts.remaining, amounts.currency);
	throw new NodeOperationError(
		context.getNode(),
		`Cannot ${action} ${formatAmount(requested, amounts.currency)}: only ${left} ${action === 'refund' ? 'is left to refund' : 'was authorised'}`,
		{ itemIndex, description: 'Nothing was sent to KOMOJU. Lower the amount, or choose the full amount.' },
	);
}
