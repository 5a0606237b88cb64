import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	ADDRESS_FIELDS,
	methodPaymentDetails,
	PAYMENT_METHODS,
	paymentMethodSpec,
	typesWithField,
	type MethodField,
} from '../helpers/payment-methods';
import { toSnakeCaseFields } from '../helpers/mappers';

/** A payment_details key as a parameter name: `given_name_kana` → `givenNameKana`. */
const camelCase = (key: string) => key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
/** The top-level parameter of a required method field: `methodGivenNameKana`. */
const requiredParameter = (key: string) => `method${camelCase(key).replace(/^./, (first) => first.toUpperCase())}`;

function fieldProperty(entry: MethodField, name: string): INodeProperties {
	const property: INodeProperties = {
		displayName: entry.displayName,
		name,
		type: entry.kind === 'boolean' ? 'boolean' : entry.kind === 'wholeNumber' ? 'number' : entry.choices ? 'options' : 'string',
		default: entry.kind === 'boolean' ? false : entry.kind === 'wholeNumber' ? 0 : entry.choices ? entry.choices[0].value : '',
		...(entry.description ? { description: entry.description } : {}),
	};
	if (entry.choices) property.options = entry.choices;
	if (entry.kind === 'wholeNumber') property.typeOptions = { minValue: 0, numberPrecision: 0 };
	// A prepaid number or password is money: masked in the editor like any secret.
	if (entry.kind === 'secret') property.typeOptions = { password: true };
	if (entry.kind === 'email') property.placeholder = 'name@email.com';
	return property;
}

/** One field per distinct key, defined once whatever the method (a unit test checks they agree). */
function distinctFields(list: 'required' | 'optional'): MethodField[] {
	const byKey = new Map<string, MethodField>();
	for (const method of PAYMENT_METHODS) for (const entry of method[list]) if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
	return [...byKey.values()];
}

/**
 * Payment Create's fields for a payment method other than a card: the method (from the merchant's
 * enabled methods), the fields it requires, and its optional and address fields in one collection.
 */
export function paymentMethodProperties(): INodeProperties[] {
	const whenMethod = { paymentSource: ['method'] };
	const optional = [...distinctFields('optional'), ...ADDRESS_FIELDS].map((entry) => ({
		...fieldProperty(entry, camelCase(entry.key)),
		...(ADDRESS_FIELDS.includes(entry) ? {} : { displayOptions: { show: { '/paymentMethod': typesWithField(entry.key, 'optional') } } }),
	}));
	return [
		{
			displayName: 'Payment Method Name or ID',
			name: 'paymentMethod',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getPaymentMethods' },
			required: true,
			default: '',
			description:
				'How the customer pays: the methods enabled for your KOMOJU account. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions: { show: whenMethod },
		},
		...distinctFields('required').map((entry) => ({
			...fieldProperty(entry, requiredParameter(entry.key)),
			required: true,
			displayOptions: { show: { ...whenMethod, paymentMethod: typesWithField(entry.key, 'required') } },
		})),
		{
			displayName: 'Method Fields',
			name: 'methodFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'The chosen method’s optional fields, and the shipping and billing address',
			displayOptions: { show: whenMethod },
			options: optional.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	];
}

/** The item's `payment_details` for the chosen method, its fields checked. */
export function readMethodPaymentDetails(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const type = String(this.getNodeParameter('paymentMethod', itemIndex, '')).trim();
	const method = paymentMethodSpec(type);
	const required: Record<string, unknown> = {};
	for (const entry of method?.required ?? []) required[entry.key] = this.getNodeParameter(requiredParameter(entry.key), itemIndex, '');
	// Method Fields' names are the payment_details keys in camelCase; only the method's own are sent.
	const optional = toSnakeCaseFields(this.getNodeParameter('methodFields', itemIndex, {}) as IDataObject);
	return methodPaymentDetails(this.getNode(), itemIndex, type, required, optional);
}
