import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { apiRequests, CARDS, FUTURE_YEAR, komojuCall, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

async function savedCustomer(email = 'subscriber@example.com'): Promise<string> {
	const customer = await komojuCall(sandbox, 'POST', '/customers', {
		email,
		payment_details: { type: 'credit_card', number: CARDS.regular, month: 8, year: FUTURE_YEAR },
	});
	return customer.id as string;
}

function createSubscription(customerId: string, overrides: IDataObject = {}): IDataObject {
	return { resource: 'subscription', operation: 'create', customerId, amount: 2000, currency: 'JPY', period: 'monthly', ...overrides };
}

const onSubscription = (operation: string, subscriptionId: string) => ({ resource: 'subscription', operation, subscriptionId });
const posts = () => apiRequests(sandbox, 'POST', '/api/v1/subscriptions');

describe('Subscription → Create', () => {
	it('sends the customer, amount, currency, period and metadata with an idempotency key; KOMOJU charges the first period', async () => {
		const customerId = await savedCustomer();
		sandbox.clearRequests();
		const result = await runKomoju(
			sandbox,
			createSubscription(customerId, { period: 'weekly', additionalFields: { metadata: { entries: [{ key: 'plan', value: 'tea-club' }] } } }),
		);
		expect(result.status).toBe('success');
		const [request] = posts();
		expect(request.body).toEqual({ customer: customerId, amount: 2000, currency: 'JPY', period: 'weekly', metadata: { plan: 'tea-club' } });
		expect(request.idempotencyKey).toMatch(/^n8n-/);

		const [item] = result.resultOf('KOMOJU');
		expect(item.pairedItem).toEqual({ item: 0 });
		const [payment] = sandbox.payments();
		expect(item.json).toMatchObject({
			resource: 'subscription',
			status: 'active',
			amount: 2000,
			currency: 'JPY',
			period: 'weekly',
			customer: { uuid: customerId, id: expect.any(Number) },
			metadata: { plan: 'tea-club' },
			payments: [payment.id],
		});
		expect(payment).toMatchObject({ status: 'captured', amount: 2000, total: 2000, customer: customerId });
		expect(sandbox.events().map((event) => event.type).reverse()).toEqual([
			'customer.created',
			'payment.captured',
			'subscription.created',
			'subscription.captured',
		]);
	});

	it('creates one subscription per item from expressions, each paired with its item', async () => {
		const customers = [await savedCustomer('a@example.com'), await savedCustomer('b@example.com')];
		const result = await runKomoju(
			sandbox,
			createSubscription('={{ $json.customer }}', { amount: '={{ $json.amount }}', period: '={{ $json.period }}' }),
			{ items: [{ customer: customers[0], amount: 500, period: 'yearly' }, { customer: customers[1], amount: '800', period: 'monthly' }] },
		);
		const output = result.resultOf('KOMOJU');
		expect(output.map((item) => [item.json.customer, item.json.amount, item.json.period, item.pairedItem])).toEqual([
			[expect.objectContaining({ uuid: customers[0] }), 500, 'yearly', { item: 0 }],
			[expect.objectContaining({ uuid: customers[1] }), 800, 'monthly', { item: 1 }],
		]);
		expect(sandbox.subscriptions()).toHaveLength(2);
		expect(new Set(posts().map((request) => request.idempotencyKey)).size).toBe(2);
	});

	it.each<[string, IDataObject, RegExp]>([
		['an amount above Maximum Amount', { amount: 5001, options: { maximumAmount: 5000, maximumAmountCurrency: 'JPY' } }, /subscription charge of 5,001 JPY is above the node’s Maximum Amount of 5,000 JPY/],
		['a currency other than Maximum Amount’s', { currency: 'USD', options: { maximumAmount: 5000, maximumAmountCurrency: 'JPY' } }, /in USD, but the node’s Maximum Amount is set in JPY/],
		['a decimal amount', { amount: 10.5, currency: 'USD' }, /Amount must be a whole number/],
		['an amount of 0', { amount: 0 }, /^Amount must be a whole number of 1 or more, got 0$/],
		['a period KOMOJU does not have', { period: 'daily' }, /Period must be weekly, monthly or yearly, got "daily"/],
		['an empty customer ID', { customerId: ' ' }, /Customer ID/],
		['a metadata key over 30 characters', { additionalFields: { metadata: { entries: [{ key: 'k'.repeat(31), value: 'v' }] } } }, /longer than KOMOJU’s 30/],
	])('refuses %s before anything is sent', async (_name, overrides, message) => {
		const result = await runKomoju(sandbox, createSubscription('cus_anything', overrides));
		const [{ error }] = result.thrown;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	it('charges up to Maximum Amount', async () => {
		const customerId = await savedCustomer();
		const result = await runKomoju(sandbox, createSubscription(customerId, { amount: 5000, options: { maximumAmount: 5000, maximumAmountCurrency: 'JPY' } }));
		expect(result.status).toBe('success');
		expect(sandbox.subscriptions()).toHaveLength(1);
	});

	it('a response lost after KOMOJU created the subscription gets that subscription: one subscription, one charge', async () => {
		const customerId = await savedCustomer();
		sandbox.clearRequests();
		sandbox.injectFault({ method: 'POST', path: '/api/v1/subscriptions', exact: true, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, createSubscription(customerId));
		expect(result.status).toBe('success');
		const [subscription] = sandbox.subscriptions();
		expect(sandbox.subscriptions()).toHaveLength(1);
		expect(sandbox.payments()).toHaveLength(1);
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ id: subscription.id, payments: [sandbox.payments()[0].id] });
		expect(posts().map((request) => request.idempotency)).toEqual(['stored', 'replayed']);
		expect(new Set(posts().map((request) => request.idempotencyKey)).size).toBe(1);
	});

	it('a 503 is retried with the same key', async () => {
		const customerId = await savedCustomer();
		sandbox.clearRequests();
		sandbox.injectFault({ method: 'POST', path: '/api/v1/subscriptions', exact: true, action: { status: 503 } });
		const result = await runKomoju(sandbox, createSubscription(customerId));
		expect(result.status).toBe('success');
		expect(posts()).toHaveLength(2);
		expect(new Set(posts().map((request) => request.headers['x-komoju-idempotency'])).size).toBe(1);
		expect(sandbox.subscriptions()).toHaveLength(1);
	});

	it('reports KOMOJU’s refusal of an unknown customer, as an error item with Continue On Fail', async () => {
		const result = await runKomoju(sandbox, createSubscription('nosuchcustomer00000000000'), { settings: { onError: 'continueRegularOutput' } });
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ error: expect.stringMatching(/^KOMOJU: /), details: { httpCode: '404', code: 'not_found', param: 'customer' } });
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sandbox.subscriptions()).toHaveLength(0);
	});
});

describe('Subscription → Get, Get Many, Delete', () => {
	async function subscriptions(count: number): Promise<IDataObject[]> {
		const customerId = await savedCustomer();
		const created: IDataObject[] = [];
		for (let index = 0; index < count; index++) {
			created.push(await komojuCall(sandbox, 'POST', '/subscriptions', { customer: customerId, amount: 1000 + index, currency: 'JPY', period: 'monthly' }));
		}
		sandbox.clearRequests();
		return created;
	}

	it('Get reads one subscription by ID; an unknown ID is KOMOJU’s 404', async () => {
		const [subscription] = await subscriptions(1);
		sandbox.billSubscription(subscription.id as string);
		const result = await runKomoju(sandbox, onSubscription('get', subscription.id as string));
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ id: subscription.id, status: 'active', payments: sandbox.payments().map((payment) => payment.id) });
		expect(apiRequests(sandbox, 'GET', '/api/v1/subscriptions/').map((request) => request.path)).toEqual([`/api/v1/subscriptions/${subscription.id}`]);

		const missing = await runKomoju(sandbox, onSubscription('get', 'zzzzzzzzzzzzzzzzzzzzzzzzz'));
		expect((missing.thrown[0].error as NodeApiError).httpCode).toBe('404');
	});

	it('Get Many lists newest first up to Limit, or all, and sends the time filters', async () => {
		const created = await subscriptions(3);
		const limited = await runKomoju(sandbox, { resource: 'subscription', operation: 'getAll', returnAll: false, limit: 2 });
		expect(limited.resultOf('KOMOJU').map((item) => item.json.amount)).toEqual([1002, 1001]);
		const all = await runKomoju(sandbox, {
			resource: 'subscription',
			operation: 'getAll',
			returnAll: true,
			filters: { startTime: '2020-01-01T00:00:00Z', endTime: '2099-01-01T00:00:00Z' },
		});
		expect(all.resultOf('KOMOJU').map((item) => item.json.id).sort()).toEqual(created.map((subscription) => subscription.id).sort());
		expect(apiRequests(sandbox, 'GET', '/api/v1/subscriptions').map((request) => request.query)).toEqual([
			{ page: '1', per_page: '2' },
			{ page: '1', per_page: '100', start_time: '2020-01-01T00:00:00Z', end_time: '2099-01-01T00:00:00Z' },
		]);
	});

	it('Delete stops the subscription; a DELETE whose answer was lost is retried and acts once', async () => {
		const [subscription] = await subscriptions(1);
		sandbox.injectFault({ method: 'DELETE', path: `/api/v1/subscriptions/${subscription.id}`, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, onSubscription('delete', subscription.id as string));
		expect(result.status).toBe('success');
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ id: subscription.id, status: 'cancelled', ended_at: expect.any(String) });
		expect(apiRequests(sandbox, 'DELETE', '/api/v1/subscriptions/').map((request) => request.outcome)).toEqual(['lost', 'answered']);
		expect(sandbox.events().filter((event) => event.type === 'subscription.deleted')).toHaveLength(1);
		expect(() => sandbox.billSubscription(subscription.id as string)).toThrow(/cancelled: only an active subscription is billed/);
	});
});
