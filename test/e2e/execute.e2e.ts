/**
 * The node inside a real n8n 2.40.7, run with `n8n execute` (scripts/n8n/execute.sh): the
 * package as n8n installs it, n8n's own expression engine, credentials store, Code node, Set
 * node, HTTP Request node, Continue On Fail and Retry On Fail. Assertions read the run JSON
 * (data.resultData.runData) and what the sandbox received.
 */
import { e2eContext } from './support/context';
import { nodeOutput, ranNodes } from './support/n8n';
import { basicAuth, CARDS, FUTURE_YEAR, SECRET_KEY } from './support/sandbox-client';
import { CONTINUE_ORDERS, IDS, ITEMS_ORDERS, WRONG_SECRET_KEY } from './support/workflows';

const e2e = e2eContext();
const { sandbox } = e2e;

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

/** Parallel items reach KOMOJU in any order; these tests give each item its own amount. */
const byAmount = <T extends { body: { amount?: unknown } }>(requests: T[]) =>
	[...requests].sort((a, b) => Number(a.body.amount) - Number(b.body.amount));

const tokenIds = async () => new Set((await sandbox.secureTokens()).map((token) => token.id));

/** Tokens the sandbox holds now that it did not hold in `before`. */
async function newTokens(before: Set<string>) {
	return (await sandbox.secureTokens()).filter((token) => !before.has(token.id));
}

describe('Secure Token → Create (card) → Get, three items from a Code node', () => {
	it('creates one token per item with the evaluated parameters, gets each, and keeps the pairing', async () => {
		const before = await tokenIds();
		const { run, code } = await e2e.execute(IDS.items);

		expect(run.status).toBe('success');
		expect(code).toBe(0);
		expect(ranNodes(run)).toEqual(['Start', 'Orders', 'Create', 'Get', 'Summary']);

		const created = nodeOutput(run, 'Create');
		expect(created).toHaveLength(3);
		expect(created.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(created.map((item) => item.json.verification_status)).toEqual(['NEEDS_VERIFY', 'NEEDS_VERIFY', 'SKIPPED']);
		for (const { json } of created) {
			expect(Object.keys(json).sort()).toEqual(['authentication_url', 'created_at', 'id', 'resource', 'verification_status']);
			expect(json.id).toMatch(/^[a-z0-9]{25}$/);
			expect(json.resource).toBe('secure_token');
			expect(json.authentication_url).toBe(`${sandbox.url}/three_d_secure_service/offsite?token=${json.id}`);
		}
		const ids = created.map((item) => item.json.id as string);
		expect(new Set(ids).size).toBe(3);

		const got = nodeOutput(run, 'Get');
		expect(got.map((item) => item.json.id)).toEqual(ids);
		expect(got.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(got.map((item) => item.json.verification_status)).toEqual(['NEEDS_VERIFY', 'NEEDS_VERIFY', 'SKIPPED']);

		// $('Orders').item and $('Create').item in a later node resolve through the node's pairing.
		expect(nodeOutput(run, 'Summary').map((item) => item.json)).toEqual([
			{ order: 'A-1', id: ids[0], createdStatus: 'NEEDS_VERIFY', status: 'NEEDS_VERIFY' },
			{ order: 'A-2', id: ids[1], createdStatus: 'NEEDS_VERIFY', status: 'NEEDS_VERIFY' },
			{ order: 'A-3', id: ids[2], createdStatus: 'SKIPPED', status: 'SKIPPED' },
		]);

		// What KOMOJU (the sandbox) received; the items run in parallel (Concurrency 5), so in any order.
		const posts = byAmount(await sandbox.apiRequests('POST', '/api/v1/secure_tokens'));
		expect(posts).toHaveLength(3);
		expect(posts.map((request) => request.body)).toEqual(
			[...ITEMS_ORDERS].sort((a, b) => Number(a.amount) - Number(b.amount)).map((order) => ({
				amount: Number(order.amount),
				currency: 'JPY',
				return_url: `https://shop.example.com/return?order=${order.order}`,
				payment_details: {
					type: 'credit_card',
					number: `****${order.card.slice(-4)}`,
					month: Number(order.month),
					year: FUTURE_YEAR,
					name: `Customer ${order.order}`,
					email: 'taro@example.com',
					billing_address_country: 'JP',
				},
			})),
		);
		for (const request of posts) {
			expect(request.headers.authorization).toBe(basicAuth(SECRET_KEY));
			expect(request.apiVersion).toBe('2025-01-28');
			expect(request.idempotencyKey).toMatch(/^n8n-[0-9a-f]{64}$/);
			expect(request.cardNumberSent).toBe(true);
			expect(request.verificationValueSent).toBe(true);
			expect(request.status).toBe(200);
		}
		expect(new Set(posts.map((request) => request.idempotencyKey)).size).toBe(3);

		const gets = await sandbox.apiRequests('GET', '/api/v1/secure_tokens/');
		// One GET per token, in parallel, so in any order.
		expect(gets.map((request) => request.path).sort()).toEqual(ids.map((id) => `/api/v1/secure_tokens/${id}`).sort());
		expect(gets.every((request) => request.headers.authorization === basicAuth(SECRET_KEY) && request.status === 200)).toBe(true);

		const added = await newTokens(before);
		expect(added.map((token) => [token.id, token.amount, token.card.lastFour]).sort()).toEqual(
			ids.map((id, index) => [id, Number(ITEMS_ORDERS[index].amount), ITEMS_ORDERS[index].card.slice(-4)]).sort(),
		);

		// Card numbers stay out of the node's output.
		const outputs = JSON.stringify([created, got]);
		for (const order of ITEMS_ORDERS) expect(outputs).not.toContain(order.card);
	});
});

describe('Secure Token → Create with a saved customer', () => {
	it('sends the customer id (one made on the sandbox beforehand, one made by the HTTP Request node with the KOMOJU credential)', async () => {
		const before = await tokenIds();
		const { run } = await e2e.execute(IDS.customer);
		expect(run.status).toBe('success');

		const [saved] = nodeOutput(run, 'Create for saved customer');
		expect(saved.json.verification_status).toBe('NEEDS_VERIFY');
		const [customer] = nodeOutput(run, 'Create customer (HTTP Request)');
		expect(customer.json.id).toMatch(/^[a-z0-9]{25}$/);
		expect(customer.json.resource).toBe('customer');
		const [fresh] = nodeOutput(run, 'Create for new customer');
		expect(fresh.json.verification_status).toBe('NEEDS_VERIFY');
		expect(fresh.pairedItem).toEqual({ item: 0 });

		const posts = await sandbox.apiRequests('POST', '/api/v1/secure_tokens');
		expect(posts.map((request) => request.body)).toEqual(
			expect.arrayContaining([
				{ amount: 5000, currency: 'USD', return_url: 'https://shop.example.com/back', customer: e2e.state.fixtures.customerId },
				{ amount: 700, currency: 'JPY', return_url: 'https://shop.example.com/back', customer: customer.json.id },
			]),
		);
		expect(posts).toHaveLength(2);
		expect(posts.some((request) => request.cardNumberSent)).toBe(false);

		// The HTTP Request node used the komojuApi credential's Basic auth.
		const [customerPost] = await sandbox.apiRequests('POST', '/api/v1/customers');
		expect(customerPost.headers.authorization).toBe(basicAuth(SECRET_KEY));
		expect(customerPost.status).toBe(200);

		const added = await newTokens(before);
		expect(added.map((token) => [token.id, token.customer, token.card.lastFour]).sort()).toEqual(
			[
				[saved.json.id, e2e.state.fixtures.customerId, CARDS.challengeOk.slice(-4)],
				[fresh.json.id, customer.json.id, CARDS.frictionlessOk.slice(-4)],
			].sort(),
		);
	});
});

describe('Continue On Fail (onError: continueRegularOutput)', () => {
	it('turns the bad items into error items in their place, paired with their input, and creates the others', async () => {
		const before = await tokenIds();
		const { run } = await e2e.execute(IDS.continueOnFail);
		expect(run.status).toBe('success');

		const output = nodeOutput(run, 'Create');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json.verification_status).toBe('NEEDS_VERIFY');
		expect(output[3].json.verification_status).toBe('NEEDS_VERIFY');
		// Refused by the node before sending: a decimal amount.
		expect(output[1].json).toEqual({
			error: 'Amount must be a whole number of 0 or more, got 10.5',
			details: { description: expect.stringMatching(/JPY has no minor unit/) },
		});
		// Refused by KOMOJU: a declined card (402).
		expect(output[2].json.error).toMatch(/^KOMOJU: /);
		expect(output[2].json.details).toEqual({
			description: expect.stringContaining('KOMOJU error code: insufficient_funds'),
			httpCode: '402',
			code: 'insufficient_funds',
		});
		expect(JSON.stringify(output)).not.toContain(CARDS.insufficientFunds);

		const posts = byAmount(await sandbox.apiRequests('POST', '/api/v1/secure_tokens'));
		expect(posts.map((request) => [request.body.amount, request.status])).toEqual([
			[100, 200],
			[300, 402],
			[400, 200],
		]);
		const added = await newTokens(before);
		expect(added.map((token) => token.id).sort()).toEqual([output[0].json.id, output[3].json.id].sort());
		expect(added.map((token) => token.amount).sort()).toEqual([CONTINUE_ORDERS[0].amount, CONTINUE_ORDERS[3].amount].sort());
	});
});

describe('a wrong secret key', () => {
	it('fails the run with KOMOJU’s 401 as a NodeApiError that says what to check', async () => {
		const before = await tokenIds();
		const { run, code } = await e2e.execute(IDS.wrongKey);

		expect(run.status).toBe('error');
		expect(code).toBe(1);
		const error = run.data.resultData.error;
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/^KOMOJU: /);
		expect(error.description).toContain('KOMOJU error code: unauthorized');
		expect(error.description).toContain('it must be a secret key (not the publishable key)');
		expect(error.node.name).toBe('Create');
		expect(run.data.resultData.lastNodeExecuted).toBe('Create');
		expect(run.data.resultData.runData.Create[0].error.httpCode).toBe('401');
		expect(`${error.message} ${error.description}`).not.toContain(CARDS.frictionlessOk);

		const posts = await sandbox.apiRequests('POST', '/api/v1/secure_tokens');
		expect(posts).toHaveLength(1);
		expect(posts[0].headers.authorization).toBe(basicAuth(WRONG_SECRET_KEY));
		expect(posts[0].status).toBe(401);
		expect(await newTokens(before)).toHaveLength(0);
	});
});

describe('n8n’s own Retry On Fail', () => {
	it('re-runs the node after a lost response with the same idempotency key: one token, the first one', async () => {
		await sandbox.injectFault({ method: 'POST', path: '/api/v1/secure_tokens', action: { failAfterProcessing: true } });
		const before = await tokenIds();
		const { run } = await e2e.execute(IDS.retryOnFail);

		expect(run.status).toBe('success');
		const added = await newTokens(before);
		expect(added).toHaveLength(1);
		const [item] = nodeOutput(run, 'Create');
		expect(item.json.id).toBe(added[0].id);
		expect(item.json.verification_status).toBe('NEEDS_VERIFY');

		// Max Retries is 0, so the second request is n8n's retry, not the node's.
		const posts = await sandbox.apiRequests('POST', '/api/v1/secure_tokens');
		expect(posts).toHaveLength(2);
		expect(posts.map((request) => request.outcome)).toEqual(['lost', 'answered']);
		expect(posts.map((request) => request.idempotency)).toEqual(['stored', 'replayed']);
		expect(posts[0].headers['x-komoju-idempotency']).toMatch(/^n8n-[0-9a-f]{64}$/);
		expect(posts[1].headers['x-komoju-idempotency']).toBe(posts[0].headers['x-komoju-idempotency']);
		expect(await sandbox.faults()).toEqual([]);
	});
});
