import { NodeApiError } from 'n8n-workflow';

import {
	apiRequests,
	authenticate,
	CARDS,
	cardCreate,
	getToken,
	runKomoju,
	type Sandbox,
	useSandbox,
} from './komoju.fixtures';
import { waitUntil } from '../wait';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

async function createToken(cardNumber: string, returnUrl = 'https://shop.example.com/back?order=9') {
	const result = await runKomoju(sandbox, cardCreate({ cardNumber, returnUrl }));
	expect(result.status).toBe('success');
	return result.resultOf('KOMOJU')[0].json as { id: string; authentication_url: string };
}

async function getStatus(id: string, options = {}, credentials = {}) {
	const result = await runKomoju(sandbox, getToken(id, options), { credentials });
	expect(result.status).toBe('success');
	return result.resultOf('KOMOJU')[0].json;
}

describe('the 3D Secure round trip: Create → customer authenticates → Get', () => {
	it.each([
		['frictionless success card ends OK', CARDS.frictionlessOk, undefined, 'OK'],
		['challenge success card with password 123456 ends OK', CARDS.challengeOk, '123456', 'OK'],
		['frictionless failure card ends ERRORED', CARDS.frictionlessFail, undefined, 'ERRORED'],
		['challenge failure card with password 111111 ends ERRORED', CARDS.challengeFail, '111111', 'ERRORED'],
	])('%s', async (_name, card, password, expected) => {
		const token = await createToken(card);
		expect(await getStatus(token.id)).toMatchObject({ id: token.id, verification_status: 'NEEDS_VERIFY' });

		const back = await authenticate(token.authentication_url, password);
		expect(`${back.origin}${back.pathname}`).toBe('https://shop.example.com/back');
		expect(back.searchParams.get('order')).toBe('9');
		expect(back.searchParams.get('secure_token_id')).toBe(token.id);

		const final = await getStatus(back.searchParams.get('secure_token_id')!);
		expect(final.id).toBe(token.id);
		expect(final.verification_status).toBe(expected);
		expect(final.three_ds_auth_result).toMatchObject({ transStatus: expected === 'OK' ? 'Y' : 'N' });
		expect((final.three_ds_auth_result as { authenticationValue?: string }).authenticationValue ?? '[redacted]').toBe('[redacted]');
	});
});

describe('Secure Token → Get', () => {
	it('normalises the older API version’s secure_token key to id', async () => {
		const token = await createToken(CARDS.frictionlessOk);
		const json = await getStatus(token.id, {}, { apiVersion: '2024-07-15' });
		expect(json.id).toBe(token.id);
		expect(json).not.toHaveProperty('secure_token');
		const gets = apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/');
		expect(gets[gets.length - 1].apiVersion).toBe('2024-07-15');
	});

	it('an unknown id is a 404 that says to check the id and the mode', async () => {
		const result = await runKomoju(sandbox, getToken('tok_does_not_exist_000000'));
		const error = result.thrown[0].error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/KOMOJU error code: not_found/);
		expect(error.description).toMatch(/same mode \(test or live\)/);
		expect(apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/')).toHaveLength(1);
	});

	it('URL-encodes ids, so slashes and spaces cannot change the path', async () => {
		await runKomoju(sandbox, getToken('../payments x'));
		const [request] = apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/');
		expect(request.path).toBe('/api/v1/secure_tokens/..%2Fpayments%20x');
		expect(apiRequests(sandbox, 'GET', '/api/v1/payments')).toHaveLength(0);
	});

	/** Time from one check's answer to the next check's arrival, in ms. */
	const gapsBetween = (checks: ReturnType<typeof apiRequests>) =>
		checks.slice(1).map((check, index) => check.startedAtMs - (checks[index].startedAtMs + (checks[index].durationMs ?? 0)));

	it('Wait for Final Status polls until the customer has authenticated', async () => {
		const token = await createToken(CARDS.frictionlessOk);
		const checks = () => apiRequests(sandbox, 'GET', `/api/v1/secure_tokens/${token.id}`);
		// The customer finishes 3DS once the node's first check has been answered (NEEDS_VERIFY).
		const customer = waitUntil('the first status check', () => checks()[0]?.outcome === 'answered').then(() =>
			authenticate(token.authentication_url),
		);
		const json = await getStatus(token.id, { waitForFinalStatus: true, pollInterval: 1, waitTimeout: 20 });
		await customer;
		expect(json.verification_status).toBe('OK');
		const polls = checks();
		expect(polls.length).toBeGreaterThanOrEqual(2);
		// A Poll Interval apart (the first wait is always a whole interval)…
		expect(gapsBetween(polls)[0]).toBeGreaterThanOrEqual(900);
		// …and it stopped at the first check after the customer was back: every check but the last
		// began before the 3DS page had answered.
		const [page] = sandbox.requests.filter((request) => request.kind === '3ds');
		const pageAnsweredAt = page.startedAtMs + (page.durationMs ?? 0);
		expect(polls.slice(0, -1).filter((poll) => poll.startedAtMs > pageAnsweredAt)).toEqual([]);
	});

	it('Wait for Final Status returns the last status when the wait times out', async () => {
		const token = await createToken(CARDS.challengeOk);
		const started = Date.now();
		const json = await getStatus(token.id, { waitForFinalStatus: true, pollInterval: 1, waitTimeout: 3 });
		const waited = Date.now() - started;
		expect(json.verification_status).toBe('NEEDS_VERIFY');
		expect(waited).toBeGreaterThanOrEqual(3000);
		// First check, then one each second until the deadline: four, or three if the checks were
		// slow (a second of slack); never a burst (the first wait is a whole interval).
		const polls = apiRequests(sandbox, 'GET', `/api/v1/secure_tokens/${token.id}`);
		expect(polls.length).toBeGreaterThanOrEqual(3);
		expect(gapsBetween(polls)[0]).toBeGreaterThanOrEqual(900);
	});

	it('without Wait for Final Status, one request per item', async () => {
		const token = await createToken(CARDS.challengeOk);
		const result = await runKomoju(sandbox, getToken('={{ $json.id }}'), {
			items: [{ id: token.id }, { id: token.id }],
		});
		expect(result.resultOf('KOMOJU').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/')).toHaveLength(2);
	});

	it('loads and decrypts the credential once per run, not once per request', async () => {
		const token = await createToken(CARDS.challengeOk);
		const result = await runKomoju(sandbox, getToken('={{ $json.id }}'), {
			items: Array.from({ length: 6 }, () => ({ id: token.id })),
		});
		expect(result.status).toBe('success');
		const gets = apiRequests(sandbox, 'GET', '/api/v1/secure_tokens/');
		expect(gets).toHaveLength(6);
		expect(new Set(gets.map((request) => request.headers.authorization))).toEqual(new Set([`Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`]));
		expect(result.credentialDecryptions).toBe(1);
	});
});
