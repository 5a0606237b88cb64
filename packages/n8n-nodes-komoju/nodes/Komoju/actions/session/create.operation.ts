import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { amountField, currencyField, localeField, metadataField, readMetadata } from '../fields.shared';
import { maximumAmountOptions, readMaximumAmount, requestOptionsCollection } from '../options.shared';
import { toSnakeCaseFields } from '../../helpers/mappers';
import { enforceMaximumAmount, requireAmountIn } from '../../helpers/money';
import { requireCurrency, requireHttpUrl, requireText, requireWholeNumber } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import type { ItemContext, Operation } from '../operation';

const MAX_EXPIRES_IN_SECONDS = 86400;
const payingModes = { show: { mode: ['payment', 'customer_payment'] } };

export const option: Operation['option'] = {
	name: 'Create',
	description:
		'Open a KOMOJU hosted payment page (3D Secure included) for an amount and currency, or to save a card; returns session_url to send the customer to. Money moves only when the customer pays there; no card data goes through n8n.',
	action: 'Create a session',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'payment',
		options: [
			{ name: 'Payment', value: 'payment', description: 'The customer pays the amount' },
			{ name: 'Save Card', value: 'customer', description: 'The customer saves a card on a new KOMOJU customer; nothing is charged' },
			{ name: 'Payment and Save Card', value: 'customer_payment', description: 'The customer pays and the card is saved' },
		],
	},
	{ ...amountField, displayOptions: payingModes },
	{ ...currencyField, description: 'Three-letter currency code; in Save Card mode, the currency the saved card is for' },
	{
		displayName: 'Return URL',
		name: 'returnUrl',
		type: 'string',
		default: '',
		placeholder: 'https://shop.example.com/thanks',
		description: 'Where KOMOJU sends the customer afterwards, with ?session_id=… appended. Empty: KOMOJU’s own end page.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ ...localeField, displayName: 'Default Locale', name: 'defaultLocale', description: 'The language the hosted page opens in' },
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'The customer’s email, filled in on the hosted page',
			},
			{
				displayName: 'Expires In (Seconds)',
				name: 'expiresInSeconds',
				type: 'number',
				default: MAX_EXPIRES_IN_SECONDS,
				typeOptions: { minValue: 1, maxValue: MAX_EXPIRES_IN_SECONDS, numberPrecision: 0 },
				description: 'How long the hosted page stays open, at most 86400 (one day)',
			},
			{
				displayName: 'External Customer ID',
				name: 'externalCustomerId',
				type: 'string',
				default: '',
				description: 'Your own ID for the customer',
			},
			{
				displayName: 'Line Items',
				name: 'lineItems',
				type: 'fixedCollection',
				placeholder: 'Add Line Item',
				default: {},
				typeOptions: { multipleValues: true },
				description: 'What is being bought, shown on the hosted page',
				options: [
					{
						displayName: 'Line Item',
						name: 'items',
						values: [
							{
								displayName: 'Amount',
								name: 'amount',
								type: 'number',
								default: null,
								placeholder: 'e.g. 1000',
								typeOptions: { minValue: 0, numberPrecision: 0 },
								description: 'Price of one, in the currency’s smallest unit',
							},
							{ displayName: 'Description', name: 'description', type: 'string', default: '' },
							{
								displayName: 'External Product Number',
								name: 'externalProductNum',
								type: 'string',
								default: '',
								description: 'Your SKU for the item',
							},
							{
								displayName: 'Image URL',
								name: 'image',
								type: 'string',
								default: '',
								placeholder: 'https://shop.example.com/item.png',
								description: 'A picture of the item, shown on the hosted page',
							},
							{
								displayName: 'Quantity',
								name: 'quantity',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 1, numberPrecision: 0 },
								description: 'How many; 1 when empty',
							},
						],
					},
				],
			},
			metadataField,
			{
				displayName: 'Payment Data',
				name: 'paymentData',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				description: 'Settings for the payment the session creates',
				options: [
					{
						displayName: 'Capture',
						name: 'capture',
						type: 'options',
						default: 'auto',
						options: [
							{ name: 'Auto', value: 'auto', description: 'Take the money when the customer pays' },
							{ name: 'Manual', value: 'manual', description: 'Only authorize; Payment → Capture takes the money later' },
						],
					},
					{ displayName: 'External Order Number', name: 'externalOrderNum', type: 'string', default: '' },
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The customer’s name' },
				],
			},
			{
				displayName: 'Payment Type Names or IDs',
				name: 'paymentTypes',
				type: 'multiOptions',
				default: [],
				typeOptions: { loadOptionsMethod: 'getPaymentTypes' },
				description:
					'The payment methods the hosted page offers; all enabled ones when empty. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

function readLineItems(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	currency: string,
): IDataObject[] {
	const node = this.getNode();
	const items = ((value as IDataObject | undefined)?.items ?? []) as IDataObject[];
	return items.map((item, index) => {
		const label = `Line Item ${index + 1}`;
		const quantity = item.quantity === undefined || item.quantity === '' || item.quantity === null ? 1 : item.quantity;
		const lineItem: IDataObject = {
			description: requireText(node, itemIndex, item.description, `${label} Description`),
			amount: requireAmountIn(node, itemIndex, item.amount, currency, `${label} Amount`),
			quantity: requireWholeNumber(node, itemIndex, quantity, `${label} Quantity`, 1, 1_000_000),
		};
		const sku = String(item.externalProductNum ?? '').trim();
		if (sku) lineItem.external_product_num = sku;
		const image = String(item.image ?? '').trim();
		if (image) lineItem.image = requireHttpUrl(node, itemIndex, image, `${label} Image URL`);
		return lineItem;
	});
}

function additionalBody(this: IExecuteFunctions, itemIndex: number, currency: string, paying: boolean): IDataObject {
	const node = this.getNode();
	const { expiresInSeconds, lineItems, metadata, paymentData, paymentTypes, ...plain } = this.getNodeParameter(
		'additionalFields',
		itemIndex,
		{},
	) as IDataObject;
	const body = toSnakeCaseFields(plain);
	if (expiresInSeconds !== undefined) {
		body.expires_in_seconds = requireWholeNumber(node, itemIndex, expiresInSeconds, 'Expires In (Seconds)', 1, MAX_EXPIRES_IN_SECONDS);
	}
	if (metadata !== undefined) body.metadata = readMetadata(this, itemIndex, metadata);
	const types = (paymentTypes ?? []) as string[];
	if (types.length > 0) body.payment_types = [...new Set(types)];
	const items = readLineItems.call(this, itemIndex, lineItems, currency);
	if (items.length > 0) body.line_items = items;
	const data = toSnakeCaseFields((paymentData ?? {}) as IDataObject);
	if (Object.keys(data).length > 0) body.payment_data = data;
	// Line items and payment data describe a payment; a session that only saves a card has none.
	if (!paying && (body.line_items || body.payment_data)) {
		throw new NodeOperationError(node, 'Line Items and Payment Data need a paying Mode', {
			itemIndex,
			description: 'Mode "Save Card" charges nothing. Remove them, or choose "Payment" or "Payment and Save Card".',
		});
	}
	return body;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const node = this.getNode();
	const mode = this.getNodeParameter('mode', itemIndex, 'payment') as string;
	// KOMOJU's contract: every mode needs a currency; only the paying modes take an amount.
	const currency = requireCurrency(node, itemIndex, this.getNodeParameter('currency', itemIndex));
	const body: IDataObject = { mode, currency };
	const paying = mode !== 'customer';
	if (paying) {
		body.amount = requireAmountIn(node, itemIndex, this.getNodeParameter('amount', itemIndex), currency, 'Amount', 1);
		enforceMaximumAmount(node, itemIndex, readMaximumAmount(node, item), body.amount as number, currency, 'session');
	}
	const returnUrl = String(this.getNodeParameter('returnUrl', itemIndex, '')).trim();
	if (returnUrl) body.return_url = requireHttpUrl(node, itemIndex, returnUrl, 'Return URL');
	Object.assign(body, additionalBody.call(this, itemIndex, currency, paying));

	const session = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('sessions'), body, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	return session;
}
