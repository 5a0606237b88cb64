import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { apiRequests, CARDS, FUTURE_YEAR, komojuCall, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const DAY_MS = 24 * 3600 * 1000;

/** A captured ¥amount card payment (no tax) with a pending chargeback on it. */
async function disputed(amount = 4000, dueInDays = 7) {
	const payment = await komojuCall(sandbox, 'POST', '/payments', {
		amount,
		currency: 'JPY',
		tax: 0,
		payment_details: { type: 'credit_card', number: CARDS.regular, month: 8, year: FUTURE_YEAR, name: 'Hanako Sato' },
	});
	const chargeback = sandbox.openChargeback({ payment: payment.id as string, dueInDays });
	sandbox.clearRequests();
	return { payment, chargeback };
}

const accept = (chargebackId: string, options: IDataObject = {}) => ({ resource: 'chargeback', operation: 'accept', chargebackId, options });
const acceptPosts = () => apiRequests(sandbox, 'POST', '/api/v1/chargeback_requests/');
const chargebackEntries = async () =>
	((await komojuCall(sandbox, 'GET', '/balances/JPY/transactions?type=chargeback')).data as IDataObject[]).map((entry) => entry.amount_cents);

describe('Chargeback → Get, Get Many', () => {
	it('Get reads one chargeback with its payment and timeline', async () => {
		const { payment, chargeback } = await disputed();
		const result = await runKomoju(sandbox, { resource: 'chargeback', operation: 'get', chargebackId: chargeback.id });
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({
			id: chargeback.id,
			status: 'pending',
			payment: { id: payment.id, amount: 4000, currency: 'JPY', payment_method: { type: 'credit_card', last_four_digits: '1111' } },
			customer: { name: 'Hanako Sato' },
			timeline: [{ type: 'created' }],
		});
	});

	it('Get Many lists pending chargebacks first and sends its filters as KOMOJU’s query parameters', async () => {
		const older = await disputed(1000);
		const newer = await disputed(2000);
		await runKomoju(sandbox, accept(newer.chargeback.id));
		sandbox.clearRequests();
		const all = await runKomoju(sandbox, { resource: 'chargeback', operation: 'getAll', returnAll: true });
		expect(all.resultOf('KOMOJU').map((item) => [item.json.id, item.json.status])).toEqual([
			[older.chargeback.id, 'pending'],
			[newer.chargeback.id, 'accepted'],
		]);

		const filtered = await runKomoju(sandbox, {
			resource: 'chargeback',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: { status: 'accepted', paymentId: newer.payment.id, dueDateStart: '2020-01-01T00:00:00Z', dueDateEnd: '2099-01-01T00:00:00Z' },
		});
		expect(filtered.resultOf('KOMOJU').map((item) => item.json.id)).toEqual([newer.chargeback.id]);
		expect(apiRequests(sandbox, 'GET', '/api/v1/chargeback_requests').map((request) => request.query)[1]).toEqual({
			page: '1',
			per_page: '5',
			status: 'accepted',
			payment_id: newer.payment.id,
			due_date_start: '2020-01-01T00:00:00Z',
			due_date_end: '2099-01-01T00:00:00Z',
		});
	});

	it('refuses a due date that is not a date before anything is sent', async () => {
		const result = await runKomoju(sandbox, { resource: 'chargeback', operation: 'getAll', returnAll: true, filters: { dueDateEnd: 'next week' } });
		expect((result.thrown[0].error as NodeOperationError).message).toMatch(/Due Before/);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Chargeback → Accept', () => {
	it('accepts with an idempotency key and outputs the chargeback as it is afterwards; the money leaves the balance', async () => {
		const { chargeback } = await disputed();
		const result = await runKomoju(sandbox, accept(chargeback.id));
		expect(result.status).toBe('success');
		expect(result.resultOf('KOMOJU')[0].json).toMatchObject({ id: chargeback.id, status: 'accepted', timeline: [{ type: 'created' }, { type: 'accepted' }] });
		const [post] = acceptPosts();
		expect(post).toMatchObject({ path: `/api/v1/chargeback_requests/${chargeback.id}/accept`, status: 204, idempotencyKey: expect.stringMatching(/^n8n-/) });
		expect(apiRequests(sandbox, 'GET', '/api/v1/chargeback_requests/')).toHaveLength(1);
		expect(await chargebackEntries()).toEqual([-4000]);
	});

	it('with Maximum Amount, reads the chargeback first and refuses one above it without accepting', async () => {
		const { chargeback } = await disputed(4000);
		const refused = await runKomoju(sandbox, accept(chargeback.id, { maximumAmount: 3999, maximumAmountCurrency: 'JPY' }));
		const error = refused.thrown[0].error as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Refused: this chargeback acceptance of 4,000 JPY is above the node’s Maximum Amount of 3,999 JPY');
		const inUsd = await runKomoju(sandbox, accept(chargeback.id, { maximumAmount: 100000, maximumAmountCurrency: 'USD' }));
		expect((inUsd.thrown[0].error as NodeOperationError).message).toMatch(/in JPY, but the node’s Maximum Amount is set in USD/);
		expect(acceptPosts()).toHaveLength(0);
		expect(sandbox.chargebacks()[0].status).toBe('pending');

		sandbox.clearRequests();
		const accepted = await runKomoju(sandbox, accept(chargeback.id, { maximumAmount: 4000, maximumAmountCurrency: 'JPY' }));
		expect(accepted.resultOf('KOMOJU')[0].json.status).toBe('accepted');
		expect(sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET /api/v1/chargeback_requests/${chargeback.id}`,
			`POST /api/v1/chargeback_requests/${chargeback.id}/accept`,
			`GET /api/v1/chargeback_requests/${chargeback.id}`,
		]);
	});

	it('an accept whose answer was lost is retried with the same key and concedes the money once', async () => {
		const { chargeback } = await disputed();
		sandbox.injectFault({ method: 'POST', path: `/api/v1/chargeback_requests/${chargeback.id}/accept`, action: { failAfterProcessing: true } });
		const result = await runKomoju(sandbox, accept(chargeback.id));
		expect(result.status).toBe('success');
		expect(result.resultOf('KOMOJU')[0].json.status).toBe('accepted');
		expect(acceptPosts().map((request) => [request.idempotency, request.outcome])).toEqual([
			['stored', 'lost'],
			['replayed', 'answered'],
		]);
		expect(new Set(acceptPosts().map((request) => request.idempotencyKey)).size).toBe(1);
		expect(await chargebackEntries()).toEqual([-4000]);
	});

	it('reports KOMOJU’s refusal of a chargeback past its due date', async () => {
		const { chargeback } = await disputed(4000, 1);
		sandbox.advanceClock(2 * DAY_MS);
		const result = await runKomoju(sandbox, accept(chargeback.id));
		const error = result.thrown[0].error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('422');
		expect(error.message).toMatch(/due date has passed/);
		expect(await chargebackEntries()).toEqual([]);
	});

	it('says KOMOJU may have accepted when a page that is not KOMOJU’s answered, and carries the key', async () => {
		const { chargeback } = await disputed();
		sandbox.injectFault({
			method: 'POST',
			path: `/api/v1/chargeback_requests/${chargeback.id}/accept`,
			action: { status: 200, body: '<html>Welcome to the hotel Wi-Fi</html>', contentType: 'text/html' },
		});
		const result = await runKomoju(sandbox, accept(chargeback.id));
		const error = result.thrown[0].error as NodeApiError;
		expect(error.message).toBe('KOMOJU returned an unexpected response: a body that is not JSON');
		expect(error.description).toContain('KOMOJU may have processed this request');
		// A faulted request is answered before the sandbox reads its key: the header has it.
		expect(error.context.idempotencyKey).toBe(acceptPosts()[0].headers['x-komoju-idempotency']);
	});
});
