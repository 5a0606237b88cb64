import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maximumAmountOptions, requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest } from '../../transport';
import { amountChoiceProperties, paymentIdField, prepareMoneyMovement } from './payment.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Refund',
	description: 'MOVES MONEY: return all or part of a captured payment to the customer',
	action: 'Refund a payment',
};

export const properties: INodeProperties[] = [
	paymentIdField,
	...amountChoiceProperties('refund', 'Refund', {
		full: 'Return everything not refunded yet, tax included',
		partial: 'Return part of it; the payment stays captured',
		limit: 'tax included, at most what is left to refund',
	}),
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		description: 'Why the money is returned, stored on the refund',
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { paymentId, amount } = await prepareMoneyMovement.call(this, item, 'refund');
	const reason = String(this.getNodeParameter('description', item.itemIndex, '')).trim();
	const body: IDataObject = {};
	if (amount !== undefined) body.amount = amount;
	if (reason) body.description = reason;
	const payment = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('payments', paymentId, 'refund'),
			body,
			idempotencyKey: item.idempotencyKey,
		},
		item.settings,
	);
	return payment;
}
