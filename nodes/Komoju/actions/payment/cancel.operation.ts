import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { idempotencyKeyFor, readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { apiPath, komojuApiRequest } from '../../transport';
import { paymentIdField, readPaymentId } from './payment.shared';

const properties: INodeProperties[] = [paymentIdField, requestOptionsCollection([], { idempotency: true })];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['cancel'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const options = readOptions(this, itemIndex);
	const payment = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('payments', readPaymentId(this, itemIndex), 'cancel'),
			body: {},
			idempotencyKey: idempotencyKeyFor(this, options, itemIndex, scope),
		},
		requestSettings(this, options, itemIndex),
	);
	return payment;
}
