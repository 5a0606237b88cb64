import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idProperty, readId } from '../common.descriptions';
import { formatAmount } from '../../helpers/money';
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

/** Amount, currency and what is left to act on, read from a payment KOMOJU returned. */
export interface PaymentAmounts {
	currency: string;
	/** What a full capture takes (authorized) or a full refund returns (captured, minus refunds). */
	remaining: number;
}

export function amountsOf(payment: IDataObject, action: 'capture' | 'refund'): PaymentAmounts {
	// KOMOJU captures and refunds `amount`; tax is not part of it.
	const amount = Number(payment.amount ?? 0);
	const refunded = Number(payment.amount_refunded ?? 0);
	return {
		currency: String(payment.currency ?? ''),
		remaining: action === 'refund' ? Math.max(amount - refunded, 0) : amount,
	};
}

/** Refuses a partial amount above what is left, when the payment was read anyway. */
export function requireWithinRemaining(
	context: IExecuteFunctions,
	itemIndex: number,
	requested: number,
	amounts: PaymentAmounts,
	action: 'capture' | 'refund',
): void {
	if (requested <= amounts.remaining) return;
	const left = formatAmount(amounts.remaining, amounts.currency);
	throw new NodeOperationError(
		context.getNode(),
		`Cannot ${action} ${formatAmount(requested, amounts.currency)}: only ${left} ${action === 'refund' ? 'is left to refund' : 'was authorised'}`,
		{ itemIndex, description: 'Nothing was sent to KOMOJU. Lower the amount, or choose the full amount.' },
	);
}
