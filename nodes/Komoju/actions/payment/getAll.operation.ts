import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { KOMOJU_CURRENCIES, requestOptionsCollection } from '../common.descriptions';
import { requireCurrency } from '../../helpers/validation';
import { listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../shared/list.descriptions';

export const PAYMENT_STATUSES = ['pending', 'authorized', 'captured', 'refunded', 'cancelled', 'expired', 'failed'];

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = this.getNode();
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = timeRangeQuery.call(this, itemIndex, filters);
	if (filters.currency) qs.currency = requireCurrency(node, itemIndex, filters.currency);
	if (filters.externalOrderNum) qs.external_order_num = String(filters.externalOrderNum).trim();
	const statuses = filters.status as string[] | undefined;
	if (statuses?.length) qs.status = statuses.join(',');
	return await listObjects.call(this, itemIndex, 'payments', qs);
}
