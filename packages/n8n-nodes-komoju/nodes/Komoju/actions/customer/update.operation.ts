import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest } from '../../transport';
import {
	cardSourceProperties,
	customerFieldOptions,
	customerIdField,
	readCardSource,
	readCustomerFields,
	readCustomerId,
} from './customer.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Update',
	description:
		'Change a customer’s email, currency or metadata, or replace the stored card, by customer ID. Moves no money.',
	action: 'Update a customer',
};

export const properties: INodeProperties[] = [
	customerIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Each field added replaces the stored one; Metadata is replaced as a whole',
		options: customerFieldOptions,
	},
	{
		displayName: 'Replace Card',
		name: 'replaceCard',
		type: 'boolean',
		default: false,
		description: 'Whether to store a new card on the customer in place of the old one',
	},
	...cardSourceProperties({ replaceCard: [true] }),
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const customerId = readCustomerId(this, itemIndex);
	const body = readCustomerFields.call(this, itemIndex, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	if (this.getNodeParameter('replaceCard', itemIndex, false) as boolean) {
		body.payment_details = readCardSource.call(this, itemIndex);
	}
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Add a field to update, or turn on Replace Card', { itemIndex });
	}
	const customer = await komojuApiRequest.call(
		this,
		{ method: 'PATCH', path: apiPath('customers', customerId), body },
		item.settings,
	);
	return customer;
}
