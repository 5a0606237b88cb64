import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import { scrubCardData } from '../../helpers/redact';
import { apiPath, komojuApiRequestAllItems } from '../../transport';
import { listProperties, readListLimit, timeRangeFilters, timeRangeQuery } from '../shared/list.descriptions';

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
	const events = await komojuApiRequestAllItems.call(
		this,
		{ method: 'GET', path: apiPath('events'), qs: timeRangeQuery.call(this, itemIndex, filters) },
		requestSettings(this, readOptions(this, itemIndex), itemIndex),
		readListLimit.call(this, itemIndex),
	);
	return events.map((event) => scrubCardData(event));
}
