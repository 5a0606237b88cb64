/**
 * The payment methods Payment → Create offers besides cards, held to KOMOJU's contract: each
 * method's fields are exactly its PaymentDetails* schema's, and the body the node builds for it
 * passes the same contract judge the sandbox uses.
 */
import { NodeOperationError } from 'n8n-workflow';

import { ADDRESS_FIELDS, methodPaymentDetails, PAYMENT_METHODS, type PaymentMethodSpec } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/payment-methods';
import { testNode } from './node.fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { judgeRequest } = require('../../sandbox/contract') as {
	judgeRequest: (request: { method: string; path: string; query: object; raw: Buffer; contentType: string }) => {
		operation: string | null;
		violations: Array<{ message: string }>;
	};
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const contract = require('../../sandbox/contract/contract.json') as {
	schemas: Record<string, { properties: Record<string, { type?: string; enum?: string[] }>; required?: string[] }>;
};

/** The contract's request schema of each method, found by the `type` it fixes. */
function schemaOf(type: string) {
	const found = Object.entries(contract.schemas).filter(
		([name, schema]) => /^PaymentDetails/.test(name) && JSON.stringify(schema.properties?.type?.enum) === JSON.stringify([type]),
	);
	expect(found).toHaveLength(1);
	return found[0][1];
}

/** A value a customer could give for each kind of field. */
const SAMPLE: Record<string, unknown> = {
	email: 'hanako@example.com',
	phone: '090-1234-5678',
	given_name: '花子',
	family_name: '山田',
	given_name_kana: 'ハナコ',
	family_name_kana: 'ヤマダ',
	store: 'lawson',
	customer_name: '山田 花子',
	brand: 'docomo',
	prepaid_number: 'TESTPREPAID00001',
	user_no: 'user-1',
	user_password: 'secret-1',
};

function sampleFor(method: PaymentMethodSpec): Record<string, unknown> {
	return Object.fromEntries(method.required.map((entry) => [entry.key, SAMPLE[entry.key]]));
}

describe('the payment methods table', () => {
	it.each(PAYMENT_METHODS.map((method) => [method.type, method] as const))('%s has exactly the fields of its contract schema', (type, method) => {
		const schema = schemaOf(type);
		const contractFields = Object.keys(schema.properties).filter((key) => key !== 'type').sort();
		const nodeFields = [...method.required, ...method.optional, ...ADDRESS_FIELDS].map((entry) => entry.key).sort();
		expect(nodeFields).toEqual(contractFields);
		expect(method.required.map((entry) => entry.key).sort()).toEqual((schema.required ?? []).filter((key) => key !== 'type').sort());
		for (const entry of [...method.required, ...method.optional]) {
			const declared = schema.properties[entry.key];
			if (declared.enum) expect({ key: entry.key, choices: entry.choices?.map((choice) => choice.value).sort() }).toEqual({ key: entry.key, choices: [...declared.enum].sort() });
			if (entry.kind === 'boolean') expect(declared.type).toBe('boolean');
			if (entry.kind === 'wholeNumber') expect(['integer', 'number']).toContain(declared.type);
		}
	});

	it('defines each field the same way wherever several methods share it', () => {
		const byKey = new Map<string, string>();
		for (const method of PAYMENT_METHODS) {
			for (const entry of [...method.required, ...method.optional]) {
				const shape = JSON.stringify(entry);
				expect({ key: entry.key, shape: byKey.get(entry.key) ?? shape }).toEqual({ key: entry.key, shape });
				byKey.set(entry.key, shape);
			}
		}
	});

	it('lists the methods sorted by name, each type once', () => {
		const names = PAYMENT_METHODS.map((method) => method.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(new Set(PAYMENT_METHODS.map((method) => method.type)).size).toBe(PAYMENT_METHODS.length);
	});
});

describe('a payment body for each method', () => {
	it.each(PAYMENT_METHODS.map((method) => [method.type, method] as const))('%s passes KOMOJU’s contract', (type, method) => {
		const details = methodPaymentDetails(testNode, 0, type, sampleFor(method), { shipping_address_city: '渋谷区' });
		const body = { amount: 1000, currency: 'JPY', tax: 0, payment_details: details, capture: true, return_url: 'https://shop.example.com/back' };
		const verdict = judgeRequest({
			method: 'POST',
			path: '/api/v1/payments',
			query: {},
			raw: Buffer.from(JSON.stringify(body)),
			contentType: 'application/json',
		});
		expect(verdict.operation).toBe('createPayment');
		expect(verdict.violations.map((violation) => violation.message)).toEqual([]);
		expect(details).toMatchObject({ type, shipping_address_city: '渋谷区' });
	});

	it('sends the phone as digits and only the chosen method’s optional fields', () => {
		const konbini = PAYMENT_METHODS.find((method) => method.type === 'konbini')!;
		const details = methodPaymentDetails(testNode, 0, 'konbini', sampleFor(konbini), { phone: '090 1234-5678', prepaid_number: 'not konbini', expiry_days: 5 });
		expect(details).toEqual({ type: 'konbini', store: 'lawson', email: 'hanako@example.com', phone: '09012345678', expiry_days: 5 });
	});
});

describe('a method’s fields are checked before anything is sent', () => {
	const refused = (type: string, required: Record<string, unknown>, optional: Record<string, unknown> = {}) => {
		try {
			methodPaymentDetails(testNode, 3, type, required, optional);
		} catch (error) {
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).context.itemIndex).toBe(3);
			return (error as NodeOperationError).message;
		}
		throw new Error(`${type} was accepted`);
	};
	const bank = () => ({ ...sampleFor(PAYMENT_METHODS.find((method) => method.type === 'bank_transfer')!) });

	it('refuses a missing required field, naming it and the method', () => {
		expect(refused('konbini', { store: 'lawson' })).toBe('Email is required for Konbini (Convenience Store)');
	});

	it('refuses names that are not full-width katakana where KOMOJU needs katakana', () => {
		for (const name of ['やまだ', 'Yamada', '山田', 'ﾔﾏﾀﾞ']) {
			expect(refused('bank_transfer', { ...bank(), family_name_kana: name })).toMatch(/^Family Name \(Katakana\) for Bank Transfer must be in full-width katakana/);
		}
	});

	it('refuses a store KOMOJU does not know, an email without @ and a phone with letters', () => {
		expect(refused('konbini', { store: 'circle-k', email: 'a@b.jp' })).toMatch(/^Store for Konbini \(Convenience Store\) must be one of daily-yamazaki, family-mart, lawson, ministop, seicomart, seven-eleven, got "circle-k"$/);
		expect(refused('konbini', { store: 'lawson', email: 'hanako' })).toMatch(/must be an email address/);
		expect(refused('bank_transfer', { ...bank(), phone: '090-ABCD' })).toMatch(/must be a phone number/);
	});

	it('never repeats a prepaid number or password in its error', () => {
		const message = refused('bit_cash', { prepaid_number: { number: 'SECRET-PREPAID-99' } });
		expect(message).toBe('Prepaid Number for BitCash must be text');
		expect(refused('dospara', { user_no: 'u', user_password: ['SECRET-PASSWORD-7'] })).toBe('User Password for Dospara must be text');
	});

	it('refuses a method the node does not model, listing those it does', () => {
		expect(refused('credit_card', {})).toBe('Payment Method "credit_card" is not one the node can send');
	});
});
