import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { amountField, currencyField } from '../fields.shared';
import { requestOptionsCollection } from '../options.shared';
import { normaliseSecureToken } from '../../helpers/mappers';
import { requireAmountIn } from '../../helpers/money';
import { requireCurrency, requireHttpUrl, requireId } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardProperties, readCardDetails } from '../card.shared';
import type { ItemContext, Operation } from '../operation';

const cardOnly = { show: { paymentSource: ['card'] } };

export const option: Operation['option'] = {
	name: 'Create',
	description:
		'Start 3D Secure authentication for a card or a saved customer; returns the authentication_url to send the customer to. Moves no money.',
	action: 'Create a secure token',
};

export const properties: INodeProperties[] = [
	amountField,
	currencyField,
	{
		displayName: 'Return URL',
		name: 'returnUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://shop.example.com/3ds/return',
		description:
			'Where KOMOJU sends the customer after authentication, with secure_token_id added to the query. To continue this workflow, use a Wait node’s resume URL: {{ $execution.resumeUrl }}.',
	},
	{
		displayName: 'Payment Source',
		name: 'paymentSource',
		type: 'options',
		default: 'customer',
		options: [
			{
				name: 'Card Details',
				value: 'card',
				description:
					'Send the card number through n8n. This puts the n8n instance in PCI DSS scope and stores card numbers in execution data.',
			},
			{
				name: 'Saved Customer',
				value: 'customer',
				description: 'Use the card stored on a KOMOJU customer. Recommended: no card data passes through n8n.',
			},
		],
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. c1a2b3c4d5e6f7g8h9i0j1k2l',
		description: 'ID of a KOMOJU customer with a saved card',
		displayOptions: { show: { paymentSource: ['customer'] } },
	},
	...cardProperties(cardOnly),
	requestOptionsCollection([], { idempotency: true }),
];

function paymentSourceFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const source = this.getNodeParameter('paymentSource', itemIndex) as string;
	if (source === 'customer') {
		return { customer: requireId(node, itemIndex, this.getNodeParameter('customerId', itemIndex), 'Customer ID') };
	}
	return { payment_details: readCardDetails.call(this, itemIndex) };
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const node = this.getNode();
	const currency = requireCurrency(node, itemIndex, this.getNodeParameter('currency', itemIndex));
	const body: IDataObject = {
		currency,
		amount: requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), currency),
		return_url: requireHttpUrl(node, itemIndex, this.getNodeParameter('returnUrl', itemIndex), 'Return URL'),
		...paymentSourceFields.call(this, itemIndex),
	};
	const settings = item.settings;
	const idempotencyKey = item.idempotencyKey;

	const token = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('secure_tokens'), body, idempotencyKey },
		settings,
	);
	return normaliseSecureToken(token);
}
