import { startSandbox } from '../../sandbox/server';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export const SECRET = 'sk_test_sandbox';
export const PUBLISHABLE = 'pk_test_sandbox';

export function basic(key: string, password = ''): string {
	return `Basic ${Buffer.from(`${key}:${password}`).toString('base64')}`;
}

export interface CallOptions {
	key?: string | null;
	json?: unknown;
	form?: string;
	/** raw body sent with the given Content-Type */
	raw?: { contentType: string; body: string };
	headers?: Record<string, string>;
	version?: string;
	idempotencyKey?: string;
}

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

/** One API call with Basic auth (secret key unless told otherwise). */
export async function call(sb: Sandbox, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	const key = opts.key === undefined ? SECRET : opts.key;
	if (key !== null) headers.Authorization = basic(key);
	if (opts.version) headers['X-KOMOJU-API-VERSION'] = opts.version;
	if (opts.idempotencyKey !== undefined) headers['X-KOMOJU-IDEMPOTENCY'] = opts.idempotencyKey;
	let body: string | undefined;
	if (opts.json !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(opts.json);
	} else if (opts.form !== undefined) {
		headers['Content-Type'] = 'application/x-www-form-urlencoded';
		body = opts.form;
	} else if (opts.raw !== undefined) {
		headers['Content-Type'] = opts.raw.contentType;
		body = opts.raw.body;
	}
	const res = await fetch(`${sb.url}${path}`, { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	let parsed: unknown = undefined;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = undefined;
	}
	return { status: res.status, headers: res.headers, text, body: parsed };
}

export const FUTURE_YEAR = new Date().getUTCFullYear() + 3;

export const CARDS = {
	visa: {
		successFrictionless: '4100000000000100',
		successChallenge: '4100000000005000',
		failureFrictionless: '4100000000500000',
		failureChallenge: '4100000000300005',
	},
	master: {
		successFrictionless: '5100000000000107',
		successChallenge: '5100000000005007',
		failureFrictionless: '5100000000500007',
		failureChallenge: '5100000000300002',
	},
	jcb: {
		successFrictionless: '3528000000000106',
		successChallenge: '3528000000005006',
		failureFrictionless: '3528000000500006',
		failureChallenge: '3528000000300001',
	},
} as const;

export function card(number: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { type: 'credit_card', number, month: 8, year: FUTURE_YEAR, verification_value: '123', name: 'Taro Test', ...extra };
}

export function tokenRequest(number: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		amount: 1000,
		currency: 'JPY',
		return_url: 'https://shop.example/back?order=42',
		payment_details: card(number),
		...extra,
	};
}

/** JSON from a sandbox control endpoint. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function control(sb: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
	const res = await fetch(`${sb.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Follows an authentication_url by hand (no Basic auth, no redirects). */
export async function openAuthPage(url: string): Promise<{ status: number; location: string | null; html: string }> {
	const res = await fetch(url, { redirect: 'manual' });
	return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

export async function submitPassword(
	sb: Sandbox,
	token: string,
	password: string,
): Promise<{ status: number; location: string | null; html: string }> {
	const res = await fetch(`${sb.url}/three_d_secure_service/offsite`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token, password }).toString(),
		redirect: 'manual',
	});
	return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

/** All card numbers the tests send, to assert that none leaks. */
export const ALL_TEST_NUMBERS = [
	...Object.values(CARDS).flatMap((c) => Object.values(c)),
	'4111111111111111',
	'5555555555554444',
	'3530111333300000',
	'378282246310005',
	'30569309025904',
	'4123111111111000',
	'4123111111111018',
	'4123111111111034',
	'4123111111111042',
	'4123111111111059',
	'4123111111111067',
	'4242424242424242',
];

/** A sandbox with two merchants: `sk_test_sandbox`/`pk_test_sandbox` and `sk_test_other`/`pk_test_other`. */
export function startTwoMerchants(): Promise<Sandbox> {
	return startSandbox({ contract: 'observe', secretKeys: ['sk_test_sandbox', 'sk_test_other'], publishableKeys: ['pk_test_sandbox', 'pk_test_other'] });
}

/** Asserts KOMOJU's error body with this status, code and param (null: no field at fault, shown as ""). */
export function expectError(res: { status: number; body: unknown }, status: number, code: string, param: string | null = null): void {
	expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: { code, message: expect.any(String), param: param ?? '', details: {} } } });
}
