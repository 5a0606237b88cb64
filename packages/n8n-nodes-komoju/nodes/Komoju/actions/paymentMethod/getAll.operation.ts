import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { KOMOJU_CURRENCIES, requireCurrency } from '../../helpers/validation';
import { apiPath, komojuApiRequestArray } from '../../transport';
import type { ItemContext, Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';

export const option: Operation['option'] = {
	name: 'Get Many',
	description:
		'List the payment methods enabled for your KOMOJU account, one item per method and currency, with names in English and Japanese. Read-only.',
	action: 'Get many payment methods',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'options',
				default: 'JPY',
				options: KOMOJU_CURRENCIES.map((code) => ({ name: code, value: code })),
				description: 'Only the methods enabled for this currency',
			},
		],
	},
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const filters = this.getNodeParameter('filters', item.itemIndex, {}) as IDataObject;
	const currency = filters.currency === undefined ? undefined : requireCurrency(this.getNode(), item.itemIndex, filters.currency);
	// KOMOJU's endpoint takes no filter and answers every method at once.
	const methods = await komojuApiRequestArray.call(this, { method: 'GET', path: apiPath('payment_methods') }, item.settings);
	return currency ? methods.filter((method) => method.currency === currency) : methods;
}
