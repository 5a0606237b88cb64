import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idProperty, readId } from '../fields.shared';
import type { ItemContext, Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequestArray } from '../../transport';
import { balanceCurrencyField, readBalanceCurrency } from '../balance/balance.shared';

export const option: Operation['option'] = {
	name: 'Get',
	description:
		'Get one balance transaction by ID and currency: its line items (type, amount_cents, happened_at), one item each. Read-only.',
	action: 'Get a balance transaction',
};

export const properties: INodeProperties[] = [
	balanceCurrencyField,
	idProperty('transactionId', 'Transaction ID', 'The ID of the balance transaction, e.g. {{ $json.id }} after Balance Transaction → Get Many'),
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const { itemIndex } = item;
	const currency = readBalanceCurrency(this, itemIndex);
	const id = readId(this, itemIndex, 'transactionId', 'Transaction ID');
	// KOMOJU answers a transaction lookup with a bare array: one entry per line item.
	return await komojuApiRequestArray.call(this, { method: 'GET', path: apiPath('balances', currency, 'transactions', id) }, item.settings);
}
