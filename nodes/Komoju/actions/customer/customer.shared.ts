import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { currencyField, idProperty, metadataField, readId, readMetadata } from '../common.descriptions';
import { requireCurrency } from '../../helpers/validation';

export const customerIdField: INodeProperties = idProperty(
	'customerId',
	'Customer ID',
	'The ID of the KOMOJU customer, e.g. {{ $json.id }} after Customer → Create',
);

export function readCustomerId(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, itemIndex, 'customerId', 'Customer ID');
}

/** The customer's own fields (not the card), shared by Create and Update. */
export const customerFieldOptions: INodeProperties[] = [
	{ ...currencyField, required: false, description: 'The currency the stored card is charged in' },
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'The customer’s email address',
	},
	{
		displayName: 'Locale',
		name: 'locale',
		type: 'options',
		default: 'ja',
		options: [
			{ name: 'English', value: 'en' },
			{ name: 'Japanese', value: 'ja' },
			{ name: 'Korean', value: 'ko' },
		],
	},
	metadataField,
];

/** The customer fields that were added, as KOMOJU's body fields. */
export function readCustomerFields(this: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (fields.currency !== undefined) body.currency = requireCurrency(this.getNode(), itemIndex, fields.currency);
	if (fields.email !== undefined) body.email = String(fields.email).trim();
	if (fields.locale !== undefined) body.locale = fields.locale;
	if (fields.metadata !== undefined) body.metadata = readMetadata(this, itemIndex, fields.metadata);
	return body;
}
