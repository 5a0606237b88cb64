/**
 * Payment → Create with every payment method besides cards, Refund Request, Konbini Barcode and
 * Payment Method → Get Many, inside n8n-core's engine against the sandbox (whose contract judge
 * answers any request that breaks KOMOJU's contract with 400).
 */
import type { IDataObject } from 'n8n-workflow';

import { PAYMENT_METHODS, type PaymentMethodSpec } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/payment-methods';
import { apiRequests, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

/** What a customer gives each required field, accepted by the sandbox (its prepaid and Dospara test values). */
const REQUIRED: Record<string, unknown> = {
	methodStore: 'lawson',
	methodEmail: 'hanako@example.com',
	methodPhone: '090-1234-5678',
	methodGivenName: '花子',
	methodFamilyName: '山田',
	methodGivenNameKana: 'ハナコ',
	methodFamilyNameKana: 'ヤマダ',
	methodCustomerName: '山田 花子',
	methodBrand: 'docomo',
	methodPrepaidNumber: '1111111111111111',
	methodUserNo: '1111111111',
	methodUserPassword: 'sandbox',
};

const STATUS_AFTER_CREATE = { slip: 'authorized', redirect: 'pending', prepaid: 'captured' } as const;

function methodPayment(type: string, overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'payment',
		operation: 'create',
		amount: 1000,
		currency: 'JPY',
		paymentSource: 'method',
		paymentMethod: type,
		...REQUIRED,
		additionalFields: { returnUrl: 'https://shop.example.com/back' },
		...overrides,
	};
}

async function konbiniPayment(extra: IDataObject = {}): Promise<IDataObject> {
	const result = await runKomoju(sandbox, methodPayment('konbini', extra));
	expect(result.status).toBe('success');
	return result.resultOf('KOMOJU')[0].json;
}

const onPayment = (operation: string, paymentId: string, extra: IDataObject = {}): IDataObject => ({ resource: 'payment', operation, paymentId, ...extra });

const refundRequest = (paymentId: string, extra: IDataObject = {}) =>
	onPayment('refundRequest', paymentId, {
		refundRequestType: 'full',
		customerName: 'ﾔﾏﾀﾞ ﾊﾅｺ',
		bankName: 'みずほ銀行',
		branchNumber: '001',
		accountType: 'normal',
		accountNumber: '0123456',
		...extra,
	});

describe('Payment → Create with each payment method', () => {
	it.each(PAYMENT_METHODS.map((method) => [method.type, method] as const))('%s', async (type, method: PaymentMethodSpec) => {
		const result = await runKomoju(sandbox, methodPayment(type));
		expect(result.error?.description ?? result.error?.message).toBeUndefined();
		const payment = result.resultOf('KOMOJU')[0].json;
		expect(payment).toMatchObject({ status: STATUS_AFTER_CREATE[method.flow], amount: 1000, payment_details: { type } });
		const [request] = apiRequests(sandbox, 'POST', '/api/v1/payments');
		const sent = request.body as { payment_details: IDataObject };
		expect(Object.keys(sent.payment_details).sort()).toEqual(['type', ...method.required.map((entry) => entry.key)].sort());
		// EPOS Pay names its page offsite_url, as KOMOJU's contract has it; the others redirect_url.
		if (method.flow === 'redirect') expect(payment.payment_details).toHaveProperty(type === 'epospay' ? 'offsite_url' : 'redirect_url', expect.stringMatching(/^http/));
		if (method.flow === 'slip') expect(payment.payment_deadline).toEqual(expect.any(String));
	});

	it('refuses a method the customer approves elsewhere without a Return URL, before sending', async () => {
		const result = await runKomoju(sandbox, methodPayment('paypay', { additionalFields: {} }));
		expect(result.error?.message).toBe('PayPay needs a Return URL');
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toEqual([]);
	});

	it('refuses a bank transfer whose names are not in katakana, before sending', async () => {
		const result = await runKomoju(sandbox, methodPayment('bank_transfer', { methodFamilyNameKana: 'やまだ' }));
		expect(result.error?.message).toMatch(/^Family Name \(Katakana\) for Bank Transfer must be in full-width katakana/);
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toEqual([]);
	});

	it('keeps a prepaid number out of the output and the error', async () => {
		const result = await runKomoju(sandbox, methodPayment('web_money', { methodPrepaidNumber: 'e111111111111113' }), {
			settings: { onError: 'continueRegularOutput' },
		});
		const [item] = result.resultOf('KOMOJU');
		expect(JSON.stringify(item.json)).not.toContain('e111111111111113');
		expect(item.json.details).toMatchObject({ httpCode: '402' });
	});
});

describe('a konbini payment paid at the store, then paid back', () => {
	it('cannot be refunded: KOMOJU answers not_refundable and the node points to Refund Request', async () => {
		const payment = await konbiniPayment();
		sandbox.payAtStore(payment.id as string);
		const result = await runKomoju(sandbox, onPayment('refund', payment.id as string, { refundType: 'full' }));
		expect(result.error?.description).toContain('Payment → Refund Request');
		expect(result.error?.description).toContain('KOMOJU error code: not_refundable');
	});

	it('Refund Request asks for everything left, tax included, and outputs the payment with the request', async () => {
		const payment = await konbiniPayment({ tax: 'auto' });
		sandbox.payAtStore(payment.id as string);
		const result = await runKomoju(sandbox, refundRequest(payment.id as string));
		expect(result.status).toBe('success');
		const [request] = apiRequests(sandbox, 'POST', `/api/v1/payments/${payment.id}/refund_request`);
		expect(request.body).toEqual({
			amount: 1100,
			customer_name: 'ﾔﾏﾀﾞ ﾊﾅｺ',
			bank_name: 'みずほ銀行',
			branch_number: '001',
			account_type: 'normal',
			account_number: 123456,
			include_payment_method_fee: false,
		});
		expect(typeof request.idempotencyKey).toBe('string');
		const output = result.resultOf('KOMOJU')[0].json;
		// KOMOJU shows the account number; the node masks it, as it does card numbers.
		expect(output).toMatchObject({ id: payment.id, refund_requests: [expect.objectContaining({ customer_name: 'ﾔﾏﾀﾞ ﾊﾅｺ', account_number: '••••456' })] });
		expect(JSON.stringify(result.resultOf('KOMOJU'))).not.toContain('0123456');
	});

	it('Refund Request refuses a holder not in half-width katakana, an 8-digit account, and (with a maximum, which reads the payment) too much money, before sending', async () => {
		const payment = await konbiniPayment();
		sandbox.payAtStore(payment.id as string);
		const id = payment.id as string;
		const refusals = [
			[refundRequest(id, { customerName: 'ヤマダ ハナコ' }), 'Account Holder must be in half-width katakana'],
			[refundRequest(id, { accountNumber: '12345678' }), 'Account Number must be 7 digits'],
			[refundRequest(id, { options: { maximumAmount: 999, maximumAmountCurrency: 'JPY' } }), 'Refused: this refund request of 1,000 JPY is above the node’s Maximum Amount of 999 JPY'],
			[refundRequest(id, { refundRequestType: 'partial', amount: 1001, options: { maximumAmount: 5000, maximumAmountCurrency: 'JPY' } }), 'Cannot request a refund of 1,001 JPY: only 1,000 JPY is left to refund (tax included)'],
		] as const;
		for (const [parameters, message] of refusals) {
			const result = await runKomoju(sandbox, parameters as IDataObject);
			expect(result.error?.message).toBe(message);
		}
		expect(apiRequests(sandbox, 'POST', `/api/v1/payments/${id}/refund_request`)).toEqual([]);
	});
});

describe('Konbini Barcode → Get and Payment Method → Get Many', () => {
	it('gets the barcode of a konbini payment, with the image as binary data', async () => {
		const payment = await konbiniPayment();
		const result = await runKomoju(sandbox, { resource: 'barcode', operation: 'get', paymentId: payment.id, options: {} });
		expect(result.error?.message).toBeUndefined();
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ status: 'ready', image: expect.any(String), expires_at: expect.any(String) });
		// The same PNG as a file, to attach to an email: its bytes start with PNG's signature.
		expect(item.binary?.data).toMatchObject({ fileName: `konbini-barcode-${payment.id}.png`, mimeType: 'image/png' });
		const png = Buffer.from(item.binary!.data.data, 'base64');
		expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		expect(png.toString('base64')).toBe(item.json.image);
	});

	it('asks again, after KOMOJU’s retry_after, while the barcode is pending; without Wait Until Ready it returns the pending answer', async () => {
		const payment = await konbiniPayment();
		const path = `/api/v1/barcodes/${payment.id}`;
		const get = (options: IDataObject) => ({ resource: 'barcode', operation: 'get', paymentId: payment.id, options });
		sandbox.injectFault({ method: 'GET', path, times: 1, action: { status: 200, body: { status: 'pending', retry_after: 0.01 } } });
		const waited = await runKomoju(sandbox, get({}));
		expect(waited.resultOf('KOMOJU')[0].json.status).toBe('ready');
		expect(apiRequests(sandbox, 'GET', path).map((request) => request.status)).toEqual([200, 200]);

		sandbox.injectFault({ method: 'GET', path, times: 1, action: { status: 200, body: { status: 'pending', retry_after: 0.01 } } });
		const notWaited = await runKomoju(sandbox, get({ waitUntilReady: false }));
		expect(notWaited.resultOf('KOMOJU')[0]).toEqual({ json: { status: 'pending', retry_after: 0.01 }, pairedItem: { item: 0 } });
		expect(apiRequests(sandbox, 'GET', path)).toHaveLength(3);
	});

	it('lists the enabled methods: every method the node offers for JPY is one of them, and nothing else KOMOJU has for JPY is missing', async () => {
		const result = await runKomoju(sandbox, { resource: 'paymentMethod', operation: 'getAll', filters: { currency: 'JPY' }, options: {} });
		const listed = result.resultOf('KOMOJU').map((item) => item.json.type_slug as string);
		expect(new Set(result.resultOf('KOMOJU').map((item) => item.json.currency))).toEqual(new Set(['JPY']));
		expect(listed.filter((type) => type !== 'credit_card').sort()).toEqual(PAYMENT_METHODS.map((method) => method.type).sort());
	});
});
