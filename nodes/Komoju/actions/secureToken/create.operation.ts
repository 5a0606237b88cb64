import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	amountField,
	currencyField,
	idempotencyKeyFor,
	readOptions,
	requestOptionsCollection,
	requestSettings,
} from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { cardPaymentDetails, normaliseSecureToken, toSnakeCaseFields } from '../../helpers/mappers';
import {
	requireAmount,
	requireCardNumber,
	requireCurrency,
	requireExpiryMonth,
	requireExpiryYear,
	requireHttpUrl,
	requireId,
	requireUnexpired,
	requireVerificationValue,
} from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';

const addressFields = (prefix: 'billing' | 'shipping', label: string): INodeProperties[] =>
	[
		['Name', 'Name'],
		['Line1', 'Line 1'],
		['Line2', 'Line 2'],
		['City', 'City'],
		['State', 'State'],
		['Zip', 'Postal Code'],
		['Country', 'Country'],
	].map(([suffix, name]) => ({
		displayName: `${label} ${name}`,
		name: `${prefix}Address${suffix}`,
		type: 'string',
		default: '',
		...(suffix === 'Country' ? { placeholder: 'JP', description: 'Two-letter country code' } : {}),
	}));

const additionalCardFields: INodeProperties[] = [
	{ displayName: 'Given Name', name: 'givenName', type: 'string' as const, default: '' },
	{ displayName: 'Family Name', name: 'familyName', type: 'string' as const, default: '' },
	...addressFields('billing', 'Billing'),
	...addressFields('shipping', 'Shipping'),
].sort((a, b) => a.displayName.localeCompare(b.displayName));

const cardOnly = { show: { paymentSource: ['card'] } };

const properties: INodeProperties[] = [
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
		displayName:
			'Card numbers sent through n8n are stored in its execution data and put the instance in PCI DSS scope. Prefer a saved customer.',
		name: 'cardNotice',
		type: 'notice',
		default: '',
		displayOptions: cardOnly,
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
	{
		displayName: 'Card Number',
		name: 'cardNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '4100000000000100',
		displayOptions: cardOnly,
	},
	{
		displayName: 'Expiry Month',
		name: 'expiryMonth',
		type: 'number',
		required: true,
		default: 1,
		typeOptions: { minValue: 1, maxValue: 12, numberPrecision: 0 },
		displayOptions: cardOnly,
	},
	{
		displayName: 'Expiry Year',
		name: 'expiryYear',
		type: 'number',
		required: true,
		default: 2030,
		description: 'Two or four digits, e.g. 30 or 2030',
		typeOptions: { numberPrecision: 0 },
		displayOptions: cardOnly,
	},
	{
		displayName: 'CVC',
		name: 'verificationValue',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'The 3- or 4-digit security code. It is sent to KOMOJU and never returned by the node.',
		displayOptions: cardOnly,
	},
	{
		displayName: 'Cardholder Name',
		name: 'cardholderName',
		type: 'string',
		default: '',
		displayOptions: cardOnly,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The cardholder’s email, used by KOMOJU for fraud checks and receipts',
		displayOptions: cardOnly,
	},
	{
		displayName: 'Additional Card Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: cardOnly,
		options: additionalCardFields,
	},
	requestOptionsCollection([], { idempotency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['secureToken'], operation: ['create'] } },
	properties,
);

function paymentSourceFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const source = this.getNodeParameter('paymentSource', itemIndex) as string;
	if (source === 'customer') {
		return { customer: requireId(node, itemIndex, this.getNodeParameter('customerId', itemIndex), 'Customer ID') };
	}
	const number = requireCardNumber(node, itemIndex, this.getNodeParameter('cardNumber', itemIndex));
	const month = requireExpiryMonth(node, itemIndex, this.getNodeParameter('expiryMonth', itemIndex));
	const year = requireExpiryYear(node, itemIndex, this.getNodeParameter('expiryYear', itemIndex));
	requireUnexpired(node, itemIndex, month, year);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return {
		payment_details: cardPaymentDetails({
			number,
			month,
			year,
			verificationValue: requireVerificationValue(
				node,
				itemIndex,
				this.getNodeParameter('verificationValue', itemIndex, ''),
			),
			name: String(this.getNodeParameter('cardholderName', itemIndex, '')).trim(),
			email: String(this.getNodeParameter('email', itemIndex, '')).trim(),
			extra: toSnakeCaseFields(additional),
		}),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: ExecutionScope,
): Promise<IDataObject> {
	const node = this.getNode();
	const options = readOptions(this, itemIndex);
	const body: IDataObject = {
		amount: requireAmount(node, itemIndex, this.getNodeParameter('amount', itemIndex)),
		currency: requireCurrency(node, itemIndex, this.getNodeParameter('currency', itemIndex)),
		return_url: requireHttpUrl(node, itemIndex, this.getNodeParameter('returnUrl', itemIndex), 'Return URL'),
		...paymentSourceFields.call(this, itemIndex),
	};
	const settings = requestSettings(this, options, itemIndex);
	const idempotencyKey = idempotencyKeyFor(this, options, itemIndex, scope);

	const token = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('secure_tokens'), body, idempotencyKey },
		settings,
	);
	return normaliseSecureToken(token);
}
