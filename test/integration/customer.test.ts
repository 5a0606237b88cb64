import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import {
	apiRequests,
	cardDataIn,
	CARDS,
	everythingVisible,
	FUTURE_YEAR,
	komojuCall,
	runKomoju,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const CVC = '987';

// Card data arrives from the previous node, as from a form: a number typed into the node itself
// is part of the workflow, and n8n copies the node (parameters included) into every error.
const card = (number: string = CARDS.regular): IDataObject => ({ number, cvc: CVC });

function createCustomer(overrides: IDataObject = {}): IDataObject {
	return {
		resource: 'customer',
		operation: 'create',
		cardSource: 'card',
		cardNumber: '={{ $json.number }}',
		expiryMonth: 8,
		expiryYear: FUTURE_YEAR,
		verificationValue: '={{ $json.cvc }}',
		cardholderName: 'Taro Yamada',
		...overrides,
	};
}

async function createCustomers(count: number): Promise<IDataObject[]> {
	const items = Array.from({ length: count }, (_, index) => ({ ...card(), email: `buyer${index}@example.com` }));
	const result = await runKomoju(sandbox, createCustomer({ customerFields: { email: '={{ $json.email }}' } }), { items });
	expect(result.status).toBe('success');
	sandbox.clearRequests();
	return result.resultOf('KOMOJU').map((item) => item.json);
}

describe('Customer → Create', () => {
	it('from a one-time token by default: no card number passes through n8n, and the token is used up', async () => {
		const token = await komojuCall(sandbox, 'POST', '/tokens', { payment_details: { type: 'credit_card', number: CARDS.regular, month: 8, year: FUTURE_YEAR } });
		sandbox.clearRequests();
		const result = await runKomoju(sandbox, {
			resource: 'customer',
			operation: 'create',
			tokenId: { __rl: true, mode: 'id', value: '={{ $json.token }}' },
			customerFields: { email: 'hanako@example.com' },
		}, { items: [{ token: token.id }] });
		const [request] = apiRequests(sandbox, 'POST', '/api/v1/customers');
		expect(request.body).toEqual({ payment_details: token.id, email: 'hanako@example.com' });
		expect(request.cardNumberSent).toBe(false);
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ resource: 'customer', source: { last_four_digits: '1111' } });
		const again = await runKomoju(sandbox, { resource: 'customer', operation: 'create', tokenId: { __rl: true, mode: 'id', value: token.id } });
		expect(again.error?.description).toContain('parameter: payment_details');
	});


	it('stores the card and the customer fields, with an idempotency key, and outputs no card data', async () => {
		const result = await runKomoju(
			sandbox,
			createCustomer({
				customerFields: {
					email: 'taro@example.com',
					currency: 'JPY',
					metadata: { entries: [{ key: 'crm_id', value: 'C-42' }] },
				},
			}),
			{ items: [card()] },
		);
		expect(result.status).toBe('success');

		const [request] = apiRequests(sandbox, 'POST', '/api/v1/customers');
		expect(request.path).toBe('/api/v1/customers');
		expect(request.idempotencyKey).toEqual(expect.any(String));
		expect(request.cardNumberSent).toBe(true);
		expect(request.body).toMatchObject({
			payment_details: { type: 'credit_card', number: '****1111', month: 8, year: FUTURE_YEAR, name: 'Taro Yamada' },
			email: 'taro@example.com',
			currency: 'JPY',
			metadata: { crm_id: 'C-42' },
		});
		expect(Object.keys(request.body as IDataObject).sort()).toEqual(['currency', 'email', 'metadata', 'payment_details']);

		const [item] = result.resultOf('KOMOJU');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			resource: 'customer',
			email: 'taro@example.com',
			currency: 'JPY',
			metadata: { crm_id: 'C-42' },
			source: { last_four_digits: '1111' },
		});
		expect(sandbox.customers()).toHaveLength(1);
		expect(cardDataIn(result, [CARDS.regular, CVC])).toEqual([]);
	});

	it.each<[string, IDataObject, RegExp]>([
		['a card number that fails the checksum', { cardNumber: '4111111111111112' }, /Card Number ending in 1112/],
		['an expired card', { expiryYear: 2020 }, /Expiry Year 2020 is in the past/],
		['a metadata key over 30 characters', { customerFields: { metadata: { entries: [{ key: 'k'.repeat(31), value: 'v' }] } } }, /longer than KOMOJU’s 30/],
	])('refuses %s before anything is sent', async (_name, { cardNumber, ...overrides }, message) => {
		const result = await runKomoju(sandbox, createCustomer(overrides), { items: [card(cardNumber as string)] });
		expect(result.status).toBe('error');
		const [{ error }] = result.thrown;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
		expect(everythingVisible(result)).not.toContain('4111111111111112');
	});

	it('a declined card is KOMOJU’s 402, an error item in its place with Continue On Fail', async () => {
		const result = await runKomoju(sandbox, createCustomer(), {
			items: [card(), card(CARDS.insufficientFunds)],
			settings: { continueOnFail: true },
		});
		expect(result.status).toBe('success');
		const [ok, failed] = result.resultOf('KOMOJU');
		expect(ok.json.resource).toBe('customer');
		expect(failed.pairedItem).toEqual({ item: 1 });
		expect(failed.json.error).toEqual(expect.any(String));
		expect(failed.json.details).toMatchObject({ httpCode: '402', code: 'insufficient_funds' });
		expect(cardDataIn(result, [CARDS.regular, CARDS.insufficientFunds, CVC])).toEqual([]);
	});
});

describe('Customer → Get', () => {
	it('reads one customer by ID', async () => {
		const [customer] = await createCustomers(1);
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'get', customerId: customer.id });
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/customers/');
		expect(request.path).toBe(`/api/v1/customers/${String(customer.id)}`);
		expect(request.idempotencyKey).toBeNull();
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toEqual(customer);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('an unknown ID is a 404, as an error item in its place with Continue On Fail', async () => {
		const [customer] = await createCustomers(1);
		const result = await runKomoju(
			sandbox,
			{ resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' },
			{ items: [{ id: 'cus_unknown' }, { id: customer.id }], settings: { continueOnFail: true } },
		);
		const [missing, found] = result.resultOf('KOMOJU');
		expect(missing.pairedItem).toEqual({ item: 0 });
		expect(missing.json.details).toMatchObject({ httpCode: '404', code: 'not_found' });
		expect(found.json.id).toBe(customer.id);
	});

	it('refuses an empty ID before anything is sent', async () => {
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'get', customerId: ' ' });
		expect((result.thrown[0].error as NodeOperationError).message).toBe('Customer ID is required');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Customer → Get Many', () => {
	it('returns every customer across pages of 100 with Return All, one item per customer', async () => {
		const created = await createCustomers(105);
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'getAll', returnAll: true });
		const output = result.resultOf('KOMOJU');
		expect(output).toHaveLength(105);
		expect(new Set(output.map((item) => item.json.id))).toEqual(new Set(created.map((customer) => customer.id)));
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		const pages = apiRequests(sandbox, 'GET', '/api/v1/customers');
		expect(pages.map((request) => request.query)).toEqual([
			{ page: '1', per_page: '100' },
			{ page: '2', per_page: '100' },
		]);
	});

	it('stops at Limit, asking for no more than it needs', async () => {
		await createCustomers(25);
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'getAll', returnAll: false, limit: 12 });
		expect(result.resultOf('KOMOJU')).toHaveLength(12);
		const pages = apiRequests(sandbox, 'GET', '/api/v1/customers');
		expect(pages.map((request) => request.query)).toEqual([{ page: '1', per_page: '12' }]);
	});

	it('sends the time and card expiry filters as KOMOJU’s query parameters', async () => {
		await createCustomers(2);
		const result = await runKomoju(sandbox, {
			resource: 'customer',
			operation: 'getAll',
			returnAll: true,
			filters: { startTime: '2020-01-01T00:00:00Z', endTime: '2099-01-01T00:00:00.000Z', expiration: `08${String(FUTURE_YEAR).slice(2)}` },
		});
		expect(result.resultOf('KOMOJU')).toHaveLength(2);
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/customers');
		expect(request.query).toMatchObject({
			start_time: '2020-01-01T00:00:00Z',
			end_time: '2099-01-01T00:00:00Z',
			expiration: `08${String(FUTURE_YEAR).slice(2)}`,
		});
	});

	it.each([
		['a card expiry that is not MMYY', { expiration: '8/30' }, /Card Expiry must be MMYY/],
		['a time that is not a date', { startTime: 'yesterday' }, /Created After must be a date and time/],
	])('refuses %s before anything is sent', async (_name, filters, message) => {
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'getAll', returnAll: true, filters });
		expect(result.thrown[0].error).toBeInstanceOf(NodeOperationError);
		expect((result.thrown[0].error as NodeOperationError).message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Customer → Update', () => {
	it('changes the fields given and replaces the card, with no card data in the output', async () => {
		const [customer] = await createCustomers(1);
		const result = await runKomoju(sandbox, {
			resource: 'customer',
			operation: 'update',
			customerId: customer.id,
			updateFields: { email: 'new@example.com', metadata: { entries: [{ key: 'tier', value: 'gold' }] } },
			replaceCard: true,
			cardSource: 'card',
			cardNumber: '={{ $json.number }}',
			expiryMonth: 12,
			expiryYear: FUTURE_YEAR,
			verificationValue: '={{ $json.cvc }}',
		}, { items: [card('5555555555554444')] });
		expect(result.status).toBe('success');
		const [request] = apiRequests(sandbox, 'PATCH', '/api/v1/customers/');
		expect(request.path).toBe(`/api/v1/customers/${String(customer.id)}`);
		expect(request.body).toEqual({
			email: 'new@example.com',
			metadata: { tier: 'gold' },
			payment_details: { type: 'credit_card', number: '****4444', month: 12, year: FUTURE_YEAR },
		});
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ id: customer.id, email: 'new@example.com', metadata: { tier: 'gold' }, source: { last_four_digits: '4444' } });
		expect(cardDataIn(result, ['5555555555554444', CVC])).toEqual([]);
	});

	it('replaces the card with a one-time token', async () => {
		const [customer] = await createCustomers(1);
		const token = await komojuCall(sandbox, 'POST', '/tokens', { payment_details: { type: 'credit_card', number: '5555555555554444', month: 3, year: FUTURE_YEAR } });
		const result = await runKomoju(sandbox, {
			resource: 'customer',
			operation: 'update',
			customerId: customer.id,
			replaceCard: true,
			tokenId: { __rl: true, mode: 'id', value: token.id },
		});
		expect(apiRequests(sandbox, 'PATCH', '/api/v1/customers/')[0].body).toEqual({ payment_details: token.id });
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ id: customer.id, source: { last_four_digits: '4444' } });
	});

	it('leaves the card alone when Replace Card is off', async () => {
		const [customer] = await createCustomers(1);
		await runKomoju(sandbox, { resource: 'customer', operation: 'update', customerId: customer.id, updateFields: { email: 'new@example.com' } });
		const [request] = apiRequests(sandbox, 'PATCH', '/api/v1/customers/');
		expect(request.body).toEqual({ email: 'new@example.com' });
	});

	it('sends no Locale, which KOMOJU’s customers do not have, even from a workflow saved with one', async () => {
		const [customer] = await createCustomers(1);
		sandbox.clearRequests();
		await runKomoju(sandbox, createCustomer({ customerFields: { email: 'taro@example.com', locale: 'en' } }), { items: [card()] });
		expect(apiRequests(sandbox, 'POST', '/api/v1/customers')[0].body).not.toHaveProperty('locale');
		const update = await runKomoju(sandbox, {
			resource: 'customer',
			operation: 'update',
			customerId: customer.id,
			updateFields: { email: 'new@example.com', locale: 'ko' },
		});
		expect(update.status).toBe('success');
		expect(apiRequests(sandbox, 'PATCH', '/api/v1/customers/')[0].body).toEqual({ email: 'new@example.com' });
	});

	it('refuses an update with nothing to change before anything is sent', async () => {
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'update', customerId: 'cus_x' });
		expect((result.thrown[0].error as NodeOperationError).message).toBe('Add a field to update, or turn on Replace Card');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Customer → Delete', () => {
	it('deletes the customer and outputs KOMOJU’s answer; the customer is gone afterwards', async () => {
		const [customer] = await createCustomers(1);
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'delete', customerId: customer.id });
		const [request] = apiRequests(sandbox, 'DELETE', '/api/v1/customers/');
		expect(request.path).toBe(`/api/v1/customers/${String(customer.id)}`);
		expect(request.status).toBe(200);
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ id: customer.id, resource: 'customer' });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sandbox.customers()).toHaveLength(0);

		const again = await runKomoju(sandbox, { resource: 'customer', operation: 'delete', customerId: customer.id }, { settings: { continueOnFail: true } });
		expect(again.resultOf('KOMOJU')[0].json.details).toMatchObject({ httpCode: '404' });
		expect((again.resultOf('KOMOJU')[0].json.details as IDataObject).description).not.toContain('may have succeeded');
	});

	it('a delete whose answer was lost, retried into a 404, says the first attempt may have succeeded', async () => {
		const [customer] = await createCustomers(1);
		sandbox.injectFault({ method: 'DELETE', path: `/api/v1/customers/${String(customer.id)}`, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, { resource: 'customer', operation: 'delete', customerId: customer.id }, { settings: { continueOnFail: true } });
		const details = result.resultOf('KOMOJU')[0].json.details as IDataObject;
		expect(apiRequests(sandbox, 'DELETE', '/api/v1/customers/').map((request) => request.status)).toEqual([null, 404]);
		expect(details).toMatchObject({ httpCode: '404' });
		expect(details.description).toContain('An earlier attempt of this delete got no answer and may have succeeded');
		expect(sandbox.customers()).toHaveLength(0);
	});
});
