import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { requestOptionsCollection } from '../options.shared';
import { listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../list.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Get Many',
	description: 'List customers, filtered by creation time or card expiry; one item per customer',
	action: 'Get many customers',
};

export const properties: INodeProperties[] = [
	...listProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Card Expiry (MMYY)',
				name: 'expiration',
				type: 'string',
				default: '',
				placeholder: '0830',
				description: 'Only customers whose stored card expires in this month, e.g. 0830 for August 2030',
			},
			...timeRangeFilters,
		],
	},
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const { itemIndex } = item;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = timeRangeQuery.call(this, itemIndex, filters);
	const expiration = String(filters.expiration ?? '').trim();
	if (expiration !== '') {
		if (!/^(0[1-9]|1[0-2])\d{2}$/.test(expiration)) {
			throw new NodeOperationError(this.getNode(), `Card Expiry must be MMYY, such as 0830, got "${expiration.slice(0, 20)}"`, {
				itemIndex,
			});
		}
		qs.expiration = expiration;
	}
	return await listObjects.call(this, item, 'customers', qs);
}
