import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	amountField,
	currencyField,
	idempotencyKeyFor,
	localeField,
	maximumAmountOptions,
	metadataField,
	readMaximumAmount,
	readMetadata,
	readOptions,
	requestOptionsCollection,
	requestSettings,
	tokenIdProperty,
} from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { toSnakeCaseFields } from '../../helpers/mappers';
import { enforceMaximumAmount, requireAmountIn } from '../../helpers/money';
import { scrubCardData } from '../../helpers/redact';
import { requireCurrency, requireHttpUrl, requireId } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardProperties, readCardDetails } from '../shared/card.descriptions';

const showFor = (source: string) => ({ show: { paymentSource: [source] } });

const properties: INodeProperties[] = [
	amountField,
	currencyField,
	{
		displayName: 'Payment Source',
		name: 'paymentSource',
		type: 'options',
		default: 'secureToken',
		options: [
			{
				name: 'Secure Token',
				value: 'secureToken',
				description: 'A 3D Secure token whose verification_status is OK or SKIPPED; same amount and currency as when it was created',
			},
			{ name: 'Token', value: 'token', description: 'A one-time card token from Token → Create or KOMOJU’s own fields' },
			{ name: 'Saved Customer', value: 'customer', description: 'The card stored on a KOMOJU customer' },
			{
				name: 'Card Details',
				value: 'card',
				description: 'Send the card number through n8n (puts the n8n instance in PCI DSS scope)',
			},
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
	{
		displayName: 'Capture',
		name: 'capture',
		type: 'boolean',
		default: true,
		description:
			'Whether to take the money now. Off: the card is only authorised, and Payment → Capture (or Cancel) decides later.',
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
				description: 'Your order number, searchable in Payment → Get Many',
			},
			{
				displayName: 'Fraud Details',
				name: 'fraudDetails',
				type: 'collection',
				placeholder: 'Add Detail',
				default: {},
				description: 'What the shop knows about the buyer, for KOMOJU’s fraud checks',
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
			{
				displayName: 'Tax',
				name: 'tax',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 0 },
				description: 'Tax in the currency’s smallest unit, charged on top of Amount',
			},
		],
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['create'] } },
	properties,
);

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
		default:
			return { payment_details: readCardDetails.call(this, itemIndex) };
	}
}

function additionalBody(this: IExecuteFunctions, itemIndex: number, currency: string): IDataObject {
	const node = this.getNode();
	const { metadata, fraudDetails, returnUrl, tax, ...plain } = this.getNodeParameter(
		'additionalFields',
		itemIndex,
		{},
	) as IDataObject;
	const body = toSnakeCaseFields(plain);
	if (metadata !== undefined) body.metadata = readMetadata(this, itemIndex, metadata);
	if (fraudDetails !== undefined) body.fraud_details = toSnakeCaseFields(fraudDetails as IDataObject);
	if (returnUrl) body.return_url = requireHttpUrl(node, itemIndex, returnUrl, 'Return URL');
	if (tax !== undefined) body.tax = requireAmountIn(node, itemIndex, tax, currency, 'Tax');
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const node = this.getNode();
	const options = readOptions(this, itemIndex);
	const currency = requireCurrency(node, itemIndex, this.getNodeParameter('currency', itemIndex));
	const amount = requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), currency);
	const body: IDataObject = {
		amount,
		currency,
		...paymentSourceFields.call(this, itemIndex),
		capture: this.getNodeParameter('capture', itemIndex, true) as boolean,
		...additionalBody.call(this, itemIndex, currency),
	};
	const tax = typeof body.tax === 'number' ? body.tax : 0;
	enforceMaximumAmount(node, itemIndex, readMaximumAmount(this, options, itemIndex), amount + tax, currency, 'payment');

	const payment = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('payments'), body, idempotencyKey: idempotencyKeyFor(this, options, itemIndex, scope) },
		requestSettings(this, options, itemIndex),
	);
	return scrubCardData(payment);
}
