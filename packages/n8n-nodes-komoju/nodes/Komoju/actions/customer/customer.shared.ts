import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { currencyField, idProperty, metadataField, readId, readMetadata, tokenIdProperty } from '../fields.shared';
import { requireCurrency, requireId } from '../../helpers/validation';
import { cardProperties, readCardDetails } from '../card.shared';

export const customerIdField: INodeProperties = idProperty(
	'customerId',
	'Customer ID',
	'The ID of the KOMOJU customer, e.g. {{ $json.id }} after Customer → Create',
);

export function readCustomerId(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, itemIndex, 'customerId', 'Customer ID');
}

/** The customer's own fields (not the card), shared by Create and Update: exactly those KOMOJU's contract has. */
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
	metadataField,
];

/** The customer fields that were added, as KOMOJU's body fields. */
export function readCustomerFields(this: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (fields.currency !== undefined) body.currency = requireCurrency(this.getNode(), itemIndex, fields.currency);
	if (fields.email !== undefined) body.email = String(fields.email).trim();
	if (fields.metadata !== undefined) body.metadata = readMetadata(this, itemIndex, fields.metadata);
	return body;
}

/**
 * Where the stored card comes from: a one-time token (KOMOJU's long-term token guide turns one
 * into a customer; no card number passes through n8n) or card details. `show` adds conditions.
 */
export function cardSourceProperties(show: IDisplayOptions['show'] = {}): INodeProperties[] {
	const when = (source: string): IDisplayOptions => ({ show: { ...show, cardSource: [source] } });
	return [
		{
			displayName: 'Card Source',
			name: 'cardSource',
			type: 'options',
			default: 'token',
			displayOptions: Object.keys(show ?? {}).length ? { show } : undefined,
			options: [
				{
					name: 'Token',
					value: 'token',
					description: 'A one-time token from Token → Create or KOMOJU’s hosted fields. Recommended: no card number in n8n.',
				},
				{ name: 'Card Details', value: 'card', description: 'Send the card number through n8n (PCI DSS scope)' },
			],
		},
		tokenIdProperty('tokenId', 'Token', 'The ID of an unused one-time token; it is used up by this call', when('token')),
		...cardProperties(when('card')),
	];
}

/** The `payment_details` a customer stores: the token id, or the checked card details. */
export function readCardSource(this: IExecuteFunctions, itemIndex: number): string | IDataObject {
	if (this.getNodeParameter('cardSource', itemIndex, 'token') === 'card') return readCardDetails.call(this, itemIndex);
	return requireId(this.getNode(), itemIndex, this.getNodeParameter('tokenId', itemIndex, '', { extractValue: true }), 'Token');
}
