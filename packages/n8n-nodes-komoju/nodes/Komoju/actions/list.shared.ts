import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireDateTime, requireWholeNumber } from '../helpers/validation';
import { apiPath, komojuApiRequestAllItems } from '../transport';
import type { ItemContext, Operation } from './operation';
import { requestOptionsCollection } from './options.shared';

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

/** A date-time filter: its field in the Filters collection, KOMOJU's query parameter, its label. */
export type DateTimeFilter = readonly [field: string, param: string, label: string];

const TIME_RANGE: DateTimeFilter[] = [
	['startTime', 'start_time', 'Created After'],
	['endTime', 'end_time', 'Created Before'],
];

/** Date-time filters that were set, as KOMOJU's query parameters (ISO 8601, UTC, whole seconds). */
export function dateTimeQuery(
	this: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
	fields: readonly DateTimeFilter[],
): IDataObject {
	const query: IDataObject = {};
	for (const [field, param, label] of fields) {
		const value = filters[field];
		if (value === undefined || value === null || value === '') continue;
		query[param] = requireDateTime(this.getNode(), itemIndex, value, label);
	}
	return query;
}

/** The time filters as KOMOJU's query parameters. */
export function timeRangeQuery(
	this: IExecuteFunctions,
	itemIndex: number,
	filters: IDataObject,
): IDataObject {
	return dateTimeQuery.call(this, itemIndex, filters, TIME_RANGE);
}

/**
 * What every Get Many does with its filters turned into `qs`: reads KOMOJU's list at `resource`
 * (a path below /api/v1, as its segments when it has several, e.g. `['balances', 'JPY', 'transactions']`)
 * up to the item's Limit (or all), one output object per listed object (the router scrubs them).
 */
export async function listObjects(
	this: IExecuteFunctions,
	item: ItemContext,
	resource: string | string[],
	qs: IDataObject,
): Promise<IDataObject[]> {
	return await komojuApiRequestAllItems.call(
		this,
		{ method: 'GET', path: apiPath(...[resource].flat()), qs },
		item.settings,
		readListLimit.call(this, item.itemIndex),
	);
}

/** A Get Many's Filters collection. */
export function filtersCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add Filter', default: {}, options };
}

/** A Get Many filtered by creation time only, e.g. of subscriptions or settlements at `resource`. */
export function timeRangeListOperation(option: Operation['option'], resource: string): Operation {
	return {
		option,
		properties: [...listProperties, filtersCollection(timeRangeFilters), requestOptionsCollection()],
		async execute(this: IExecuteFunctions, item: ItemContext) {
			const filters = this.getNodeParameter('filters', item.itemIndex, {}) as IDataObject;
			return await listObjects.call(this, item, resource, timeRangeQuery.call(this, item.itemIndex, filters));
		},
	};
}
