import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	idempotencyKeyFor,
	maximumAmountOptions,
	readMaximumAmount,
	readOptions,
	requestOptionsCollection,
	requestSettings,
} from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { enforceMaximumAmount, requireAmountIn } from '../../helpers/money';
import { scrubCardData } from '../../helpers/redact';
import { apiPath, komojuApiRequest } from '../../transport';
import { amountsOf, fetchPayment, paymentIdField, readPaymentId, requireWithinRemaining } from './payment.shared';

const properties: INodeProperties[] = [
	paymentIdField,
	{
		displayName: 'Refund',
		name: 'refundType',
		type: 'options',
		default: 'full',
		options: [
			{ name: 'Full Amount', value: 'full', description: 'Return everything not refunded yet' },
			{ name: 'Partial Amount', value: 'partial', description: 'Return part of it; the payment stays captured' },
		],
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'In the payment currency’s smallest unit; at most what is left to refund',
		displayOptions: { show: { refundType: ['partial'] } },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'Why the money is returned, stored on the refund',
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['refund'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const node = this.getNode();
	const paymentId = readPaymentId(this, itemIndex);
	const options = readOptions(this, itemIndex);
	const settings = requestSettings(this, options, itemIndex);
	const partial = this.getNodeParameter('refundType', itemIndex, 'full') === 'partial';
	const amount = partial
		? requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), undefined, 'Amount', 1)
		: undefined;
	const reason = String(this.getNodeParameter('description', itemIndex, '')).trim();
	const maximum = readMaximumAmount(this, options, itemIndex);
	const idempotencyKey = idempotencyKeyFor(this, options, itemIndex, scope);

	// With a maximum set, the node must know how much this refund returns, in which currency.
	if (maximum) {
		const amounts = amountsOf(await fetchPayment.call(this, paymentId, settings), 'refund');
		if (amount !== undefined) requireWithinRemaining(this, itemIndex, amount, amounts, 'refund');
		enforceMaximumAmount(node, itemIndex, maximum, amount ?? amounts.remaining, amounts.currency, 'refund');
	}
	const body: IDataObject = {};
	if (amount !== undefined) body.amount = amount;
	if (reason) body.description = reason;
	const payment = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('payments', paymentId, 'refund'), body, idempotencyKey },
		settings,
	);
	return scrubCardData(payment);
}
