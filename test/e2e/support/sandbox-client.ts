/**
 * The KOMOJU sandbox as the e2e tests see it: it runs inside jest's global setup, so the tests
 * reach it over HTTP, through KOMOJU's API and the sandbox's `/__sandbox` controls.
 */

export const SECRET_KEY = 'sk_test_sandbox';
export const API_VERSION = '2025-01-28';
import { CARDS, FUTURE_YEAR } from '../../cards';

export { CARDS, FUTURE_YEAR };

export interface RecordedRequest {
	seq: number;
	time: string;
	kind: 'api' | '3ds' | 'other';
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | undefined>;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	cardNumberSent: boolean;
	verificationValueSent: boolean;
	apiKey: string | null;
	apiVersion: string | null;
	idempotencyKey: string | null;
	idempotency: 'stored' | 'replayed' | 'conflict' | 'mismatch' | null;
	fault: { id: number; kind: string; action: unknown } | null;
	status: number | null;
	processedStatus: number | null;
	outcome: 'pending' | 'answered' | 'dropped' | 'lost';
}

export interface SandboxToken {
	id: string;
	verificationStatus: string;
	amount: number;
	currency: string;
	returnUrl: string;
	customer: string | null;
	card: { brand: string; lastFour: string; testCard: string };
	authenticationUrl: string;
}

export interface SecureToken {
	id: string;
	resource: string;
	verification_status: string;
	authentication_url: string;
	created_at: string;
}

export function basicAuth(key: string): string {
	return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

/** A `/__sandbox` control call; throws unless it answers `expected`. */
export async function sandboxControl<T>(sandboxUrl: string, method: string, path: string, body: unknown, expected: number): Promise<T> {
	const response = await fetch(`${sandboxUrl}/__sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (response.status !== expected) throw new Error(`sandbox ${method} ${path}: ${response.status} ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

export class SandboxClient {
	constructor(readonly url: string) {}

	private async control<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/__sandbox${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (response.status >= 300) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
		return (response.status === 204 ? undefined : await response.json()) as T;
	}

	async requests(): Promise<RecordedRequest[]> {
		return await this.control('GET', '/requests');
	}

	/** API requests (not the 3DS page), optionally only one method and path prefix. */
	async apiRequests(method?: string, pathPrefix = '/api/v1/'): Promise<RecordedRequest[]> {
		return (await this.requests()).filter(
			(r) => r.kind === 'api' && (!method || r.method === method) && r.path.startsWith(pathPrefix),
		);
	}

	async clearRequests(): Promise<void> {
		await this.control('DELETE', '/requests');
	}

	async injectFault(rule: Record<string, unknown>): Promise<void> {
		await this.control('POST', '/faults', rule);
	}

	async clearFaults(): Promise<void> {
		await this.control('DELETE', '/faults');
	}

	async faults(): Promise<unknown[]> {
		return await this.control('GET', '/faults');
	}

	async secureTokens(): Promise<SandboxToken[]> {
		return (await this.control<{ secureTokens: SandboxToken[] }>('GET', '/state')).secureTokens;
	}

	/** The sandbox's payments (its own view: never a card number). */
	async payments(): Promise<Array<Record<string, unknown>>> {
		return (await this.control<{ payments: Array<Record<string, unknown>> }>('GET', '/state')).payments;
	}

	/** Moves the sandbox clock (payments, settlements, … are dated by it); slip payments past their deadline expire. */
	async advanceClock(ms: number): Promise<void> {
		await this.control('POST', '/clock', { advanceMs: ms });
	}

	/** The customer pays a slip payment at the store or by transfer: it becomes captured. Throws when refused. */
	async payAtStore(paymentId: string): Promise<Record<string, unknown>> {
		return await this.control('POST', `/payments/${encodeURIComponent(paymentId)}/pay`);
	}

	/** A slip payment's deadline is now: it expires (payment.expired), the sandbox clock unmoved. Throws when refused. */
	async expireNow(paymentId: string): Promise<Record<string, unknown>> {
		return await this.control('POST', `/payments/${encodeURIComponent(paymentId)}/expire`);
	}

	/** KOMOJU refunds a pending refund request (the payment is refunded by its amount). Throws when refused. */
	async completeRefundRequest(refundRequestId: string): Promise<Record<string, unknown>> {
		return await this.control('POST', `/refund_requests/${encodeURIComponent(refundRequestId)}/complete`);
	}

	/** KOMOJU rejects a pending refund request (nothing is refunded). Throws when refused. */
	async rejectRefundRequest(refundRequestId: string): Promise<Record<string, unknown>> {
		return await this.control('POST', `/refund_requests/${encodeURIComponent(refundRequestId)}/reject`);
	}

	/** Every merchant's events, newest first, as the API shows them. */
	async events(): Promise<Array<{ id: string; type: string; data: Record<string, unknown> }>> {
		return await this.control('GET', '/events');
	}

	/** A KOMOJU API call with the secret key. */
	async api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
		const response = await fetch(`${this.url}/api/v1${path}`, {
			method,
			headers: {
				Authorization: basicAuth(SECRET_KEY),
				'X-KOMOJU-API-VERSION': API_VERSION,
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as T };
	}

	async createCustomer(cardNumber: string, email: string): Promise<string> {
		const { status, body } = await this.api<{ id: string }>('POST', '/customers', {
			email,
			payment_details: { type: 'credit_card', number: cardNumber, month: 12, year: FUTURE_YEAR, verification_value: '123' },
		});
		if (status !== 200) throw new Error(`creating a customer: ${status} ${JSON.stringify(body)}`);
		return body.id;
	}

	async createToken(cardNumber: string, returnUrl = 'https://shop.example.com/3ds/return'): Promise<SecureToken> {
		const { status, body } = await this.api<SecureToken>('POST', '/secure_tokens', {
			amount: 1000,
			currency: 'JPY',
			return_url: returnUrl,
			payment_details: { type: 'credit_card', number: cardNumber, month: 12, year: FUTURE_YEAR, verification_value: '123' },
		});
		if (status !== 200) throw new Error(`creating a secure token: ${status} ${JSON.stringify(body)}`);
		return body;
	}

	async getToken(id: string): Promise<SecureToken> {
		return (await this.api<SecureToken>('GET', `/secure_tokens/${id}`)).body;
	}

	/** Settles what is unsettled in JPY, as KOMOJU's payout would; undefined when there is nothing to settle. */
	async settle(): Promise<{ id: string; reference: string; created_at: string } | undefined> {
		const response = await fetch(`${this.url}/__sandbox/settle`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		if (response.status === 400) return undefined;
		if (response.status !== 201) throw new Error(`sandbox POST /settle: ${response.status} ${await response.text()}`);
		return (await response.json()) as { id: string; reference: string; created_at: string };
	}

	/** The sandbox's settlements, each with the ids of the payments its CSV lists. */
	async settlements(): Promise<Array<{ id: string; payments: string[] }>> {
		return (await this.control<{ settlements: Array<{ id: string; payments: string[] }> }>('GET', '/state')).settlements;
	}

	async billSubscription(id: string): Promise<{ events: string[] }> {
		return await this.control('POST', `/subscriptions/${id}/bill`, {});
	}

	/** The settlement's CSV as KOMOJU answers it. */
	async settlementCsv(id: string): Promise<Buffer> {
		const response = await fetch(`${this.url}/api/v1/settlements/${id}/csv`, { headers: { Authorization: basicAuth(SECRET_KEY) } });
		if (response.status !== 200) throw new Error(`GET /settlements/${id}/csv: ${response.status}`);
		return Buffer.from(await response.arrayBuffer());
	}
}

/**
 * Follows an authentication_url like the customer's browser: opens the 3DS page and, for a
 * challenge card, posts the password form. Returns where KOMOJU redirects the browser.
 */
export async function authenticate(authenticationUrl: string, password?: string): Promise<URL> {
	let response = await fetch(authenticationUrl, { redirect: 'manual' });
	if (response.status === 200) {
		const page = await response.text();
		if (password === undefined) throw new Error('the 3DS page asks for a password, but the test gave none');
		const action = /<form[^>]*action="([^"]*)"/i.exec(page)?.[1];
		if (!action) throw new Error(`no form on the 3DS page: ${page.slice(0, 300)}`);
		const token = /name="token"\s+value="([^"]*)"/i.exec(page)?.[1] ?? new URL(authenticationUrl).searchParams.get('token') ?? '';
		response = await fetch(new URL(action.replace(/&amp;/g, '&'), authenticationUrl), {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token, password }).toString(),
			redirect: 'manual',
		});
	}
	const location = response.headers.get('location');
	if ((response.status !== 302 && response.status !== 303) || !location) {
		throw new Error(`expected a redirect from the 3DS page, got ${response.status}`);
	}
	return new URL(location, authenticationUrl);
}

/**
 * Decides a redirect payment on its page (its `redirect_url`, epospay's `offsite_url`) like the
 * customer's browser: posts the page's form. Returns where KOMOJU redirects the browser
 * (`return_url`, or `cancel_url` for a cancel, with `payment_id` appended).
 */
export async function decideOffsite(redirectUrl: string, decision: 'approve' | 'decline' | 'cancel'): Promise<URL> {
	const response = await fetch(redirectUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ decision }).toString(),
		redirect: 'manual',
	});
	const location = response.headers.get('location');
	if (response.status !== 302 || !location) throw new Error(`expected a redirect from the payment page, got ${response.status}`);
	return new URL(location, redirectUrl);
}
