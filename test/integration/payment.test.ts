import type { IDataObject } from 'n8n-workflow';

import {
	apiRequests,
	cardPayment,
	authenticate,
	CARDS,
	cardCreate,
	cardDataIn,
	everythingVisible,
	FUTURE_YEAR,
	getToken,
	komojuCall,
	runKomoju,
	runKomojuChain,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const card = (number: string = CARDS.regular) => ({
	type: 'credit_card',
	number,
	month: 8,
	year: FUTURE_YEAR,
	verification_value: '123',
});

function createPayment(overrides: IDataObject = {}): IDataObject {
	return { resource: 'payment', operation: 'create', amount: 5000, currency: 'JPY', ...overrides };
}

const byCard = (overrides: IDataObject = {}) => cardPayment({ amount: 5000, ...overrides });

const onPayment = (operation: string, paymentId: string, extra: IDataObject = {}) => ({
	resource: 'payment',
	operation,
	paymentId,
	...extra,
});

// Tax 0, so that amounts are totals (an omitted tax would make KOMOJU add 10 %; see tax.test.ts).
async function authorizedPayment(amount = 5000, currency = 'JPY'): Promise<IDataObject> {
	return await komojuCall(sandbox, 'POST', '/payments', { amount, currency, tax: 0, capture: false, payment_details: card() });
}

async function capturedPayment(amount = 5000, currency = 'JPY'): Promise<IDataObject> {
	return await komojuCall(sandbox, 'POST', '/payments', { amount, currency, tax: 0, payment_details: card() });
}

const eventTypes = (): string[] => sandbox.events().map((event) => String(event.type)).reverse();

describe('from a secure token to a captured and refunded payment', () => {
	it('Secure Token Create → 3DS → Get → Payment Create (authorise) → Capture → Refund part → Refund the rest', async () => {
		const created = await runKomoju(sandbox, cardCreate({ amount: 8000, cardNumber: CARDS.challengeOk }));
		const token = created.resultOf('KOMOJU')[0].json;
		expect(token.verification_status).toBe('NEEDS_VERIFY');
		await authenticate(token.authentication_url as string, '123456');

		const result = await runKomojuChain(sandbox, [
			{ name: 'Verified', parameters: getToken(token.id as string, { failIfNotVerified: true }) },
			{
				name: 'Pay',
				parameters: createPayment({
					amount: 8000,
					secureTokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					capture: false,
					additionalFields: { externalOrderNum: 'order-42', description: 'Two books' },
				}),
			},
			{ name: 'Capture', parameters: onPayment('capture', '={{ $json.id }}') },
			{
				name: 'Refund Part',
				parameters: onPayment('refund', '={{ $json.id }}', { refundType: 'partial', amount: 3000, description: 'One book back' }),
			},
			{ name: 'Refund Rest', parameters: onPayment('refund', '={{ $json.id }}') },
		]);
		expect(result.status).toBe('success');

		const paid = result.resultOf('Pay')[0].json;
		expect(paid).toMatchObject({ status: 'authorized', amount: 8000, currency: 'JPY', external_order_num: 'order-42' });
		expect(result.resultOf('Capture')[0].json).toMatchObject({ id: paid.id, status: 'captured' });
		expect(result.resultOf('Refund Part')[0].json).toMatchObject({ status: 'captured', amount_refunded: 3000 });
		const refunded = result.resultOf('Refund Rest')[0].json;
		expect(refunded).toMatchObject({ status: 'refunded', amount_refunded: 8000 });
		expect((refunded.refunds as IDataObject[]).map((refund) => refund.amount)).toEqual([3000, 5000]);
		expect(result.resultOf('Refund Rest')[0].pairedItem).toEqual({ item: 0 });

		const payBody = apiRequests(sandbox, 'POST', '/api/v1/payments')[0].body as IDataObject;
		expect(payBody).toMatchObject({ amount: 8000, currency: 'JPY', payment_details: token.id, capture: false });
		expect(eventTypes()).toEqual([
			'payment.authorized',
			'payment.captured',
			'payment.refund.created',
			'payment.refund.created',
			'payment.refunded',
		]);
		// Every money-moving POST carried its own idempotency key.
		const keys = apiRequests(sandbox, 'POST', '/api/v1/payments').map((request) => request.idempotencyKey);
		expect(keys).toHaveLength(4);
		expect(new Set(keys).size).toBe(4);
	});

	it('Fail If Not Verified stops a token the customer has not verified, before any payment', async () => {
		const created = await runKomoju(sandbox, cardCreate());
		const id = created.resultOf('KOMOJU')[0].json.id as string;
		const result = await runKomojuChain(sandbox, [
			{ name: 'Verified', parameters: getToken(id, { failIfNotVerified: true }) },
			{ name: 'Pay', parameters: createPayment({ amount: 1000, secureTokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }) },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Secure token ${id} is not verified: verification_status is NEEDS_VERIFY`);
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toHaveLength(0);
	});

	it('an unverified secure token is refused by KOMOJU with a message naming the problem', async () => {
		const created = await runKomoju(sandbox, cardCreate({ amount: 1000 }));
		const id = created.resultOf('KOMOJU')[0].json.id as string;
		const result = await runKomoju(
			sandbox,
			createPayment({ amount: 1000, secureTokenId: { __rl: true, mode: 'id', value: id } }),
			{ settings: { onError: 'continueRegularOutput' } },
		);
		const item = result.resultOf('KOMOJU')[0].json;
		expect(item.error).toMatch(/^KOMOJU: .*not verified/);
		expect(item.details).toMatchObject({ httpCode: '422', code: 'invalid_token', param: 'payment_details' });
		expect((item.details as IDataObject).description).toContain('The token is used, expired or not verified');
	});
});

describe('Payment → Create from each source', () => {
	it('a one-time token', async () => {
		const token = await komojuCall(sandbox, 'POST', '/tokens', { payment_details: card() });
		const result = await runKomoju(sandbox, createPayment({ paymentSource: 'token', tokenId: { __rl: true, mode: 'id', value: token.id } }));
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured', amount: 5000 });
	});

	it('a saved customer', async () => {
		const customer = await komojuCall(sandbox, 'POST', '/customers', { payment_details: card() });
		const result = await runKomoju(sandbox, createPayment({ paymentSource: 'customer', customerId: customer.id }));
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured', customer: customer.id });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')[0].body).toMatchObject({ customer: customer.id });
	});

	it('card details, with metadata, fraud details and tax; the output has no card number or CVC', async () => {
		const result = await runKomoju(
			sandbox,
			byCard({
				currency: 'USD',
				amount: 1050,
				tax: 'amount',
				taxAmount: 50,
				additionalFields: {
					locale: 'en',
					metadata: { entries: [{ key: 'order', value: 'A-1' }, { key: 'channel', value: 'n8n' }] },
					fraudDetails: { customerIp: '203.0.113.9', customerEmail: 'taro@example.com' },
				},
			}),
		);
		expect(result.error?.message).toBeUndefined();
		const payment = result.resultOf('KOMOJU')[0].json;
		expect(payment).toMatchObject({ status: 'captured', amount: 1050, tax: 50, total: 1100, metadata: { order: 'A-1', channel: 'n8n' } });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')[0].body).toMatchObject({
			fraud_details: { customer_ip: '203.0.113.9', customer_email: 'taro@example.com' },
			locale: 'en',
		});
		expect(cardDataIn(result, [CARDS.regular, '123'])).toEqual([]);
	});

	it('a declined card: KOMOJU’s 402 as an error item, no card number anywhere', async () => {
		const result = await runKomoju(sandbox, byCard({ cardNumber: CARDS.insufficientFunds }), {
			settings: { onError: 'continueRegularOutput' },
		});
		const item = result.resultOf('KOMOJU')[0].json;
		expect(item.details).toMatchObject({ httpCode: '402', code: 'insufficient_funds' });
		expect(everythingVisible(result)).not.toContain(CARDS.insufficientFunds);
	});

	it('bad input is refused per item before anything is sent', async () => {
		const result = await runKomoju(sandbox, byCard({ amount: '={{ $json.amount }}', currency: 'USD' }), {
			items: [{ amount: 10.5 }, { amount: 1050 }],
			settings: { onError: 'continueRegularOutput' },
		});
		const [bad, good] = result.resultOf('KOMOJU');
		expect(bad.json.error).toBe('Amount must be a whole number of 0 or more, got 10.5');
		expect(bad.json.details).toMatchObject({ description: expect.stringContaining('1050 is 10.50 USD') });
		expect(good.json).toMatchObject({ status: 'captured', amount: 1050 });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toHaveLength(1);
	});
});

describe('Payment → Create: what KOMOJU’s contract requires', () => {
	it.each([
		['only an IP', { customerIp: '203.0.113.9' }, 'Fraud Details need Customer Email'],
		['only an email', { customerEmail: 'taro@example.com' }, 'Fraud Details need Customer IP'],
		['a blank IP', { customerIp: '  ', customerEmail: 'taro@example.com', browserLanguage: 'ja' }, 'Fraud Details need Customer IP'],
	])('Fraud Details with %s are refused before sending', async (_name, fraudDetails, message) => {
		const result = await runKomoju(sandbox, byCard({ additionalFields: { fraudDetails } }));
		expect(result.error?.message).toBe(message);
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toHaveLength(0);
	});

	it('an External Order Number is used once: KOMOJU refuses a second payment with it, while a retry of the first is replayed', async () => {
		const order = (options: IDataObject = {}) => byCard({ additionalFields: { externalOrderNum: 'ORDER-1' }, options });
		const first = await runKomoju(sandbox, order({ idempotencyKey: 'order-1-attempt' }));
		expect(first.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured', external_order_num: 'ORDER-1' });
		const replay = await runKomoju(sandbox, order({ idempotencyKey: 'order-1-attempt' }));
		expect(replay.resultOf('KOMOJU')[0].json.id).toBe(first.resultOf('KOMOJU')[0].json.id);
		const second = await runKomoju(sandbox, order());
		expect(second.status).toBe('error');
		expect(second.error?.description).toContain('parameter: external_order_num');
		expect(sandbox.payments()).toHaveLength(1);
	});
});

describe('state rules', () => {
	it.each([
		['capture', 'not_capturable', 'Only an authorized payment can be captured'],
		['cancel', 'not_cancellable', 'Only a pending or authorized payment can be cancelled'],
	])('%s on a captured payment is KOMOJU’s 422 %s, shown with its message and what to do', async (operation, code, hint) => {
		const payment = await capturedPayment();
		const result = await runKomoju(sandbox, onPayment(operation, payment.id as string));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^KOMOJU: The payment cannot be/);
		expect(result.error?.description).toContain(`KOMOJU error code: ${code}`);
		expect(result.error?.description).toContain(hint);
	});

	it('refund of an authorised payment is refused; cancel then makes it cancelled', async () => {
		const payment = await authorizedPayment();
		const refused = await runKomoju(sandbox, onPayment('refund', payment.id as string));
		expect(refused.error?.message).toBe(
			'KOMOJU: The payment cannot be refunded: its status is authorized. Only captured payments can be refunded.',
		);
		expect(refused.error?.description).toContain('KOMOJU error code: not_refundable');
		const cancelled = await runKomoju(sandbox, onPayment('cancel', payment.id as string));
		expect(cancelled.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'cancelled' });
	});

	it('partial capture takes less than was authorised', async () => {
		const payment = await authorizedPayment(5000);
		const result = await runKomoju(sandbox, onPayment('capture', payment.id as string, { captureType: 'partial', amount: 3000 }));
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured', amount: 3000 });
	});

	it('a refund larger than what is left is refused by KOMOJU when the node does not read the payment', async () => {
		const payment = await capturedPayment(5000);
		const result = await runKomoju(sandbox, onPayment('refund', payment.id as string, { refundType: 'partial', amount: 6000 }));
		expect(result.error?.description).toContain('parameter: amount');
		expect(sandbox.payments()[0]).toMatchObject({ status: 'captured', amount_refunded: 0 });
	});

	it('an unknown payment id is KOMOJU’s 404; ids are encoded into the path', async () => {
		const result = await runKomoju(sandbox, onPayment('get', 'no such/id'), { settings: { onError: 'continueRegularOutput' } });
		expect(result.resultOf('KOMOJU')[0].json.details).toMatchObject({ httpCode: '404' });
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments/')[0].path).toBe('/api/v1/payments/no%20such%2Fid');
	});
});

describe('Maximum Amount', () => {
	const maximum = (amount: number, currency = 'JPY') => ({ maximumAmount: amount, maximumAmountCurrency: currency });

	it('refuses a larger payment before anything is sent, and lets one up to the maximum through', async () => {
		const result = await runKomoju(sandbox, byCard({ amount: '={{ $json.amount }}', options: maximum(5000) }), {
			items: [{ amount: 5001 }, { amount: 5000 }],
			settings: { onError: 'continueRegularOutput' },
		});
		const [refused, paid] = result.resultOf('KOMOJU');
		expect(refused.json.error).toBe('Refused: this payment of 5,001 JPY is above the node’s Maximum Amount of 5,000 JPY');
		expect(paid.json).toMatchObject({ status: 'captured', amount: 5000 });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toHaveLength(1);
	});

	it('refuses another currency', async () => {
		const dollars = await runKomoju(sandbox, byCard({ currency: 'USD', amount: 100, options: maximum(5000) }));
		expect(dollars.error?.message).toBe('Refused: this payment is in USD, but the node’s Maximum Amount is set in JPY');
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toHaveLength(0);
	});

	it('a full refund reads the payment first and is refused when what is left exceeds the maximum', async () => {
		const payment = await capturedPayment(8000);
		const result = await runKomoju(sandbox, onPayment('refund', payment.id as string, { options: maximum(5000) }));
		expect(result.error?.message).toBe('Refused: this refund of 8,000 JPY is above the node’s Maximum Amount of 5,000 JPY');
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments/')).toHaveLength(1);
		expect(apiRequests(sandbox, 'POST', `/api/v1/payments/${payment.id}/refund`)).toHaveLength(0);
	});

	it('a partial refund within the maximum goes through; one above what is left is refused locally', async () => {
		const payment = await capturedPayment(8000);
		const partial = (amount: number) =>
			onPayment('refund', payment.id as string, { refundType: 'partial', amount, options: maximum(5000) });
		expect((await runKomoju(sandbox, partial(5000))).resultOf('KOMOJU')[0].json).toMatchObject({ amount_refunded: 5000 });
		const tooMuch = await runKomoju(sandbox, partial(4000));
		expect(tooMuch.error?.message).toBe('Cannot refund 4,000 JPY: only 3,000 JPY is left to refund (tax included)');
		expect(apiRequests(sandbox, 'POST', `/api/v1/payments/${payment.id}/refund`)).toHaveLength(1);
	});

	it('a full capture of an authorisation above the maximum is refused', async () => {
		const payment = await authorizedPayment(9000);
		const result = await runKomoju(sandbox, onPayment('capture', payment.id as string, { options: maximum(5000) }));
		expect(result.error?.message).toBe('Refused: this capture of 9,000 JPY is above the node’s Maximum Amount of 5,000 JPY');
		expect(sandbox.payments()[0]).toMatchObject({ status: 'authorized' });
	});
});

describe('retries never act twice', () => {
	it('a capture whose answer was lost is retried with the same key and captures once', async () => {
		const payment = await authorizedPayment();
		sandbox.injectFault({ method: 'POST', path: `/api/v1/payments/${payment.id}/capture`, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, onPayment('capture', payment.id as string));
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured' });
		const attempts = apiRequests(sandbox, 'POST', `/api/v1/payments/${payment.id}/capture`);
		expect(attempts).toHaveLength(2);
		expect(new Set(attempts.map((request) => request.headers['x-komoju-idempotency'])).size).toBe(1);
		expect(eventTypes().filter((type) => type === 'payment.captured')).toHaveLength(1);
	});

	it('a refund hit by a 503 is retried and refunds once', async () => {
		const payment = await capturedPayment(5000);
		sandbox.injectFault({ method: 'POST', path: `/api/v1/payments/${payment.id}/refund`, action: { status: 503 } });
		const result = await runKomoju(sandbox, onPayment('refund', payment.id as string, { refundType: 'partial', amount: 1000 }));
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ amount_refunded: 1000 });
		expect(sandbox.payments()[0].refunds).toHaveLength(1);
	});

	it('a create whose answer never comes says KOMOJU may have charged, and gives the idempotency key to repeat it safely', async () => {
		sandbox.injectFault({ method: 'POST', path: '/api/v1/payments', times: 4, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, byCard({ options: { maxRetries: 3 } }), { settings: { onError: 'continueRegularOutput' } });
		const item = result.resultOf('KOMOJU')[0].json;
		const sentKey = apiRequests(sandbox, 'POST', '/api/v1/payments')[0].headers['x-komoju-idempotency'];
		expect(item.details).toMatchObject({ idempotencyKey: sentKey });
		expect((item.details as IDataObject).description).toContain('KOMOJU may have processed this request');
		// It had: one payment exists, and repeating with the same key returns it instead of charging again.
		expect(sandbox.payments()).toHaveLength(1);
		const repeat = await runKomoju(sandbox, byCard({ options: { idempotencyKey: sentKey } }));
		expect(repeat.resultOf('KOMOJU')[0].json.id).toBe(sandbox.payments()[0].id);
		expect(sandbox.payments()).toHaveLength(1);
	});

	it('a refused request (402) does not claim KOMOJU may have acted', async () => {
		const result = await runKomoju(sandbox, byCard({ cardNumber: CARDS.insufficientFunds }), { settings: { onError: 'continueRegularOutput' } });
		const details = result.resultOf('KOMOJU')[0].json.details as IDataObject;
		expect(details.idempotencyKey).toBeUndefined();
		expect(details.description).not.toContain('may have processed');
	});
});

describe('card declines', () => {
	const decline = (status: number) => ({
		method: 'POST',
		path: '/api/v1/payments',
		times: 4,
		action: {
			status,
			body: { error: { code: 'card_declined', message: 'The card was declined.', param: 'payment_details', details: {} } },
		},
	});

	it.each([502, 500, 503])(
		'a decline answered with %i is sent once and reported as a decline, not as “try again” or “may have processed”',
		async (status) => {
			sandbox.injectFault(decline(status));
			const result = await runKomoju(sandbox, byCard({ options: { maxRetries: 3 } }), {
				settings: { onError: 'continueRegularOutput' },
			});
			const item = result.resultOf('KOMOJU')[0].json;
			const details = item.details as IDataObject;
			expect(apiRequests(sandbox, 'POST', '/api/v1/payments')).toHaveLength(1);
			expect(item.error).toBe('KOMOJU: The card was declined.');
			expect(details).toMatchObject({ httpCode: String(status), code: 'card_declined' });
			expect(details.idempotencyKey).toBeUndefined();
			expect(details.description).toContain('The card was declined; nothing was charged');
			expect(details.description).not.toMatch(/may have processed|Try again later/);
		},
	);
});

describe('Payment → Update', () => {
	it('changes the description and replaces the metadata', async () => {
		const payment = await capturedPayment();
		const result = await runKomoju(
			sandbox,
			onPayment('update', payment.id as string, {
				updateFields: { description: 'Gift wrapped', metadata: { entries: [{ key: 'crm', value: 'deal-7' }] } },
			}),
		);
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ description: 'Gift wrapped', metadata: { crm: 'deal-7' } });
		expect(apiRequests(sandbox, 'PATCH', '/api/v1/payments/')).toHaveLength(1);
	});

	it('needs a field to update, and checks metadata against KOMOJU’s limits', async () => {
		const empty = await runKomoju(sandbox, onPayment('update', 'p1'));
		expect(empty.error?.message).toBe('Add a field to update: Description or Metadata');
		const longKey = await runKomoju(
			sandbox,
			onPayment('update', 'p1', { updateFields: { metadata: { entries: [{ key: 'k'.repeat(31), value: 'v' }] } } }),
		);
		expect(longKey.error?.message).toMatch(/longer than KOMOJU’s 30 characters/);
		expect(sandbox.requests.filter((request) => request.kind === 'api')).toHaveLength(0);
	});
});

describe('Payment → Get Many', () => {
	async function seedPayments(count: number) {
		for (let index = 0; index < count; index++) {
			await komojuCall(sandbox, 'POST', '/payments', {
				amount: 100 + index,
				currency: index % 2 ? 'USD' : 'JPY',
				capture: index % 3 !== 0,
				external_order_num: `order-${index}`,
				payment_details: card(),
			});
		}
		sandbox.clearRequests();
	}

	it('Return All reads every page, one item per payment, newest first', async () => {
		await seedPayments(230);
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', returnAll: true });
		const items = result.resultOf('KOMOJU');
		expect(items).toHaveLength(230);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(230);
		expect(items[0].json.amount).toBe(329);
		expect(items[229].json.amount).toBe(100);
		expect(items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		const pages = apiRequests(sandbox, 'GET', '/api/v1/payments');
		expect(pages.map((request) => request.query)).toEqual([
			{ page: '1', per_page: '100' },
			{ page: '2', per_page: '100' },
			{ page: '3', per_page: '100' },
		]);
	});

	it('Limit stops reading once it has enough', async () => {
		await seedPayments(230);
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', returnAll: false, limit: 150 });
		expect(result.resultOf('KOMOJU')).toHaveLength(150);
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments')).toHaveLength(2);
		const few = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', limit: 3 });
		expect(few.resultOf('KOMOJU')).toHaveLength(3);
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments').at(-1)?.query).toEqual({ page: '1', per_page: '3' });
	});

	it('filters by status, currency and order number as KOMOJU’s query parameters', async () => {
		await seedPayments(12);
		const result = await runKomoju(sandbox, {
			resource: 'payment',
			operation: 'getAll',
			returnAll: true,
			filters: { status: ['authorized'], currency: 'JPY' },
		});
		const items = result.resultOf('KOMOJU').map((item) => item.json);
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((payment) => payment.status === 'authorized' && payment.currency === 'JPY')).toBe(true);
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments')[0].query).toMatchObject({ status: 'authorized', currency: 'JPY' });

		const one = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', returnAll: true, filters: { externalOrderNum: 'order-7' } });
		expect(one.resultOf('KOMOJU').map((item) => item.json.external_order_num)).toEqual(['order-7']);
	});

	it('time filters are sent as ISO 8601 in UTC; a bad one is refused before sending', async () => {
		await runKomoju(sandbox, {
			resource: 'payment',
			operation: 'getAll',
			filters: { startTime: '2026-01-02T03:04:05.678+09:00', endTime: '2026-12-31T00:00:00Z' },
		});
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments')[0].query).toMatchObject({
			start_time: '2026-01-01T18:04:05Z',
			end_time: '2026-12-31T00:00:00Z',
		});
		const bad = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', filters: { startTime: 'yesterday' } });
		expect(bad.error?.message).toBe('Created After must be a date and time, got "yesterday"');
	});

	it('no payments: no items', async () => {
		const result = await runKomoju(sandbox, { resource: 'payment', operation: 'getAll', returnAll: true });
		expect(result.status).toBe('success');
		expect(result.resultOf('KOMOJU')).toHaveLength(0);
	});
});

describe('a batch that fails part-way', () => {
	it('names every item KOMOJU already charged, with its payment and idempotency key, in the error n8n keeps', async () => {
		const customers: IDataObject[] = [];
		for (let index = 0; index < 3; index++) {
			customers.push(await komojuCall(sandbox, 'POST', '/customers', { email: `buyer${index}@example.com`, payment_details: card() }));
		}
		const orders = [{ customer: customers[0].id }, { customer: customers[1].id }, { customer: 'cus_unknown' }, { customer: customers[2].id }];
		const result = await runKomoju(
			sandbox,
			createPayment({ amount: 1000, paymentSource: 'customer', customerId: '={{ $json.customer }}' }),
			{ items: orders },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^KOMOJU: /);
		const payments = sandbox.payments();
		expect(payments).toHaveLength(3);
		const sent = apiRequests(sandbox, 'POST', '/api/v1/payments');
		const keyOf = (customerId: unknown) => sent.find((request) => (request.body as IDataObject).customer === customerId)?.headers['x-komoju-idempotency'];
		const description = result.error?.description ?? '';
		expect(description).toContain('KOMOJU already processed 3 other items of this run');
		for (const [position, customerIndex] of [[1, 0], [2, 1], [4, 2]]) {
			const payment = payments.find((entry) => entry.customer === customers[customerIndex].id);
			expect(description).toContain(`item ${position} → ${payment?.id} (key ${keyOf(customers[customerIndex].id)})`);
		}
		expect(description).toContain('Executions → Retry sends the same idempotency keys');
	});
});
