import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requestOptionsCollection } from '../options.shared';
import { KOMOJU_CURRENCIES, requireCurrency } from '../../helpers/validation';
import { listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../list.shared';
import type { ItemContext, Operation } from '../operation';

export const PAYMENT_STATUSES = ['pending', 'authorized', 'captured', 'refunded', 'cancelled', 'expired', 'failed'];

export const option: Operation['option'] = {
	name: 'Get Many',
	description:
		'List payments, newest first, filtered by status, currency, order number or time; one item per payment',
	action: 'Get many payments',
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
			...timeRangeFilters,
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'options',
				default: 'JPY',
				options: KOMOJU_CURRENCIES.map((code) => ({ name: code, value: code })),
			},
			{ displayName: 'External Order Number', name: 'externalOrderNum', type: 'string', default: '' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: PAYMENT_STATUSES.map((status) => ({ name: status[0].toUpperCase() + status.slice(1), value: status })),
				description: 'Only payments in one of these statuses',
			},
		],
	},
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const { itemIndex } = item;
	const node = this.getNode();
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = timeRangeQuery.call(this, itemIndex, filters);
	if (filters.currency) qs.currency = requireCurrency(node, itemIndex, filters.currency);
	if (filters.externalOrderNum) qs.external_order_num = String(filters.externalOrderNum).trim();
	const statuses = filters.status as string[] | undefined;
	if (statuses?.length) qs.status = statuses.join(',');
	return await listObjects.call(this, item, 'payments', qs);
}
