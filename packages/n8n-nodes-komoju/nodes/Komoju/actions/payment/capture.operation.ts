import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maximumAmountOptions, requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest } from '../../transport';
import { amountChoiceProperties, paymentIdField, prepareMoneyMovement, taxProperties } from './payment.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Capture',
	description:
		'MOVES MONEY: take an authorized payment, in full or in part. Only authorized payments can be captured.',
	action: 'Capture a payment',
};

export const properties: INodeProperties[] = [
	paymentIdField,
	...amountChoiceProperties('capture', 'Capture', {
		full: 'Take everything that was authorized, tax included',
		partial: 'Take less; the rest is released',
		limit: 'before tax, at most the authorized amount',
	}),
	...taxProperties({ captureType: ['partial'] }),
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { paymentId, amount, tax } = await prepareMoneyMovement.call(this, item, 'capture');
	const payment = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('payments', paymentId, 'capture'),
			body: amount === undefined ? {} : { amount, tax },
			idempotencyKey: item.idempotencyKey,
		},
		item.settings,
	);
	return payment;
}
