import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { idempotencyKeyFor, readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardSourceProperties, customerFieldOptions, readCardSource, readCustomerFields } from './customer.shared';

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const options = readOptions(this, itemIndex);
	const body: IDataObject = {
		payment_details: readCardSource.call(this, itemIndex),
		...readCustomerFields.call(this, itemIndex, this.getNodeParameter('customerFields', itemIndex, {}) as IDataObject),
	};
	const customer = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('customers'), body, idempotencyKey: idempotencyKeyFor(this, options, itemIndex, scope) },
		requestSettings(this, options, itemIndex),
	);
	return customer;
}
