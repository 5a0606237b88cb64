import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardSourceProperties, customerFieldOptions, readCardSource, readCustomerFields } from './customer.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Create',
	description:
		'Save a card on a new KOMOJU customer, for later payments with Payment Source "Saved Customer". Needs a one-time token ID (recommended) or card number and expiry. Moves no money.',
	action: 'Create a customer',
};

export const properties: INodeProperties[] = [
	...cardSourceProperties(),
	{
		displayName: 'Customer Fields',
		name: 'customerFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: customerFieldOptions,
	},
	requestOptionsCollection([], { idempotency: true }),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const body: IDataObject = {
		payment_details: readCardSource.call(this, itemIndex),
		...readCustomerFields.call(this, itemIndex, this.getNodeParameter('customerFields', itemIndex, {}) as IDataObject),
	};
	const customer = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('customers'), body, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	return customer;
}
