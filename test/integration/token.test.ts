import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { apiRequests, cardDataIn, CARDS, everythingVisible, FUTURE_YEAR, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const CVC = '987';
const card = (number: string = CARDS.regular): IDataObject => ({ number, cvc: CVC });

// Card data arrives from the previous node: a number typed into the node would be in n8n's
// copy of the node that every error carries.
function createToken(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'token',
		operation: 'create',
		cardNumber: '={{ $json.number }}',
		expiryMonth: 8,
		expiryYear: FUTURE_YEAR,
		verificationValue: '={{ $json.cvc }}',
		cardholderName: 'Taro Yamada',
		...overrides,
	};
}

describe('Token → Create', () => {
	it('tokenizes the card with an idempotency key and outputs the token without card data', async () => {
		const result = await runKomoju(sandbox, createToken({ tokenFields: { currency: 'JPY' } }), { items: [card()] });
		expect(result.status).toBe('success');
		const [request] = apiRequests(sandbox, 'POST', '/api/v1/tokens');
		expect(request.path).toBe('/api/v1/tokens');
		expect(request.idempotencyKey).toEqual(expect.any(String));
		expect(request.body).toEqual({
			payment_details: { type: 'credit_card', number: '****1111', month: 8, year: FUTURE_YEAR, name: 'Taro Yamada' },
			currency: 'JPY',
		});
		const [item] = result.resultOf('KOMOJU');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({ resource: 'token', id: expect.any(String), payment_details: { last_four_digits: '1111' } });
		expect(cardDataIn(result, [CARDS.regular, CVC])).toEqual([]);
	});

	it('the token pays once through Payment → Create with Payment Source "Token"', async () => {
		const created = await runKomoju(sandbox, createToken(), { items: [card()] });
		const tokenId = created.resultOf('KOMOJU')[0].json.id as string;
		const pay = {
			resource: 'payment',
			operation: 'create',
			amount: 1500,
			currency: 'JPY',
			paymentSource: 'token',
			tokenId: { __rl: true, mode: 'id', value: tokenId },
		};
		const paid = await runKomoju(sandbox, pay);
		expect(paid.resultOf('KOMOJU')[0].json).toMatchObject({ status: 'captured', amount: 1500 });
		expect(apiRequests(sandbox, 'POST', '/api/v1/payments')[0].body).toMatchObject({ payment_details: tokenId });

		const again = await runKomoju(sandbox, pay, { settings: { continueOnFail: true }, executionId: 'second-use' });
		expect(again.resultOf('KOMOJU')[0].json.details).toMatchObject({ httpCode: expect.stringMatching(/^4/) });
	});

	it('a declined card is KOMOJU’s 402, an error item in its place with Continue On Fail', async () => {
		const result = await runKomoju(sandbox, createToken(), {
			items: [card(CARDS.insufficientFunds), card()],
			settings: { continueOnFail: true },
		});
		const [failed, ok] = result.resultOf('KOMOJU');
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(failed.json.details).toMatchObject({ httpCode: '402', code: 'insufficient_funds' });
		expect(ok.json.resource).toBe('token');
		expect(cardDataIn(result, [CARDS.regular, CARDS.insufficientFunds, CVC])).toEqual([]);
	});

	it.each<[string, IDataObject, IDataObject, RegExp]>([
		['a card number that fails the checksum', {}, card('4111111111111112'), /Card Number ending in 1112/],
		['a CVC that is not 3 or 4 digits', {}, { number: CARDS.regular, cvc: '12a' }, /CVC must be 3 or 4 digits/],
		['an expiry month of 13', { expiryMonth: 13 }, card(), /Expiry Month must be a number from 1 to 12/],
	])('refuses %s before anything is sent', async (_name, overrides, item, message) => {
		const result = await runKomoju(sandbox, createToken(overrides), { items: [item] });
		const [{ error }] = result.thrown;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
		expect(everythingVisible(result)).not.toContain(String(item.number));
	});
});
