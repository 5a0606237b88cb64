import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { filtersCollection, listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../list.shared';
import type { ItemContext, Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';
import { balanceCurrencyField, readBalanceCurrency } from '../balance/balance.shared';

export const option: Operation['option'] = {
	name: 'Get Many',
	description:
		'List the transactions of your KOMOJU balance in one currency (payments, fees, refunds, payouts…), newest first, optionally by type or time; one item per transaction. Read-only.',
	action: 'Get many balance transactions',
};

export const properties: INodeProperties[] = [
	balanceCurrencyField,
	...listProperties,
	filtersCollection([
		{
			displayName: 'Type',
			name: 'type',
			type: 'string',
			default: '',
			placeholder: 'e.g. payment',
			description: 'Only transactions of this type, as KOMOJU names it in their type field (payment, fee, refund…)',
		},
		...timeRangeFilters,
	]),
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const { itemIndex } = item;
	const currency = readBalanceCurrency(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs = timeRangeQuery.call(this, itemIndex, filters);
	const type = String(filters.type ?? '').trim();
	if (type !== '') qs.type = type;
	return await listObjects.call(this, item, ['balances', currency, 'transactions'], qs);
}
