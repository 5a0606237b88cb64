import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { maximumAmountOptions, requestOptionsCollection } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { scrubCardData } from '../../helpers/redact';
import { apiPath, komojuApiRequest } from '../../transport';
import { amountChoiceProperties, paymentIdField, prepareMoneyMovement } from './payment.shared';

const properties: INodeProperties[] = [
	paymentIdField,
	...amountChoiceProperties('capture', 'Capture', {
		full: 'Take everything that was authorised',
		partial: 'Take less; the rest is released',
		limit: 'at most the authorised amount',
	}),
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['capture'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const { paymentId, amount, settings, idempotencyKey } = await prepareMoneyMovement.call(this, itemIndex, scope, 'capture');
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
