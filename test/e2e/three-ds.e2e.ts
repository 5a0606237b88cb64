/**
 * The 3D Secure round trip through n8n's own HTTP surface, with `n8n start` running:
 * Webhook → Create (return_url = the Wait node's resume URL) → Respond to Webhook with the
 * authentication_url → Wait → (the customer's browser: the sandbox's 3DS page, then the
 * redirect to the resume URL) → Get → Set. Read back through n8n's REST API.
 * Also the credential's Test button (POST /rest/credentials/test).
 */
import { e2eContext } from './support/context';
import { nodeOutput, type N8nApi } from './support/n8n';
import { authenticate, basicAuth, CARDS, SECRET_KEY } from './support/sandbox-client';
import { CREDENTIALS, IDS, THREE_DS_WEBHOOK_PATH, WAIT_RESPONSE_TEXT, WRONG_SECRET_KEY } from './support/workflows';

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;

beforeAll(async () => {
	n8n = await e2e.n8n();
	await n8n.publish(IDS.threeDs);
});

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

interface PaymentLink {
	executionId: string;
	secureTokenId: string;
	authenticationUrl: string;
	resumeUrl: string;
}

/** What a shop backend does: POST the order to the workflow's production webhook. */
async function startPayment(order: string, amount: number, card: string): Promise<PaymentLink> {
	const response = await fetch(`${e2e.state.n8n.url}/webhook/${THREE_DS_WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ order, amount, card }),
	});
	const text = await response.text();
	expect({ status: response.status, text }).toEqual({ status: 200, text: expect.stringContaining('authenticationUrl') });
	return JSON.parse(text) as PaymentLink;
}

/** The customer's browser arriving back at n8n from KOMOJU. */
async function returnToN8n(location: URL): Promise<{ status: number; text: string }> {
	const response = await fetch(location, { redirect: 'manual' });
	return { status: response.status, text: await response.text() };
}

describe.each([
	{ outcome: 'OK', card: CARDS.challengeOk, password: '123456', transStatus: 'Y', cryptogram: '[redacted]' },
	// no cryptogram after a failure: the contract types authenticationValue as a string, so the sandbox leaves it out
	{ outcome: 'ERRORED', card: CARDS.frictionlessFail, password: undefined, transStatus: 'N', cryptogram: undefined },
])('3DS round trip ending $outcome', ({ outcome, card, password, transStatus, cryptogram }) => {
	it('creates the token with the resume URL, waits, resumes on the customer’s return and records the status', async () => {
		const order = `3DS-${outcome}`;
		const link = await startPayment(order, 4200, card);

		expect(link.secureTokenId).toMatch(/^[a-z0-9]{25}$/);
		expect(link.authenticationUrl).toBe(`${sandbox.url}/three_d_secure_service/offsite?token=${link.secureTokenId}`);
		expect(link.resumeUrl).toMatch(new RegExp(`^${e2e.state.n8n.url}/webhook-waiting/${link.executionId}(\\?|$)`));
		// Respond to Webhook answers before the Wait node has put the execution to sleep.
		expect(await n8n.executionStatusWithin(link.executionId, 'waiting')).toBe('waiting');

		const [post] = await sandbox.apiRequests('POST', '/api/v1/secure_tokens');
		expect(post.body).toMatchObject({ amount: 4200, currency: 'JPY', return_url: link.resumeUrl });
		expect(post.headers.authorization).toBe(basicAuth(SECRET_KEY));

		// The customer authenticates; KOMOJU sends the browser back to n8n with secure_token_id.
		const location = await authenticate(link.authenticationUrl, password);
		expect(location.href).toBe(`${link.resumeUrl}${link.resumeUrl.includes('?') ? '&' : '?'}secure_token_id=${link.secureTokenId}`);
		expect(await returnToN8n(location)).toEqual({ status: 200, text: WAIT_RESPONSE_TEXT });

		const execution = await n8n.finishedExecution(link.executionId);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		expect(execution.workflowId).toBe(IDS.threeDs);
		const run = { status: execution.status, data: execution.data };

		const [resumed] = nodeOutput(run, 'Wait for the customer');
		expect(resumed.json.query.secure_token_id).toBe(link.secureTokenId);
		const [token] = nodeOutput(run, 'Get');
		expect(token.json).toMatchObject({ id: link.secureTokenId, resource: 'secure_token', verification_status: outcome });
		expect(token.json.three_ds_auth_result).toMatchObject({ transStatus });
		if (cryptogram === undefined) expect(token.json.three_ds_auth_result).not.toHaveProperty('authenticationValue');
		else expect(token.json.three_ds_auth_result).toMatchObject({ authenticationValue: cryptogram });
		expect(nodeOutput(run, 'Record status').map((item) => item.json)).toEqual([
			{ order, secureTokenId: link.secureTokenId, verificationStatus: outcome },
		]);

		const [tokenView] = (await sandbox.secureTokens()).filter((t) => t.id === link.secureTokenId);
		expect(tokenView.verificationStatus).toBe(outcome);
		expect(tokenView.returnUrl).toBe(link.resumeUrl);
		const gets = await sandbox.apiRequests('GET', '/api/v1/secure_tokens/');
		expect(gets.map((request) => [request.path, request.status])).toEqual([[`/api/v1/secure_tokens/${link.secureTokenId}`, 200]]);
		const pages = (await sandbox.requests()).filter((request) => request.kind === '3ds');
		expect(pages.map((request) => request.method)).toEqual(password ? ['GET', 'POST'] : ['GET']);
	});
});

describe('the credential’s Test (POST /rest/credentials/test)', () => {
	const test = (secretKey: string) =>
		n8n.data('POST', '/rest/credentials/test', {
			credentials: {
				...CREDENTIALS.komoju,
				type: 'komojuApi',
				data: { secretKey, baseUrl: sandbox.url, apiVersion: '2025-01-28' },
			},
		});

	it('passes with the right secret key', async () => {
		expect(await test(SECRET_KEY)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const requests = await sandbox.apiRequests('GET', '/api/v1/payments');
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({ query: { per_page: '1' }, status: 200 });
		expect(requests[0].headers.authorization).toBe(basicAuth(SECRET_KEY));
	});

	it('fails with a wrong secret key, after KOMOJU’s 401', async () => {
		expect(await test(WRONG_SECRET_KEY)).toEqual({
			status: 'Error',
			message:
				'KOMOJU rejected the key. Use the secret key (not the publishable key) from the KOMOJU dashboard, and check the Base URL.',
		});
		const requests = await sandbox.apiRequests('GET', '/api/v1/payments');
		expect(requests.length).toBeGreaterThanOrEqual(1);
		for (const request of requests) {
			expect(request.headers.authorization).toBe(basicAuth(WRONG_SECRET_KEY));
			expect(request.status).toBe(401);
		}
	});
});
