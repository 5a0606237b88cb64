import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requestOptionsCollection } from '../options.shared';
import { listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../list.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Get Many',
	description:
		'List KOMOJU events (what happened to payments, customers…), newest first, optionally within a time range; one item per event. Read-only.',
	action: 'Get many events',
};

export const properties: INodeProperties[] = [
	...listProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: timeRangeFilters,
	},
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const { itemIndex } = item;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return await listObjects.call(this, item, 'events', timeRangeQuery.call(this, itemIndex, filters));
}
