import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { amountField, currencyField, localeField, metadataField, readMetadata, tokenIdProperty } from '../fields.shared';
import { maximumAmountOptions, readMaximumAmount, requestOptionsCollection } from '../options.shared';
import { toSnakeCaseFields } from '../../helpers/mappers';
import { enforceMaximumAmount, requireAmountIn, totalCeiling } from '../../helpers/money';
import { requireCurrency, requireHttpUrl, requireId } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardProperties, readCardDetails } from '../card.shared';
import { paymentMethodProperties, readMethodPaymentDetails } from '../paymentMethod.shared';
import { paymentMethodSpec } from '../../helpers/payment-methods';
import { readTax, taxProperties } from './payment.shared';
import type { ItemContext, Operation } from '../operation';

const showFor = (source: string) => ({ show: { paymentSource: [source] } });

export const option: Operation['option'] = {
	name: 'Create',
	description:
		'MOVES MONEY: charge a verified secure token, a token, a saved customer or a card. With Capture off, only authorizes.',
	action: 'Create a payment',
};

export const properties: INodeProperties[] = [
	amountField,
	currencyField,
	...taxProperties(),
	{
		displayName: 'Payment Source',
		name: 'paymentSource',
		type: 'options',
		default: 'secureToken',
		options: [
			{
				name: 'Card Details',
				value: 'card',
				description: 'Send the card number through n8n (puts the n8n instance in PCI DSS scope)',
			},
			{
				name: 'Other Payment Method',
				value: 'method',
				description: 'Konbini, bank transfer, Pay-easy, PayPay and the other methods enabled for your KOMOJU account',
			},
			{ name: 'Saved Customer', value: 'customer', description: 'The card stored on a KOMOJU customer' },
			{
				name: 'Secure Token',
				value: 'secureToken',
				description: 'A 3D Secure token whose verification_status is OK or SKIPPED; same amount and currency as when it was created',
			},
			{ name: 'Token', value: 'token', description: 'A one-time card token from Token → Create or KOMOJU’s own fields' },
		],
	},
	tokenIdProperty(
		'secureTokenId',
		'Secure Token',
		'The ID of a verified secure token, usually from Secure Token → Get',
		showFor('secureToken'),
	),
	tokenIdProperty('tokenId', 'Token', 'The ID of a one-time token (used once, valid for 24 hours)', showFor('token')),
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of a KOMOJU customer with a saved card',
		displayOptions: showFor('customer'),
	},
	...cardProperties(showFor('card')),
	...paymentMethodProperties(),
	{
		displayName: 'Capture',
		name: 'capture',
		type: 'boolean',
		default: true,
		description:
			'Whether to take the money now. Off: the card is only authorized, and Payment → Capture (or Cancel) decides later.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{
				displayName: 'External Order Number',
				name: 'externalOrderNum',
				type: 'string',
				default: '',
				description:
					'Your order number, searchable in Payment → Get Many. KOMOJU refuses a number it has seen on another payment of this account, so use each order number once.',
			},
			{
				displayName: 'Fraud Details',
				name: 'fraudDetails',
				type: 'collection',
				placeholder: 'Add Detail',
				default: {},
				description:
					'What the shop knows about the buyer, for KOMOJU’s fraud checks. Once any detail is given, KOMOJU needs Customer IP and Customer Email too.',
				options: [
					{ displayName: 'Browser Language', name: 'browserLanguage', type: 'string', default: '' },
					{ displayName: 'Browser User Agent', name: 'browserUserAgent', type: 'string', default: '' },
					{ displayName: 'Customer Email', name: 'customerEmail', type: 'string', placeholder: 'name@email.com', default: '' },
					{ displayName: 'Customer IP', name: 'customerIp', type: 'string', default: '' },
				],
			},
			localeField,
			metadataField,
			{
				displayName: 'Return URL',
				name: 'returnUrl',
				type: 'string',
				default: '',
				description: 'Where KOMOJU sends the customer after an offsite step',
			},
		],
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

function paymentSourceFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const source = this.getNodeParameter('paymentSource', itemIndex) as string;
	const byId = (name: string, label: string) =>
		requireId(node, itemIndex, this.getNodeParameter(name, itemIndex, '', { extractValue: true }), label);
	switch (source) {
		case 'secureToken':
			return { payment_details: byId('secureTokenId', 'Secure Token') };
		case 'token':
			return { payment_details: byId('tokenId', 'Token') };
		case 'customer':
			return { customer: byId('customerId', 'Customer ID') };
		case 'method':
			return { payment_details: readMethodPaymentDetails.call(this, itemIndex) };
		default:
			return { payment_details: readCardDetails.call(this, itemIndex) };
	}
}

/** A method the customer approves on another site sends them back to the Return URL, so it needs one. */
function requireReturnUrlForRedirect(this: IExecuteFunctions, itemIndex: number, body: IDataObject): void {
	const details = body.payment_details as IDataObject | undefined;
	if (typeof details !== 'object' || body.return_url) return;
	const method = paymentMethodSpec(String(details.type));
	if (method?.flow !== 'redirect') return;
	throw new NodeOperationError(this.getNode(), `${method.name} needs a Return URL`, {
		itemIndex,
		description:
			'The customer approves the payment on the method’s own page and is sent back to the Return URL (Additional Fields). To continue this workflow there, use a Wait node’s resume URL: {{ $execution.resumeUrl }}.',
	});
}

/** Once fraud details are sent, KOMOJU requires the customer's IP and email in them. */
function readFraudDetails(this: IExecuteFunctions, itemIndex: number, value: IDataObject): IDataObject {
	const details = toSnakeCaseFields(value);
	for (const [field, label] of [
		['customer_ip', 'Customer IP'],
		['customer_email', 'Customer Email'],
	]) {
		const given = details[field];
		if (typeof given === 'string' && given.trim() !== '') {
			details[field] = given.trim();
			continue;
		}
		throw new NodeOperationError(this.getNode(), `Fraud Details need ${label}`, {
			itemIndex,
			description: 'KOMOJU requires Customer IP and Customer Email once any fraud detail is sent. Add both, or remove Fraud Details.',
		});
	}
	return details;
}

function additionalBody(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const { metadata, fraudDetails, returnUrl, ...plain } = this.getNodeParameter(
		'additionalFields',
		itemIndex,
		{},
	) as IDataObject;
	const body = toSnakeCaseFields(plain);
	if (metadata !== undefined) body.metadata = readMetadata(this, itemIndex, metadata);
	if (fraudDetails !== undefined) body.fraud_details = readFraudDetails.call(this, itemIndex, fraudDetails as IDataObject);
	if (returnUrl) body.return_url = requireHttpUrl(node, itemIndex, returnUrl, 'Return URL');
	return body;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const node = this.getNode();
	const currency = requireCurrency(node, itemIndex, this.getNodeParameter('currency', itemIndex));
	const amount = requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), currency);
	const tax = readTax(this, itemIndex, currency);
	const body: IDataObject = {
		amount,
		currency,
		tax,
		...paymentSourceFields.call(this, itemIndex),
		capture: this.getNodeParameter('capture', itemIndex, true) as boolean,
		...additionalBody.call(this, itemIndex),
	};
	if (tax !== 0 && this.getNodeParameter('paymentSource', itemIndex) === 'secureToken') {
		throw new NodeOperationError(node, 'Tax must be None when paying with a secure token', {
			itemIndex,
			description:
				'The customer approved the secure token’s amount in 3D Secure, and that is what is charged. Put any tax into the secure token’s Amount when creating it (e.g. 1100 for ¥1,000 plus 10 %), then pay that Amount with Tax: None.',
		});
	}
	requireReturnUrlForRedirect.call(this, itemIndex, body);
	enforceMaximumAmount(node, itemIndex, readMaximumAmount(node, item), totalCeiling(amount, tax), currency, 'payment');

	const payment = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('payments'), body, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	return payment;
}
