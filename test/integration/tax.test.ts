import type { IDataObject } from 'n8n-workflow';

import {
	apiRequests,
	cardPayment,
	authenticate,
	cardCreate,
	CARDS,
	FUTURE_YEAR,
	komojuCall,
	runKomoju,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';

// KOMOJU adds Japan's highest consumption tax (10 %) when a payment's `tax` is omitted or "auto"
// (contract: CreatePaymentRequestWithPaymentDetailsTax), and refunds count tax-included amounts
// (contract: Refund.amount). The sandbox computes that tax, so a node that forgot it would be seen here.

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const card = {
	type: 'credit_card',
	number: CARDS.regular,
	month: 8,
	year: FUTURE_YEAR,
	verification_value: '123',
};


const maximum = (amount: number) => ({ maximumAmount: amount, maximumAmountCurrency: 'JPY' });

const onPayment = (operation: string, paymentId: string, extra: IDataObject = {}) => ({
	resource: 'payment',
	operation,
	paymentId,
	...extra,
});

function paymentBodies(): IDataObject[] {
	return apiRequests(sandbox, 'POST', '/api/v1/payments').map((request) => request.body as IDataObject);
}

describe('Payment → Create: tax', () => {
	it('with the defaults, ¥1,000 sends tax 0 and KOMOJU’s payment totals ¥1,000', async () => {
		const result = await runKomoju(sandbox, cardPayment());
		expect(result.error?.message).toBeUndefined();
		expect(paymentBodies()[0]).toMatchObject({ amount: 1000, tax: 0 });
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ amount: 1000, tax: 0, total: 1000 });
		expect(sandbox.payments()[0]).toMatchObject({ total: 1000 });
	});

	it('KOMOJU Automatic sends "auto", and KOMOJU’s payment shows the consumption tax it added', async () => {
		const result = await runKomoju(sandbox, cardPayment({ tax: 'auto' }));
		expect(paymentBodies()[0]).toMatchObject({ amount: 1000, tax: 'auto' });
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ amount: 1000, tax: 100, total: 1100 });
	});

	it('a Tax Amount is sent as it is and added to the total', async () => {
		const result = await runKomoju(sandbox, cardPayment({ currency: 'USD', amount: 1050, tax: 'amount', taxAmount: 50 }));
		expect(paymentBodies()[0]).toMatchObject({ amount: 1050, tax: 50 });
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ tax: 50, total: 1100 });
	});

	it('Maximum Amount bounds what the customer pays: automatic tax counts at the highest rate, rounded up', async () => {
		const result = await runKomoju(sandbox, cardPayment({ amount: '={{ $json.amount }}', tax: 'auto', options: maximum(1100) }), {
			items: [{ amount: 1001 }, { amount: 1000 }],
			settings: { onError: 'continueRegularOutput' },
		});
		const [refused, paid] = result.resultOf('KOMOJU');
		// 10 % of 1,001 is 100.1: the node assumes KOMOJU may round it up to 101.
		expect(refused.json.error).toBe('Refused: this payment of 1,102 JPY is above the node’s Maximum Amount of 1,100 JPY');
		expect(paid.json).toMatchObject({ amount: 1000, total: 1100 });
		expect(paymentBodies()).toHaveLength(1);
	});

	it('Maximum Amount counts a Tax Amount', async () => {
		const result = await runKomoju(sandbox, cardPayment({ amount: 5000, tax: 'amount', taxAmount: 1, options: maximum(5000) }));
		expect(result.error?.message).toBe('Refused: this payment of 5,001 JPY is above the node’s Maximum Amount of 5,000 JPY');
		expect(paymentBodies()).toHaveLength(0);
	});

	it('a Tax Amount with decimals is refused before sending', async () => {
		const result = await runKomoju(sandbox, cardPayment({ tax: 'amount', taxAmount: 10.5 }));
		expect(result.error?.message).toBe('Tax Amount must be a whole number of 0 or more, got 10.5');
		expect(paymentBodies()).toHaveLength(0);
	});

	it('a secure token is charged exactly the amount the customer authenticated: tax other than None is refused', async () => {
		const created = await runKomoju(sandbox, cardCreate({ amount: 1100 }));
		const token = created.resultOf('KOMOJU')[0].json as IDataObject;
		await authenticate(token.authentication_url as string);
		const pay = (tax: string) =>
			runKomoju(sandbox, {
				resource: 'payment',
				operation: 'create',
				amount: 1100,
				currency: 'JPY',
				paymentSource: 'secureToken',
				secureTokenId: { __rl: true, mode: 'id', value: token.id },
				tax,
			});
		const refused = await pay('auto');
		expect(refused.error?.message).toBe('Tax must be None when paying with a secure token');
		expect(paymentBodies()).toHaveLength(0);
		const paid = await pay('none');
		expect(paid.resultOf('KOMOJU')[0].json).toMatchObject({ amount: 1100, tax: 0, total: 1100, status: 'captured' });
	});
});

describe('Capture and Refund: tax included', () => {
	async function payment(body: IDataObject): Promise<IDataObject> {
		return await komojuCall(sandbox, 'POST', '/payments', { amount: 1000, currency: 'JPY', payment_details: card, ...body });
	}

	it('Maximum Amount on a partial capture counts its tax (¥900 + ¥300 tax is above ¥1,000)', async () => {
		const authorized = await payment({ capture: false, tax: 0 });
		const result = await runKomoju(
			sandbox,
			onPayment('capture', authorized.id as string, {
				captureType: 'partial',
				amount: 900,
				tax: 'amount',
				taxAmount: 300,
				options: maximum(1000),
			}),
		);
		expect(result.error?.message).toBe('Refused: this capture of 1,200 JPY is above the node’s Maximum Amount of 1,000 JPY');
		expect(apiRequests(sandbox, 'POST', `/api/v1/payments/${authorized.id}/capture`)).toHaveLength(0);
	});

	it('a partial capture always sends its tax, None by default, so KOMOJU adds none', async () => {
		const authorized = await payment({ capture: false, tax: 0 });
		const result = await runKomoju(sandbox, onPayment('capture', authorized.id as string, { captureType: 'partial', amount: 600 }));
		expect(apiRequests(sandbox, 'POST', `/api/v1/payments/${authorized.id}/capture`)[0].body).toEqual({ amount: 600, tax: 0 });
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured', amount: 600, total: 600 });
	});

	it('a full capture is bounded by the authorized total, tax included', async () => {
		const authorized = await payment({ capture: false, tax: 'auto' });
		expect(authorized).toMatchObject({ amount: 1000, tax: 100, total: 1100 });
		const result = await runKomoju(sandbox, onPayment('capture', authorized.id as string, { options: maximum(1050) }));
		expect(result.error?.message).toBe('Refused: this capture of 1,100 JPY is above the node’s Maximum Amount of 1,050 JPY');
	});

	it('a full refund returns the total, tax included, and Maximum Amount is checked against it', async () => {
		const captured = await payment({ tax: 'auto' });
		const refused = await runKomoju(sandbox, onPayment('refund', captured.id as string, { options: maximum(1050) }));
		expect(refused.error?.message).toBe('Refused: this refund of 1,100 JPY is above the node’s Maximum Amount of 1,050 JPY');
		const refunded = await runKomoju(sandbox, onPayment('refund', captured.id as string, { options: maximum(1100) }));
		expect(refunded.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'refunded', amount_refunded: 1100 });
	});

	it('a partial refund may return up to the tax-included total, and no more', async () => {
		const captured = await payment({ tax: 'auto' });
		const partial = (amount: number) =>
			onPayment('refund', captured.id as string, { refundType: 'partial', amount, options: maximum(5000) });
		expect((await runKomoju(sandbox, partial(600))).resultOf('KOMOJU')[0].json).toMatchObject({
			status: 'captured',
			amount_refunded: 600,
		});
		const tooMuch = await runKomoju(sandbox, partial(501));
		expect(tooMuch.error?.message).toBe('Cannot refund 501 JPY: only 500 JPY is left to refund (tax included)');
		expect((await runKomoju(sandbox, partial(500))).resultOf('KOMOJU')[0].json).toMatchObject({
			status: 'refunded',
			amount_refunded: 1100,
		});
	});
});
