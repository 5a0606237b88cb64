import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { requestOptionsCollection } from '../common.descriptions';
import { listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../shared/list.descriptions';

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return await listObjects.call(this, itemIndex, 'events', timeRangeQuery.call(this, itemIndex, filters));
}
