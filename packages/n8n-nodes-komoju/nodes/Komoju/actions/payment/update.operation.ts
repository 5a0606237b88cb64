import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { metadataField, readMetadata } from '../fields.shared';
import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest } from '../../transport';
import { paymentIdField, readPaymentId } from './payment.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Update',
	description: 'Change a payment’s description or metadata; moves no money',
	action: 'Update a payment',
};

export const properties: INodeProperties[] = [
	paymentIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'KOMOJU lets a payment’s description and metadata change; nothing else',
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ ...metadataField, description: 'Replaces the payment’s whole metadata with these pairs' },
		],
	},
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const paymentId = readPaymentId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.description !== undefined) body.description = String(fields.description);
	if (fields.metadata !== undefined) body.metadata = readMetadata(this, itemIndex, fields.metadata);
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Add a field to update: Description or Metadata', { itemIndex });
	}
	const payment = await komojuApiRequest.call(
		this,
		{ method: 'PATCH', path: apiPath('payments', paymentId), body },
		item.settings,
	);
	return payment;
}
