import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { maximumAmountOptions, requestOptionsCollection } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { apiPath, komojuApiRequest } from '../../transport';
import { amountChoiceProperties, paymentIdField, prepareMoneyMovement, taxProperties } from './payment.shared';

const properties: INodeProperties[] = [
	paymentIdField,
	...amountChoiceProperties('capture', 'Capture', {
		full: 'Take everything that was authorized, tax included',
		partial: 'Take less; the rest is released',
		limit: 'before tax, at most the authorized amount',
	}),
	...taxProperties({ captureType: ['partial'] }),
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['capture'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const { paymentId, amount, tax, settings, idempotencyKey } = await prepareMoneyMovement.call(this, itemIndex, scope, 'capture');
	const payment = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('payments', paymentId, 'capture'),
			body: amount === undefined ? {} : { amount, tax },
			idempotencyKey,
		},
		settings,
	);
	return payment;
}
