import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import {
	apiRequests,
	CARDS,
	cardCreate,
	FUTURE_YEAR,
	runKomoju,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const basicAuth = () => `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`;

describe('Secure Token → Create with card details', () => {
	it('sends KOMOJU’s parameters for each item, evaluating expressions, and pairs the outputs', async () => {
		const items = [
			{ order: 'A-1', amount: 1000, month: 8 },
			{ order: 'A-2', amount: '2500', month: '12' },
			{ order: 'A-3', amount: 99, month: 1 },
		];
		const result = await runKomoju(
			sandbox,
			cardCreate({
				amount: '={{ $json.amount }}',
				returnUrl: '=https://shop.example.com/return?order={{ $json.order }}',
				expiryMonth: '={{ $json.month }}',
				additionalCardFields: { givenName: 'Taro', familyName: 'Yamada', billingAddressCountry: 'JP' },
			}),
			{ items },
		);

		expect(result.status).toBe('success');
		const output = result.resultOf('KOMOJU');
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const { json } of output) {
			expect(json.id).toMatch(/^[a-z0-9]{25}$/);
			expect(json.verification_status).toBe('NEEDS_VERIFY');
			expect(json.authentication_url).toBe(`${sandbox.url}/three_d_secure_service/offsite?token=${json.id}`);
			expect(typeof json.created_at).toBe('string');
		}
		expect(new Set(output.map((item) => item.json.id)).size).toBe(3);

		// The three items are sent in parallel, so they reach KOMOJU in any order: find each by amount.
		const posts = apiRequests(sandbox, 'POST', '/api/v1/secure_tokens');
		expect(posts).toHaveLength(3);
		const byAmount = (amount: number) => posts.filter((request) => (request.body as IDataObject).amount === amount);
		expect([1000, 2500, 99].map((amount) => byAmount(amount).length)).toEqual([1, 1, 1]);
		expect(byAmount(2500)[0].body).toEqual({
			amount: 2500,
			currency: 'JPY',
			return_url: 'https://shop.example.com/return?order=A-2',
			payment_details: {
				type: 'credit_card',
				number: '****0100',
				month: 12,
				year: FUTURE_YEAR,
				name: 'Taro Yamada',
				email: 'taro@example.com',
				given_name: 'Taro',
				family_name: 'Yamada',
				billing_address_country: 'JP',
			},
		});
		expect(posts.every((request) => request.cardNumberSent && request.verificationValueSent)).toBe(true);
		for (const request of posts) {
			expect(request.headers.authorization).toBe(basicAuth());
			expect(request.apiVersion).toBe('2025-01-28');
			expect(request.idempotencyKey).toMatch(/^n8n-[0-9a-f]{64}$/);
		}
		expect(new Set(posts.map((request) => request.idempotencyKey)).size).toBe(3);
	});

	it('lets the Idempotency Key option replace the derived key, read for each item when it is an expression', async () => {
		await runKomoju(sandbox, cardCreate({ options: { idempotencyKey: '=order-{{ $json.order }}', concurrency: 1 } }), {
			items: [{ order: 7 }, { order: 8 }, { order: 9 }],
		});
		expect(apiRequests(sandbox, 'POST', '/api/v1/secure_tokens').map((request) => request.idempotencyKey)).toEqual(['order-7', 'order-8', 'order-9']);
	});

	it('omits the API version header when the credential leaves it empty', async () => {
		await runKomoju(sandbox, cardCreate(), { credentials: { apiVersion: '' } });
		const [post] = apiRequests(sandbox, 'POST', '/api/v1/secure_tokens');
		expect(post.headers['x-komoju-api-version']).toBeUndefined();
	});
});

describe('Secure Token → Create with a saved customer', () => {
	it('sends the customer id and no payment_details', async () => {
		const response = await fetch(`${sandbox.url}/api/v1/customers`, {
			method: 'POST',
			headers: { Authorization: basicAuth(), 'Content-Type': 'application/json' },
			body: JSON.stringify({
				email: 'hanako@example.com',
				payment_details: { type: 'credit_card', number: CARDS.challengeOk, month: 1, year: FUTURE_YEAR },
			}),
		});
		const customer = (await response.json()) as { id: string };
		expect(response.status).toBeLessThan(300);

		const result = await runKomoju(sandbox, {
			resource: 'secureToken',
			operation: 'create',
			amount: 5000,
			currency: 'USD',
			returnUrl: 'https://shop.example.com/back',
			paymentSource: 'customer',
			customerId: '={{ $json.customer }}',
		}, { items: [{ customer: customer.id }] });

		expect(result.status).toBe('success');
		expect(result.resultOf('KOMOJU')[0].json.verification_status).toBe('NEEDS_VERIFY');
		const [post] = apiRequests(sandbox, 'POST', '/api/v1/secure_tokens');
		expect(post.body).toEqual({
			amount: 5000,
			currency: 'USD',
			return_url: 'https://shop.example.com/back',
			customer: customer.id,
		});
		expect(post.cardNumberSent).toBe(false);
	});
});

describe('input checks: refused before anything is sent', () => {
	const cases: Array<[string, IDataObject, RegExp]> = [
		['a decimal amount', { amount: 10.5 }, /^Amount must be a whole number/],
		['a negative amount', { amount: -1 }, /^Amount must be a whole number/],
		['a currency that is not a code', { currency: 'yen!' }, /^Currency must be a 3-letter/],
		['a relative return URL', { returnUrl: '/back' }, /^Return URL must be an absolute http\(s\) URL/],
		['a card number with a bad checksum', { cardNumber: '4100000000000101' }, /ending in 0101 is not a valid card number/],
		['a month of 13', { expiryMonth: 13 }, /^Expiry Month must be a number from 1 to 12/],
		['an expired year', { expiryYear: 2001 }, /^Expiry Year 2001 is in the past/],
		['a 3-digit year', { expiryYear: 203 }, /^Expiry Year must have 2 or 4 digits/],
		['a CVC with letters', { verificationValue: '12x' }, /^CVC must be 3 or 4 digits/],
		// An empty literal is refused by n8n itself; an expression that yields nothing reaches the node.
		['no card number', { cardNumber: '={{ $json.nothing }}' }, /^Card Number is required/],
		['no customer id', { paymentSource: 'customer', customerId: '={{ $json.nothing }}' }, /^Customer ID is required/],
		['an idempotency key over 100 characters', { options: { idempotencyKey: 'k'.repeat(101) } }, /^Idempotency Key must be/],
		['max retries over 10', { options: { maxRetries: 11 } }, /^Max Retries must be a whole number from 0 to 10/],
	];

	it.each(cases)('%s', async (_name, overrides, message) => {
		const result = await runKomoju(sandbox, cardCreate(overrides), { items: [{}, {}] });
		expect(result.status).toBe('error');
		const [{ error }] = result.thrown;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(apiRequests(sandbox, 'POST', '/api/v1/secure_tokens')).toHaveLength(0);
	});
});

describe('Continue On Fail', () => {
	const items = [{ amount: 100 }, { amount: 10.5 }, { amount: 300 }];

	it('turns the bad item into an error item in its place and runs the others', async () => {
		const result = await runKomoju(sandbox, cardCreate({ amount: '={{ $json.amount }}' }), {
			items,
			settings: { continueOnFail: true },
		});
		expect(result.status).toBe('success');
		const output = result.resultOf('KOMOJU');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.verification_status).toBe('NEEDS_VERIFY');
		expect(output[1].json).toEqual({
			error: 'Amount must be a whole number of 0 or more, got 10.5',
			details: { description: expect.stringMatching(/JPY has no minor unit/) },
		});
		expect(output[2].json.verification_status).toBe('NEEDS_VERIFY');
		expect(sandbox.secureTokens()).toHaveLength(2);
	});

	it('reports KOMOJU’s error code and parameter on the error item', async () => {
		// Luhn-valid, but not one of KOMOJU's test cards: the sandbox refuses it as KOMOJU would.
		const result = await runKomoju(sandbox, cardCreate({ cardNumber: '={{ $json.card }}' }), {
			items: [{ card: CARDS.frictionlessOk }, { card: '4242424242424242' }],
			settings: { continueOnFail: true },
		});
		const [, failed] = result.resultOf('KOMOJU');
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json.error).toMatch(/^KOMOJU: /);
		expect(failed.json.details).toMatchObject({ httpCode: '422', param: 'payment_details.number' });
		expect(JSON.stringify(failed.json)).not.toContain('4242424242424242');
	});

	it('sends failing items to the error output with "continue using error output"', async () => {
		const result = await runKomoju(sandbox, cardCreate({ amount: '={{ $json.amount }}' }), {
			items,
			settings: { onError: 'continueErrorOutput' },
		});
		expect(result.status).toBe('success');
		const success = result.resultOf('KOMOJU', 0, 0);
		const failed = result.resultOf('KOMOJU', 0, 1);
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toMatch(/^Amount must be a whole number/);
	});
});

describe('KOMOJU errors', () => {
	it('a wrong secret key fails once, with a message that says what to fix', async () => {
		const result = await runKomoju(sandbox, cardCreate(), { credentials: { secretKey: 'sk_test_wrong' } });
		expect(result.status).toBe('error');
		const error = result.thrown[0].error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/^KOMOJU: /);
		expect(error.description).toMatch(/KOMOJU error code: unauthorized/);
		expect(error.description).toMatch(/secret key \(not the publishable key\)/);
		expect(error.context.itemIndex).toBe(0);
		expect(apiRequests(sandbox, 'POST', '/api/v1/secure_tokens')).toHaveLength(1);
	});

	it('a 422 names KOMOJU’s code and parameter', async () => {
		const result = await runKomoju(sandbox, cardCreate({ cardNumber: '4242424242424242' }));
		const error = result.thrown[0].error as NodeApiError;
		expect(error.httpCode).toBe('422');
		expect(error.description).toMatch(/KOMOJU error code: \w+ · parameter: payment_details\.number · Check the value of "payment_details\.number"\./);
	});
});
