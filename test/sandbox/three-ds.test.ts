import { startSandbox } from '../../sandbox/server';
import { call, CARDS, openAuthPage, Sandbox, submitPassword, tokenRequest } from './helpers';

let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ contract: 'observe' });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

async function createToken(number: string, returnUrl = 'https://shop.example/back?order=42') {
	const res = await call(sb, 'POST', '/api/v1/secure_tokens', { version: '2025-01-28', json: tokenRequest(number, { return_url: returnUrl }) });
	expect(res.status).toBe(200);
	return res.body as { id: string; authentication_url: string; verification_status: string };
}

async function status(id: string) {
	return (await call(sb, 'GET', `/api/v1/secure_tokens/${id}`, { version: '2025-01-28' })).body;
}

const AUTH_KEYS = [
	'dsReferenceNumber',
	'acsReferenceNumber',
	'threeDSRequestorTransID',
	'acsTransID',
	'dsTransID',
	'threeDSServerTransID',
	'eci',
	'messageVersion',
	'authenticationValue',
	'transStatus',
];

const brands = Object.keys(CARDS) as Array<keyof typeof CARDS>;

describe.each(brands)('%s 3DS test cards', (brand) => {
	const cards = CARDS[brand];

	it('success, frictionless: redirects at once and ends OK', async () => {
		const token = await createToken(cards.successFrictionless);
		expect(token.verification_status).toBe('NEEDS_VERIFY');
		const page = await openAuthPage(token.authentication_url);
		expect(page.status).toBe(302);
		expect(page.location).toBe(`https://shop.example/back?order=42&secure_token_id=${token.id}`);
		const after = await status(token.id);
		expect(after.verification_status).toBe('OK');
		expect(Object.keys(after.three_ds_auth_result).sort()).toEqual([...AUTH_KEYS].sort());
		expect(after.three_ds_auth_result.transStatus).toBe('Y');
		expect(after.three_ds_auth_result.authenticationValue).toEqual(expect.any(String));
	});

	it('failure, frictionless: redirects at once and ends ERRORED', async () => {
		const token = await createToken(cards.failureFrictionless);
		const page = await openAuthPage(token.authentication_url);
		expect(page.status).toBe(302);
		expect(page.location).toContain(`secure_token_id=${token.id}`);
		const after = await status(token.id);
		expect(after.verification_status).toBe('ERRORED');
		expect(after.three_ds_auth_result.transStatus).toBe('N');
		// the contract types every key as a string: keys without a value are left out, not null
		expect(after.three_ds_auth_result).not.toHaveProperty('authenticationValue');
		expect(after.three_ds_auth_result).not.toHaveProperty('authenticationType');
	});

	it('success, challenge: 123456 authenticates', async () => {
		const token = await createToken(cards.successChallenge);
		const page = await openAuthPage(token.authentication_url);
		expect(page.status).toBe(200);
		expect(page.html).toContain('<form method="post" action="/three_d_secure_service/offsite">');
		expect(page.html).toContain(`value="${token.id}"`);
		expect(page.html).not.toContain(cards.successChallenge);
		expect((await status(token.id)).verification_status).toBe('NEEDS_VERIFY');
		const done = await submitPassword(sb, token.id, '123456');
		expect(done.status).toBe(302);
		expect(done.location).toBe(`https://shop.example/back?order=42&secure_token_id=${token.id}`);
		const after = await status(token.id);
		expect(after.verification_status).toBe('OK');
		expect(after.three_ds_auth_result).toMatchObject({ transStatus: 'Y', authenticationType: '01' });
	});

	it('success, challenge: a wrong password shows the form again; 111111 fails', async () => {
		const token = await createToken(cards.successChallenge);
		const wrong = await submitPassword(sb, token.id, '000000');
		expect(wrong.status).toBe(200);
		expect(wrong.html).toContain('The password is incorrect');
		expect((await status(token.id)).verification_status).toBe('NEEDS_VERIFY');
		const failed = await submitPassword(sb, token.id, '111111');
		expect(failed.status).toBe(302);
		expect((await status(token.id)).verification_status).toBe('ERRORED');
	});

	it('failure, challenge: any password fails', async () => {
		const token = await createToken(cards.failureChallenge);
		expect((await openAuthPage(token.authentication_url)).status).toBe(200);
		const done = await submitPassword(sb, token.id, '123456');
		expect(done.status).toBe(302);
		expect(done.location).toContain(`secure_token_id=${token.id}`);
		const after = await status(token.id);
		expect(after.verification_status).toBe('ERRORED');
		expect(after.three_ds_auth_result.transStatus).toBe('N');
	});
});

describe('the 3DS page', () => {
	it('fails the token after three wrong passwords', async () => {
		const token = await createToken(CARDS.visa.successChallenge);
		expect((await submitPassword(sb, token.id, 'a')).status).toBe(200);
		expect((await submitPassword(sb, token.id, 'b')).status).toBe(200);
		expect((await submitPassword(sb, token.id, 'c')).status).toBe(302);
		expect((await status(token.id)).verification_status).toBe('ERRORED');
	});

	it('redirects again without change once verified', async () => {
		const token = await createToken(CARDS.visa.successChallenge);
		await submitPassword(sb, token.id, '123456');
		const before = await status(token.id);
		const again = await openAuthPage(token.authentication_url);
		expect(again.status).toBe(302);
		const posted = await submitPassword(sb, token.id, '111111');
		expect(posted.status).toBe(302);
		expect(await status(token.id)).toEqual(before);
	});

	it('redirects a SKIPPED token (regular card) straight back', async () => {
		const token = await createToken('4111111111111111');
		expect(token.verification_status).toBe('SKIPPED');
		const page = await openAuthPage(token.authentication_url);
		expect(page.status).toBe(302);
		expect((await status(token.id)).verification_status).toBe('SKIPPED');
	});

	it('keeps existing query parameters and the fragment of return_url', async () => {
		const a = await createToken(CARDS.visa.successFrictionless, 'https://n8n.example/webhook-waiting/123?signature=a%2Bb&x=1#frag');
		expect((await openAuthPage(a.authentication_url)).location).toBe(
			`https://n8n.example/webhook-waiting/123?signature=a%2Bb&x=1&secure_token_id=${a.id}#frag`,
		);
		const b = await createToken(CARDS.visa.successFrictionless, 'http://localhost:5678/back');
		expect((await openAuthPage(b.authentication_url)).location).toBe(`http://localhost:5678/back?secure_token_id=${b.id}`);
	});

	it('answers an unknown or missing token with 404 HTML', async () => {
		for (const url of [`${sb.url}/three_d_secure_service/offsite?token=nope`, `${sb.url}/three_d_secure_service/offsite`]) {
			const res = await fetch(url, { redirect: 'manual' });
			expect(res.status).toBe(404);
			expect(res.headers.get('content-type')).toContain('text/html');
			await res.text();
		}
	});

	it('needs no API key', async () => {
		const token = await createToken(CARDS.master.successFrictionless);
		const page = await fetch(token.authentication_url, { redirect: 'manual', headers: {} });
		expect(page.status).toBe(302);
		await page.text();
	});

	it('uses publicUrl for authentication_url when given', async () => {
		const other = await startSandbox({ contract: 'observe', publicUrl: 'http://host.docker.internal:4999/' });
		try {
			const res = await call(other, 'POST', '/api/v1/secure_tokens', { json: tokenRequest(CARDS.visa.successFrictionless) });
			expect(res.body.authentication_url).toBe(`http://host.docker.internal:4999/three_d_secure_service/offsite?token=${res.body.id}`);
		} finally {
			await other.close();
		}
	});
});
