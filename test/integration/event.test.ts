import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { apiRequests, cardDataIn, CARDS, FUTURE_YEAR, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const CVC = '987';

/** Each customer created records a customer.created event in the sandbox. */
async function createCustomers(count: number): Promise<void> {
	const items = Array.from({ length: count }, (_, index) => ({ number: CARDS.regular, cvc: CVC, email: `buyer${index}@example.com` }));
	const result = await runKomoju(
		sandbox,
		{
			resource: 'customer',
			operation: 'create',
			cardSource: 'card',
			cardNumber: '={{ $json.number }}',
			expiryMonth: 8,
			expiryYear: FUTURE_YEAR,
			verificationValue: '={{ $json.cvc }}',
			customerFields: { email: '={{ $json.email }}' },
		},
		{ items },
	);
	expect(result.status).toBe('success');
	sandbox.clearRequests();
}

const getMany = (parameters: IDataObject = {}) => ({ resource: 'event', operation: 'getAll', ...parameters });

describe('Event → Get Many', () => {
	it('returns every event across pages of 100 with Return All, newest first, one item per event', async () => {
		await createCustomers(105);
		const result = await runKomoju(sandbox, getMany({ returnAll: true }));
		const output = result.resultOf('KOMOJU');
		expect(output).toHaveLength(105);
		expect(output.map((item) => item.json.id)).toEqual(sandbox.events().map((event) => event.id));
		expect(output[0].json).toMatchObject({ resource: 'event', type: 'customer.created', data: { resource: 'customer' } });
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		const pages = apiRequests(sandbox, 'GET', '/api/v1/events');
		expect(pages.map((request) => request.query)).toEqual([
			{ page: '1', per_page: '100' },
			{ page: '2', per_page: '100' },
		]);
		expect(cardDataIn(result, [CARDS.regular, CVC])).toEqual([]);
	});

	it('stops at Limit', async () => {
		await createCustomers(25);
		const result = await runKomoju(sandbox, getMany({ returnAll: false, limit: 12 }));
		expect(result.resultOf('KOMOJU')).toHaveLength(12);
		expect(apiRequests(sandbox, 'GET', '/api/v1/events').map((request) => request.query)).toEqual([{ page: '1', per_page: '12' }]);
	});

	it('sends the time filters as start_time and end_time', async () => {
		await createCustomers(2);
		const result = await runKomoju(
			sandbox,
			getMany({ returnAll: true, filters: { startTime: '2099-01-01T00:00:00Z', endTime: '2099-12-31T00:00:00Z' } }),
		);
		expect(result.resultOf('KOMOJU')).toHaveLength(0);
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/events');
		expect(request.query).toMatchObject({ start_time: '2099-01-01T00:00:00Z', end_time: '2099-12-31T00:00:00Z' });
	});

	it('refuses a time that is not a date, or a limit of 0, before anything is sent', async () => {
		for (const parameters of [{ returnAll: true, filters: { endTime: 'soon' } }, { returnAll: false, limit: 0 }]) {
			const result = await runKomoju(sandbox, getMany(parameters));
			expect(result.thrown[0].error).toBeInstanceOf(NodeOperationError);
			expect((result.thrown[0].error as NodeOperationError).message).toMatch(/Created Before|Limit/);
		}
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Event → Get', () => {
	it('reads one event by ID', async () => {
		await createCustomers(1);
		const [event] = sandbox.events() as IDataObject[];
		const result = await runKomoju(sandbox, { resource: 'event', operation: 'get', eventId: event.id });
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/events/');
		expect(request.path).toBe(`/api/v1/events/${String(event.id)}`);
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ id: event.id, type: 'customer.created', resource: 'event' });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('an unknown ID is a 404, as an error item in its place with Continue On Fail', async () => {
		await createCustomers(1);
		const [event] = sandbox.events() as IDataObject[];
		const result = await runKomoju(
			sandbox,
			{ resource: 'event', operation: 'get', eventId: '={{ $json.id }}' },
			{ items: [{ id: event.id }, { id: 'evt_unknown' }], settings: { continueOnFail: true } },
		);
		const [found, missing] = result.resultOf('KOMOJU');
		expect(found.json.id).toBe(event.id);
		expect(missing.pairedItem).toEqual({ item: 1 });
		expect(missing.json).toEqual({ error: expect.any(String), details: expect.objectContaining({ httpCode: '404', code: 'not_found' }) });
	});

	it('refuses an empty ID before anything is sent', async () => {
		const result = await runKomoju(sandbox, { resource: 'event', operation: 'get', eventId: '={{ $json.id }}' }, { items: [{ id: '' }] });
		expect((result.thrown[0].error as NodeOperationError).message).toBe('Event ID is required');
		expect(sandbox.requests).toHaveLength(0);
	});
});
