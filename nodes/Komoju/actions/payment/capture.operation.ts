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
		displayName: 'Capture',
		name: 'captureType',
		type: 'options',
		default: 'full',
		options: [
			{ name: 'Full Amount', value: 'full', description: 'Take everything that was authorised' },
			{ name: 'Partial Amount', value: 'partial', description: 'Take less; the rest is released' },
		],
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'In the payment currency’s smallest unit; at most the authorised amount',
		displayOptions: { show: { captureType: ['partial'] } },
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['capture'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const node = this.getNode();
	const paymentId = readPaymentId(this, itemIndex);
	const options = readOptions(this, itemIndex);
	const settings = requestSettings(this, options, itemIndex);
	const partial = this.getNodeParameter('captureType', itemIndex, 'full') === 'partial';
	const amount = partial
		? requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), undefined, 'Amount', 1)
		: undefined;
	const maximum = readMaximumAmount(this, options, itemIndex);
	const idempotencyKey = idempotencyKeyFor(this, options, itemIndex, scope);

	// With a maximum set, the node must know how much this capture takes, in which currency.
	if (maximum) {
		const amounts = amountsOf(await fetchPayment.call(this, paymentId, settings), 'capture');
		if (amount !== undefined) requireWithinRemaining(this, itemIndex, amount, amounts, 'capture');
		enforceMaximumAmount(node, itemIndex, maximum, amount ?? amounts.remaining, amounts.currency, 'capture');
	}
	const payment = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('payments', paymentId, 'capture'),
			body: amount === undefined ? {} : { amount },
			idempotencyKey,
		},
		settings,
	);
	return scrubCardData(payment);
}
