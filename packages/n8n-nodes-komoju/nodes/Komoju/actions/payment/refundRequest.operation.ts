import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeProperties } from 'n8n-workflow';

import { maximumAmountOptions, requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequestNoContent, komojuApiRequest } from '../../transport';
import { amountChoiceProperties, paymentIdField, prepareMoneyMovement } from './payment.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Refund Request',
	description:
		'MOVES MONEY: ask KOMOJU to pay money back to the customer’s bank account, for payments that cannot be refunded directly (konbini, bank transfer, Pay-easy). KOMOJU handles it by hand and may reject it.',
	action: 'Request a refund of a payment',
};

/** What Japanese banks accept in an account holder's name: half-width katakana, digits, capitals, a few signs. */
const BANK_NAME_CHARACTERS = /^[\uFF66-\uFF9F0-9A-Z ().,\-/]+$/;

export const properties: INodeProperties[] = [
	paymentIdField,
	...amountChoiceProperties('refundRequest', 'Refund', {
		full: 'Everything not refunded yet, tax included',
		partial: 'Part of it',
		limit: 'tax included, at most what is left to refund',
	}),
	{
		displayName: 'Account Holder (Half-Width Katakana)',
		name: 'customerName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. ﾔﾏﾀﾞ ﾀﾛｳ',
		description: 'The name on the customer’s bank account, in half-width katakana exactly as the bank has it',
	},
	{
		displayName: 'Bank Name',
		name: 'bankName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. みずほ銀行',
	},
	{
		displayName: 'Branch Number',
		name: 'branchNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 001',
		description: 'The branch’s 3-digit number',
	},
	{
		displayName: 'Account Type',
		name: 'accountType',
		type: 'options',
		default: 'normal',
		options: [
			{ name: 'Checking (当座)', value: 'checking' },
			{ name: 'Normal (普通)', value: 'normal' },
			{ name: 'Savings (貯蓄)', value: 'savings' },
		],
	},
	{
		displayName: 'Account Number',
		name: 'accountNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1234567',
		description: 'The 7-digit account number',
	},
	{
		displayName: 'Include Payment Method Fee',
		name: 'includePaymentMethodFee',
		type: 'boolean',
		default: false,
		description: 'Whether the fee the customer paid for the payment method (e.g. the konbini fee) is paid back too',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Bank Code', name: 'bankCode', type: 'string', default: '', description: 'The bank’s 4-digit Zengin code' },
			{ displayName: 'Branch Name', name: 'branchName', type: 'string', default: '' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Why the money is paid back' },
		],
	},
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

/** A bank field of fixed digits; the value is not repeated in the error, it identifies an account. */
function digits(node: INode, itemIndex: number, value: unknown, label: string, count: number): string {
	const text = String(value ?? '').trim();
	if (new RegExp(`^\\d{${count}}$`).test(text)) return text;
	throw new NodeOperationError(node, `${label} must be ${count} digits`, { itemIndex });
}

function requiredText(node: INode, itemIndex: number, value: unknown, label: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text) return text;
	throw new NodeOperationError(node, `${label} is required`, { itemIndex });
}

function readBankAccount(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = this.getNode();
	const holder = requiredText(node, itemIndex, this.getNodeParameter('customerName', itemIndex, ''), 'Account Holder');
	if (!BANK_NAME_CHARACTERS.test(holder)) {
		throw new NodeOperationError(node, 'Account Holder must be in half-width katakana', {
			itemIndex,
			description: 'As the bank has it, e.g. ﾔﾏﾀﾞ ﾀﾛｳ (not ヤマダ タロウ or 山田 太郎). Digits, capital letters, spaces and ( ) . , - / are allowed too.',
		});
	}
	const accountType = String(this.getNodeParameter('accountType', itemIndex, 'normal'));
	if (!['normal', 'checking', 'savings'].includes(accountType)) {
		throw new NodeOperationError(node, 'Account Type must be normal, checking or savings', { itemIndex });
	}
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const account: IDataObject = {
		customer_name: holder,
		bank_name: requiredText(node, itemIndex, this.getNodeParameter('bankName', itemIndex, ''), 'Bank Name'),
		branch_number: digits(node, itemIndex, this.getNodeParameter('branchNumber', itemIndex, ''), 'Branch Number', 3),
		account_type: accountType,
		// KOMOJU's contract types the account number as a number.
		account_number: Number(digits(node, itemIndex, this.getNodeParameter('accountNumber', itemIndex, ''), 'Account Number', 7)),
		include_payment_method_fee: this.getNodeParameter('includePaymentMethodFee', itemIndex, false) === true,
	};
	if (extra.bankCode) account.bank_code = digits(node, itemIndex, extra.bankCode, 'Bank Code', 4);
	const branchName = String(extra.branchName ?? '').trim();
	if (branchName) account.branch_name = branchName;
	const description = String(extra.description ?? '').trim();
	if (description) account.description = description;
	return account;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const account = readBankAccount.call(this, item.itemIndex);
	const { paymentId, amount } = await prepareMoneyMovement.call(this, item, 'refundRequest');
	await komojuApiRequestNoContent.call(
		this,
		{ method: 'POST', path: apiPath('payments', paymentId, 'refund_request'), body: { amount, ...account }, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	// KOMOJU answers a refund request without a body; the payment shows it in refund_requests.
	return await komojuApiRequest.call(this, { method: 'GET', path: apiPath('payments', paymentId) }, item.settings);
}
