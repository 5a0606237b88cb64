import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { amountField, currencyField, metadataField, readId, readMetadata } from '../fields.shared';
import { maximumAmountOptions, readMaximumAmount, requestOptionsCollection } from '../options.shared';
import { enforceMaximumAmount, requireAmountIn } from '../../helpers/money';
import { describeValue, requireCurrency } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import type { ItemContext, Operation } from '../operation';

const PERIODS = ['weekly', 'monthly', 'yearly'];

export const option: Operation['option'] = {
	name: 'Create',
	description:
		'MOVES MONEY: charge a saved customer’s card the Amount every week, month or year until the subscription is deleted. A subscription cannot be changed: delete it and create a new one.',
	action: 'Create a subscription',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of a KOMOJU customer with a saved card (Customer → Create); that card is charged every period',
	},
	{ ...amountField, description: 'Charged every period, in the currency’s smallest unit: 1000 JPY is ¥1000, 1000 USD is $10.00' },
	currencyField,
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		default: 'monthly',
		options: [
			{ name: 'Weekly', value: 'weekly', description: 'Every week, on the weekday it was created' },
			{ name: 'Monthly', value: 'monthly', description: 'Every month, on the day of the month it was created' },
			{ name: 'Yearly', value: 'yearly', description: 'Every year, on the day it was created' },
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [metadataField],
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const node = this.getNode();
	const customer = readId(this, itemIndex, 'customerId', 'Customer ID');
	const currency = requireCurrency(node, itemIndex, this.getNodeParameter('currency', itemIndex));
	// A charge of nothing every period is never what is meant.
	const amount = requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), currency, 'Amount', 1);
	const period = requirePeriod(this, itemIndex);
	const { metadata } = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { customer, amount, currency, period };
	if (metadata !== undefined) body.metadata = readMetadata(this, itemIndex, metadata);
	// Each charge is Amount: KOMOJU's subscription has no tax field.
	enforceMaximumAmount(node, itemIndex, readMaximumAmount(node, item), amount, currency, 'subscription charge');

	const subscription = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('subscriptions'), body, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	return subscription;
}

function requirePeriod(context: IExecuteFunctions, itemIndex: number): string {
	const period = context.getNodeParameter('period', itemIndex, 'monthly');
	if (typeof period === 'string' && PERIODS.includes(period)) return period;
	throw new NodeOperationError(context.getNode(), `Period must be weekly, monthly or yearly, got ${describeValue(period)}`, { itemIndex });
}
