import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireDateTime, requireWholeNumber } from '../helpers/validation';
import { apiPath, komojuApiRequestAllItems } from '../transport';
import type { ItemContext } from './operation';

/** "Return All" and "Limit", as every n8n Get Many has them. */
export const listProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many objects to return: undefined for all. */
export function readListLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return requireWholeNumber(this.getNode(), itemIndex, this.getNodeParameter('limit', itemIndex, 50), 'Limit', 1, 1_000_000);
}

/** KOMOJU's time filters (`start_time`, `end_time`, inclusive) as UI fields. */
export const timeRangeFilters: INodeProperties[] = [
	{
		displayName: 'Created After',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description: 'Only objects created at or after this time',
	},
	{
		displayName: 'Created Before',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Only objects created at or before this time',
	},
];

/** The time filters as KOMOJU's query parameters (ISO 8601, UTC, whole seconds). */
export function timeRangeQuery(
	this: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
): IDataObject {
	const query: IDataObject = {};
	for (const [field, param, label] of [
		['startTime', 'start_time', 'Created After'],
		['endTime', 'end_time', 'Created Before'],
	] as const) {
		const value = filters[field];
		if (value === undefined || value === null || value === '') continue;
		query[param] = requireDateTime(this.getNode(), itemIndex, value, label);
	}
	return query;
}

/**
 * What every Get Many does with its filters turned into `qs`: reads KOMOJU's list at `resource`
 * up to the item's Limit (or all), one output object per listed object (the router scrubs them).
 */
export async function listObjects(
	this: IExecuteFunctions,
	item: ItemContext,
	resource: string,
	qs: IDataObject,
): Promise<IDataObject[]> {
	return await komojuApiRequestAllItems.call(
		this,
		{ method: 'GET', path: apiPath(resource), qs },
		item.settings,
		readListLimit.call(this, item.itemIndex),
	);
}
