import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { describeValue, requireWholeNumber } from './validation';

/**
 * The payment methods KOMOJU offers for JPY besides cards, with the fields of each one's
 * `payment_details` as KOMOJU's contract has them (`PaymentDetails*`). Pure data: the node's
 * fields and the request body are both derived from it, and a unit test holds it to the contract.
 */

/** How the customer completes the payment, which decides what the workflow does next. */
export type PaymentFlow =
	/** Pays later in cash or by transfer, before `payment_deadline`: the payment stays authorized until then. */
	| 'slip'
	/** Approves on the method's own site or app (`redirect_url`), then comes back to the Return URL. */
	| 'redirect'
	/** A prepaid or e-money account is charged at once. */
	| 'prepaid';

export type MethodFieldKind = 'text' | 'email' | 'phone' | 'katakana' | 'wholeNumber' | 'secret' | 'boolean';

export interface MethodField {
	/** KOMOJU's name in `payment_details`. */
	key: string;
	displayName: string;
	kind: MethodFieldKind;
	description?: string;
	/** The values KOMOJU accepts, as the contract's enum lists them. */
	choices?: Array<{ name: string; value: string }>;
}

export interface PaymentMethodSpec {
	type: string;
	name: string;
	flow: PaymentFlow;
	required: MethodField[];
	optional: MethodField[];
}

const field = (key: string, displayName: string, kind: MethodFieldKind, description?: string): MethodField => ({
	key,
	displayName,
	kind,
	...(description ? { description } : {}),
});

const email = field('email', 'Email', 'email', 'The customer’s email; KOMOJU sends the payment instructions there');
const phone = field('phone', 'Phone', 'phone', 'The customer’s phone number, digits only');
const givenName = field('given_name', 'Given Name', 'text', 'Printed on the konbini receipt and the transfer instructions');
const familyName = field('family_name', 'Family Name', 'text', 'Printed on the konbini receipt and the transfer instructions');
const givenNameKana = field('given_name_kana', 'Given Name (Katakana)', 'katakana', 'In full-width katakana, e.g. タロウ');
const familyNameKana = field('family_name_kana', 'Family Name (Katakana)', 'katakana', 'In full-width katakana, e.g. ヤマダ');
const expiryDays = field('expiry_days', 'Expiry Days', 'wholeNumber', 'Days the customer has to pay; KOMOJU’s dashboard setting when empty');
const scannedCode = field('scanned_code', 'Scanned Code', 'text', 'In a shop: the payment code scanned from the customer’s app');
const prepaidNumber = field('prepaid_number', 'Prepaid Number', 'secret', 'The number of the customer’s prepaid card; sent to KOMOJU only, never output');

/** The shipping and billing address every method's `payment_details` may carry. */
export const ADDRESS_FIELDS: MethodField[] = ['shipping', 'billing'].flatMap((kind) => {
	const label = kind === 'shipping' ? 'Shipping' : 'Billing';
	return [
		['name', 'Name'],
		['line1', 'Line 1'],
		['line2', 'Line 2'],
		['city', 'City'],
		['state', 'State'],
		['zip', 'ZIP'],
		['country', 'Country'],
	].map(([part, partLabel]) => field(`${kind}_address_${part}`, `${label} Address ${partLabel}`, 'text'));
});

const offsite = (type: string, name: string, optional: MethodField[] = []): PaymentMethodSpec => ({
	type,
	name,
	flow: 'redirect',
	required: [],
	optional,
});

/** Sorted by name, as the editor lists them. */
export const PAYMENT_METHODS: PaymentMethodSpec[] = [
	offsite('alipay', 'Alipay'),
	offsite('au', 'au Carrier Billing'),
	offsite('aupay', 'au PAY', [scannedCode]),
	{
		type: 'bank_transfer',
		name: 'Bank Transfer',
		flow: 'slip',
		required: [email, phone, givenNameKana, familyNameKana],
		optional: [field('name', 'Full Name', 'text', 'Used instead of Given Name and Family Name when set'), givenName, familyName, expiryDays],
	},
	{ type: 'bit_cash', name: 'BitCash', flow: 'prepaid', required: [prepaidNumber], optional: [email] },
	offsite('docomo', 'd Payment (docomo)'),
	{
		type: 'dospara',
		name: 'Dospara',
		flow: 'prepaid',
		required: [field('user_no', 'User Number', 'text'), field('user_password', 'User Password', 'secret')],
		optional: [],
	},
	offsite('epospay', 'EPOS Pay'),
	{
		type: 'japan_mobile',
		name: 'Japanese Carrier Billing',
		flow: 'redirect',
		required: [
			{
				...field('brand', 'Carrier', 'text'),
				// The carriers write their brands in lower case; n8n's title-case rule (which its scanner
				// applies with no inline exception) accepts them beside their operator's name.
				choices: [
					{ name: 'au/KDDI', value: 'au' },
					{ name: 'docomo/NTT', value: 'docomo' },
					{ name: 'SoftBank', value: 'softbank' },
				],
			},
		],
		optional: [],
	},
	{
		type: 'konbini',
		name: 'Konbini (Convenience Store)',
		flow: 'slip',
		required: [
			{
				...field('store', 'Store', 'text', 'The convenience store chain where the customer will pay'),
				choices: [
					{ name: 'Daily Yamazaki', value: 'daily-yamazaki' },
					{ name: 'FamilyMart', value: 'family-mart' },
					{ name: 'Lawson', value: 'lawson' },
					{ name: 'Ministop', value: 'ministop' },
					{ name: 'Seicomart', value: 'seicomart' },
					{ name: 'Seven-Eleven', value: 'seven-eleven' },
				],
			},
			email,
		],
		optional: [phone, givenName, familyName, expiryDays],
	},
	offsite('merpay', 'Merpay'),
	{ type: 'net_cash', name: 'NET CASH', flow: 'prepaid', required: [prepaidNumber], optional: [email] },
	{
		type: 'paidy',
		name: 'Paidy',
		flow: 'redirect',
		required: [field('customer_name', 'Customer Name', 'text')],
		optional: [
			field('customer_name_kana', 'Customer Name (Katakana)', 'katakana'),
			email,
			phone,
			field('external_customer_id', 'External Customer ID', 'text', 'Your ID of the customer'),
			field('item_title', 'Item Title', 'text'),
			field('customer_age', 'Customer Account Age (Days)', 'wholeNumber', 'How long the customer has had an account with the shop'),
			field('customer_order_count', 'Customer Order Count', 'wholeNumber'),
			field('customer_lifetime_value', 'Customer Lifetime Value', 'wholeNumber', 'What the customer has spent with the shop, in JPY'),
			field('customer_last_order_amount', 'Customer Last Order Amount', 'wholeNumber', 'In JPY'),
			field('customer_last_order_at', 'Customer Last Order At (Unix Time)', 'wholeNumber', 'Seconds since 1970-01-01 UTC'),
			field('capture', 'Capture at Paidy', 'boolean', 'Whether Paidy captures the payment itself'),
		],
	},
	{
		type: 'pay_easy',
		name: 'Pay-easy',
		flow: 'slip',
		required: [email, givenName, familyName, givenNameKana, familyNameKana, phone],
		optional: [expiryDays],
	},
	offsite('paypay', 'PayPay', [field('user_authorization_id', 'User Authorization ID', 'text', 'From PayPay’s account link, to pay without a redirect'), scannedCode]),
	offsite('rakutenpay', 'Rakuten Pay'),
	offsite('softbank', 'SoftBank Carrier Billing'),
	offsite('unionpay', 'UnionPay'),
	{ type: 'web_money', name: 'WebMoney', flow: 'prepaid', required: [prepaidNumber], optional: [email] },
	offsite('wechatpay', 'WeChat Pay'),
];

export function paymentMethodSpec(type: string): PaymentMethodSpec | undefined {
	return PAYMENT_METHODS.find((method) => method.type === type);
}

/** The types whose required (or optional) fields include this key: the field's display condition. */
export function typesWithField(key: string, list: 'required' | 'optional'): string[] {
	return PAYMENT_METHODS.filter((method) => method[list].some((entry) => entry.key === key)).map((method) => method.type);
}

/** Full-width katakana, the prolonged sound mark and the middle dot, with spaces between names. */
const KATAKANA = /^[\u30A1-\u30FA\u30FC\u30FB]+(?:[ \u3000][\u30A1-\u30FA\u30FC\u30FB]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 -]{5,19}$/;

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** One field's value as KOMOJU takes it, checked; a secret's value never appears in the error. */
function methodFieldValue(node: INode, itemIndex: number, method: PaymentMethodSpec, entry: MethodField, value: unknown): string | number | boolean {
	const label = `${entry.displayName} for ${method.name}`;
	const refuse = (problem: string, description?: string) => {
		throw new NodeOperationError(node, `${label} ${problem}`, { itemIndex, description });
	};
	const shown = () => (entry.kind === 'secret' ? '' : `, got ${describeValue(value)}`);
	if (entry.kind === 'boolean') {
		if (typeof value === 'boolean') return value;
		return refuse(`must be true or false${shown()}`);
	}
	if (entry.kind === 'wholeNumber') {
		const min = entry.key === 'expiry_days' ? 1 : 0;
		return requireWholeNumber(node, itemIndex, value, label, min, entry.key === 'expiry_days' ? 365 : 1_000_000_000_000);
	}
	if (typeof value !== 'string' && typeof value !== 'number') return refuse(`must be text${shown()}`);
	const text = String(value).trim();
	if (entry.choices && !entry.choices.some((choice) => choice.value === text)) {
		return refuse(`must be one of ${entry.choices.map((choice) => choice.value).join(', ')}${shown()}`);
	}
	switch (entry.kind) {
		case 'email':
			return EMAIL.test(text) ? text : refuse(`must be an email address${shown()}`);
		case 'phone':
			// KOMOJU takes the digits; spaces and dashes are how people write them.
			return PHONE.test(text) ? text.replace(/[ -]/g, '') : refuse(`must be a phone number${shown()}`, 'Digits, optionally with spaces or dashes, e.g. 090-1234-5678.');
		case 'katakana':
			return KATAKANA.test(text) ? text : refuse(`must be in full-width katakana${shown()}`, 'KOMOJU needs the reading of the name in katakana, e.g. ヤマダ for 山田.');
		default:
			return text;
	}
}

/**
 * A method's `payment_details`: its type, every required field (checked), and the optional and
 * address fields that were given. Optional values of other methods are not sent: the editor hides
 * them once another method is chosen, so the user could not see what would go out.
 */
export function methodPaymentDetails(
	node: INode,
	itemIndex: number,
	type: string,
	required: Record<string, unknown>,
	optional: Record<string, unknown>,
): IDataObject {
	const method = paymentMethodSpec(type);
	if (!method) {
		throw new NodeOperationError(node, `Payment Method ${describeValue(type)} is not one the node can send`, {
			itemIndex,
			description: `Choose one from the list: ${PAYMENT_METHODS.map((entry) => entry.type).join(', ')}. Cards are the other Payment Source options.`,
		});
	}
	const details: IDataObject = { type: method.type };
	for (const entry of method.required) {
		const value = required[entry.key];
		if (isEmpty(value)) {
			throw new NodeOperationError(node, `${entry.displayName} is required for ${method.name}`, { itemIndex });
		}
		details[entry.key] = methodFieldValue(node, itemIndex, method, entry, value);
	}
	for (const entry of [...method.optional, ...ADDRESS_FIELDS]) {
		const value = optional[entry.key];
		if (!isEmpty(value)) details[entry.key] = methodFieldValue(node, itemIndex, method, entry, value);
	}
	return details;
}
