import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ItemContext, Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest } from '../../transport';
import { balanceCurrencyField, readBalanceCurrency } from './balance.shared';

export const option: Operation['option'] = {
	name: 'Get',
	description:
		'Get what KOMOJU holds for you in one currency (total_balance_cents, in its smallest unit) and the totals of payments, refunds and corrections not settled yet. Read-only.',
	action: 'Get a balance',
};

export const properties: INodeProperties[] = [balanceCurrencyField, requestOptionsCollection()];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const currency = readBalanceCurrency(this, item.itemIndex);
	return await komojuApiRequest.call(this, { method: 'GET', path: apiPath('balances', currency) }, item.settings);
}
