import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import { apiPath, komojuApiRequest } from '../../transport';
import {
	cardSourceProperties,
	customerFieldOptions,
	customerIdField,
	readCardSource,
	readCustomerFields,
	readCustomerId,
} from './customer.shared';

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['update'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
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
		requestSettings(this, readOptions(this, itemIndex), itemIndex),
	);
	return customer;
}
