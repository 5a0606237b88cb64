import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { cardPaymentDetails, toSnakeCaseFields } from '../helpers/mappers';
import {
	requireCardNumber,
	requireExpiryMonth,
	requireExpiryYear,
	requireUnexpired,
	requireVerificationValue,
} from '../helpers/validation';

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

/** The warning every operation that takes a card number shows above the card fields. */
export const CARD_NOTICE =
	'Card numbers sent through n8n are stored in its execution data and put the instance in PCI DSS scope. Prefer a saved customer or a token made by KOMOJU’s own page.';

/** The card fields (number, expiry, CVC, name, email, addresses), shown under `displayOptions`. */
export function cardProperties(displayOptions?: IDisplayOptions): INodeProperties[] {
	const properties: INodeProperties[] = [
		{ displayName: CARD_NOTICE, name: 'cardNotice', type: 'notice', default: '' },
		{
			displayName: 'Card Number',
			name: 'cardNumber',
			type: 'string',
			required: true,
			default: '',
			placeholder: '4111111111111111',
		},
		{
			displayName: 'Expiry Month',
			name: 'expiryMonth',
			type: 'number',
			required: true,
			// Empty, not a month: a pre-filled expiry would be sent for a card that has another.
			default: null,
			placeholder: 'e.g. 8',
			typeOptions: { minValue: 1, maxValue: 12, numberPrecision: 0 },
		},
		{
			displayName: 'Expiry Year',
			name: 'expiryYear',
			type: 'number',
			required: true,
			default: null,
			placeholder: 'e.g. 2030',
			description: 'Two or four digits, e.g. 30 or 2030',
			typeOptions: { numberPrecision: 0 },
		},
		{
			displayName: 'CVC',
			name: 'verificationValue',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The 3- or 4-digit security code. It is sent to KOMOJU and never returned by the node.',
		},
		{ displayName: 'Cardholder Name', name: 'cardholderName', type: 'string', default: '' },
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			description: 'The cardholder’s email, used by KOMOJU for fraud checks and receipts',
		},
		{
			displayName: 'Additional Card Fields',
			name: 'additionalCardFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: additionalCardFields,
		},
	];
	return displayOptions ? properties.map((property) => ({ ...property, displayOptions })) : properties;
}

/** Reads and checks the card fields into KOMOJU's `payment_details`; nothing is sent on a bad card. */
export function readCardDetails(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const number = requireCardNumber(node, itemIndex, this.getNodeParameter('cardNumber', itemIndex));
	const month = requireExpiryMonth(node, itemIndex, this.getNodeParameter('expiryMonth', itemIndex));
	const year = requireExpiryYear(node, itemIndex, this.getNodeParameter('expiryYear', itemIndex));
	requireUnexpired(node, itemIndex, month, year);
	const additional = this.getNodeParameter('additionalCardFields', itemIndex, {}) as IDataObject;
	return cardPaymentDetails({
		number,
		month,
		year,
		verificationValue: requireVerificationValue(node, itemIndex, this.getNodeParameter('verificationValue', itemIndex, '')),
		name: String(this.getNodeParameter('cardholderName', itemIndex, '')).trim(),
		email: String(this.getNodeParameter('email', itemIndex, '')).trim(),
		extra: toSnakeCaseFields(additional),
	});
}
