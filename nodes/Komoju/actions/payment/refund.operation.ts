import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { maximumAmountOptions, requestOptionsCollection } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { apiPath, komojuApiRequest } from '../../transport';
import { amountChoiceProperties, paymentIdField, prepareMoneyMovement } from './payment.shared';

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['refund'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const { paymentId, amount, settings, idempotencyKey } = await prepareMoneyMovement.call(this, itemIndex, scope, 'refund');
	const reason = String(this.getNodeParameter('description', itemIndex, '')).trim();
	const body: IDataObject = {};
	if (amount !== undefined) body.amount = amount;
	if (reason) body.description = reason;
	const payment = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('payments', paymentId, 'refund'),
			body,
			idempotencyKey,
		},
		settings,
	);
	return payment;
}
