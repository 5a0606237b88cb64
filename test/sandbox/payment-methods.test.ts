import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { METHODS } from '../../sandbox/payment-methods';
import { startSandbox } from '../../sandbox/server';
import { call, card, control, expectError, Sandbox } from './helpers';

// KOMOJU's Japanese payment methods in the sandbox (sandbox/README.md, "Payment methods"). The
// sandbox here is strict (the default): every request these tests send keeps to the contract, and
// every answer is judged. Requests that break the contract's schemas go to `probe` (observe mode),
// to check the sandbox's own 422s.

const VERSION = '2025-01-28';
const T0 = Date.UTC(2026, 0, 5, 1, 0, 0); // 2026-01-05 10:00 JST
const DAY = 24 * 3600 * 1000;
const RETURN_URL = 'https://shop.example/back?order=7#done';
const JST = (ms: number) => new Date(ms + 9 * 3600 * 1000).toISOString().replace('Z', '+09:00');

/** The sandbox's base clock: only the tests move it (advanceClock, or this for "time passed on its own"). */
let base = T0;
let sb: Sandbox;
let probe: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ now: () => base });
	probe = await startSandbox({ contract: 'observe', now: () => T0 });
});
afterAll(async () => {
	await sb.close();
	await probe.close();
});
beforeEach(() => {
	base = T0;
	sb.reset();
	probe.reset();
});

type Details = Record<string, unknown>;

async function pay(details: Details | string, extra: Record<string, unknown> = {}, opts: { idempotencyKey?: string; target?: Sandbox } = {}) {
	return call(opts.target ?? sb, 'POST', '/api/v1/payments', {
		version: VERSION,
		json: { amount: 1000, currency: 'JPY', payment_details: details, ...extra },
		idempotencyKey: opts.idempotencyKey,
	});
}

async function get(id: string) {
	return (await call(sb, 'GET', `/api/v1/payments/${id}`, { version: VERSION })).body;
}

/** The contract verdict of the last request the sandbox answered. */
function lastVerdict() {
	return sb.requests[sb.requests.length - 1].contract;
}

function eventTypes(): string[] {
	return sb
		.events()
		.map((e) => e.type)
		.reverse();
}

const konbini = (extra: Details = {}): Details => ({ type: 'konbini', store: 'lawson', email: 'taro@example.com', ...extra });
const bankTransfer = (extra: Details = {}): Details => ({
	type: 'bank_transfer', email: 'taro@example.com', phone: '09012345678', given_name_kana: 'タロウ', family_name_kana: 'ヤマダ', ...extra,
});
const payEasy = (extra: Details = {}): Details => ({
	type: 'pay_easy', email: 'taro@example.com', phone: '0312345678', given_name: '太郎', family_name: '山田', given_name_kana: 'タロウ', family_name_kana: 'ヤマダ', ...extra,
});
const GOOD_PREPAID = '1111111111111111';

async function created(details: Details, extra: Record<string, unknown> = {}) {
	const res = await pay(details, extra);
	expect(res.status).toBe(200);
	return res.body;
}

/** A slip payment the customer has paid. */
async function paidSlip(details: Details = konbini()) {
	const p = await created(details);
	expect(sb.payAtStore(p.id).status).toBe('captured');
	return p.id as string;
}

async function openPage(url: string) {
	const res = await fetch(url, { redirect: 'manual' });
	return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

async function decide(url: string, decision: string) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ decision }).toString(),
		redirect: 'manual',
	});
	return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

// ---------------------------------------------------------------------------

describe('slip payments: created authorized, awaiting the cash or transfer', () => {
	it('konbini at a barcode store: receipt, confirmation code, instructions and barcode URLs, a 3-day deadline', async () => {
		const p = await created(konbini({ family_name: '山田', given_name: '太郎', phone: '09012345678' }), { tax: 0 });
		expect(p).toMatchObject({
			status: 'authorized',
			amount: 1000,
			total: 1000,
			captured_at: null,
			payment_deadline: JST(T0 + 3 * DAY),
			customer_family_name: '山田',
			customer_given_name: '太郎',
			refund_requests: [],
		});
		expect(p.payment_details).toEqual({
			type: 'konbini',
			email: 'taro@example.com',
			store: 'lawson',
			receipt: expect.stringMatching(/^\d{11}$/),
			confirmation_code: expect.stringMatching(/^\d{4}$/),
			instructions_url: `${sb.url}/instructions/${p.id}`,
			barcode_url: `${sb.url}/api/v1/barcodes/${p.id}`,
		});
		expect(lastVerdict()).toEqual({ operation: 'createPayment', requestViolations: [], answerViolations: [] });
		expect(eventTypes()).toEqual(['payment.authorized']);
		expect(sb.events()[0].data).toEqual(p);
	});

	it('konbini at Seven-Eleven: no confirmation code and no barcode; expiry_days sets the deadline', async () => {
		const p = await created(konbini({ store: 'seven-eleven', expiry_days: 5 }));
		expect(p.payment_deadline).toBe(JST(T0 + 5 * DAY));
		expect(p.payment_details.confirmation_code).toBeNull();
		expect(p.payment_details).not.toHaveProperty('barcode_url');
		expect(lastVerdict().answerViolations).toEqual([]);
	});

	it('bank transfer: the account to pay into and the deadline in payment_details', async () => {
		const p = await created(bankTransfer({ given_name: '太郎', family_name: '山田' }));
		expect(p).toMatchObject({ status: 'authorized', payment_deadline: JST(T0 + 3 * DAY), customer_family_name: '山田' });
		expect(p.payment_details).toEqual({
			type: 'bank_transfer',
			email: 'taro@example.com',
			order_id: expect.stringMatching(/^SBX\d{8}$/),
			bank_name: expect.any(String),
			account_branch_name: expect.any(String),
			account_type: expect.any(String),
			account_name: expect.any(String),
			account_number: expect.stringMatching(/^\d{7}$/),
			instructions_url: `${sb.url}/instructions/${p.id}`,
			payment_deadline: p.payment_deadline,
		});
		expect(lastVerdict().answerViolations).toEqual([]);
		expect(eventTypes()).toEqual(['payment.authorized']);
	});

	it('pay-easy: the collector, customer and confirmation numbers', async () => {
		const p = await created(payEasy({ expiry_days: 1 }));
		expect(p).toMatchObject({ status: 'authorized', payment_deadline: JST(T0 + DAY), customer_given_name: '太郎' });
		expect(p.payment_details).toEqual({
			type: 'pay_easy',
			email: 'taro@example.com',
			bank_id: expect.stringMatching(/^\d{5}$/),
			customer_id: expect.stringMatching(/^\d{11}$/),
			confirmation_id: expect.stringMatching(/^\d{6}$/),
			instructions_url: `${sb.url}/instructions/${p.id}`,
			payment_url: `${sb.url}/instructions/${p.id}`,
			cvs_code: null,
		});
		expect(lastVerdict().answerViolations).toEqual([]);
	});

	it('shows the instructions page at instructions_url, without auth', async () => {
		const p = await created(konbini());
		const page = await openPage(p.payment_details.instructions_url);
		expect(page.status).toBe(200);
		expect(page.html).toContain(p.payment_details.receipt);
		expect(page.html).toContain(p.payment_details.confirmation_code);
		expect(page.html).toContain(`<span id="deadline">${p.payment_deadline}</span>`);
		expect(sb.requests[sb.requests.length - 1]).toMatchObject({ kind: 'offsite', contract: { operation: null } });
		expect((await openPage(`${sb.url}/instructions/nope`)).status).toBe(404);
	});

	it.each<[string, Details, Record<string, unknown>, string, string]>([
		['hiragana kana', bankTransfer({ family_name_kana: 'やまだ' }), {}, 'invalid_parameter', 'payment_details.family_name_kana'],
		['half-width kana', payEasy({ given_name_kana: 'ﾀﾛｳ' }), {}, 'invalid_parameter', 'payment_details.given_name_kana'],
		['latin kana', bankTransfer({ given_name_kana: 'Taro' }), {}, 'invalid_parameter', 'payment_details.given_name_kana'],
		['a phone with hyphens', bankTransfer({ phone: '090-1234-5678' }), {}, 'invalid_parameter', 'payment_details.phone'],
		['a bad email', konbini({ email: 'taro' }), {}, 'invalid_parameter', 'payment_details.email'],
		['expiry_days 0', konbini({ expiry_days: 0 }), {}, 'invalid_parameter', 'payment_details.expiry_days'],
		['expiry_days 31', konbini({ expiry_days: 31 }), {}, 'invalid_parameter', 'payment_details.expiry_days'],
		['capture: false', konbini(), { capture: false }, 'invalid_parameter', 'capture'],
		['another currency', konbini(), { currency: 'USD' }, 'invalid_parameter', 'payment_details.type'],
	])('refuses %s with 422 (a rule the schemas cannot express)', async (_label, details, extra, code, param) => {
		expectError(await pay(details, extra), 422, code, param);
		expect(lastVerdict().requestViolations).toEqual([]);
		expect(sb.payments()).toHaveLength(0);
		expect(sb.events()).toHaveLength(0);
	});

	it.each<[string, Details, string, string]>([
		['no store', { type: 'konbini', email: 'a@example.com' }, 'missing_parameter', 'payment_details.store'],
		['an unknown store', konbini({ store: 'circle-k' }), 'invalid_parameter', 'payment_details.store'],
		['no email', { type: 'konbini', store: 'lawson' }, 'missing_parameter', 'payment_details.email'],
		['no kana', { type: 'bank_transfer', email: 'a@example.com', phone: '09012345678', given_name_kana: 'タロウ' }, 'missing_parameter', 'payment_details.family_name_kana'],
		['an unknown field', konbini({ bardcode: '1' }), 'invalid_parameter', 'payment_details.bardcode'],
		['an unknown type', { type: 'nanaco' }, 'invalid_parameter', 'payment_details.type'],
	])('refuses %s with its own 422 when the contract check only observes', async (_label, details, code, param) => {
		expectError(await pay(details, {}, { target: probe }), 422, code, param);
		expect(probe.payments()).toHaveLength(0);
	});
});

describe('redirect payments: created pending, the customer decides on the method’s page', () => {
	const REDIRECT: Array<[string, Details]> = [
		['paypay', {}],
		['rakutenpay', {}],
		['merpay', {}],
		['aupay', {}],
		['paidy', { customer_name: 'Yamada Taro', customer_name_kana: 'ヤマダ タロウ', customer_age: 400, capture: true }],
		['docomo', {}],
		['softbank', {}],
		['au', {}],
		['japan_mobile', { brand: 'softbank' }],
		['epospay', {}],
		['alipay', {}],
		['wechatpay', {}],
		['unionpay', {}],
	];

	it.each(REDIRECT)('%s: pending, with the sandbox page as its redirect URL; no event yet', async (type, extra) => {
		const p = await created({ type, ...extra }, { return_url: RETURN_URL });
		const page = `${sb.url}/offsite/${p.id}`;
		const expected: Details = { type, email: null, ...(type === 'epospay' ? { offsite_url: page } : { redirect_url: page }) };
		if (type === 'japan_mobile') expected.provider = 'softbank';
		expect(p).toMatchObject({ status: 'pending', captured_at: null, payment_deadline: null });
		expect(p.payment_details).toEqual(expected);
		expect(lastVerdict()).toEqual({ operation: 'createPayment', requestViolations: [], answerViolations: [] });
		expect(sb.events()).toHaveLength(0);
	});

	it('approve: 302 to return_url with payment_id appended (query and fragment kept); captured, payment.captured', async () => {
		const p = await created({ type: 'paypay' }, { return_url: RETURN_URL });
		const form = await openPage(p.payment_details.redirect_url);
		expect(form.status).toBe(200);
		expect(form.html).toContain(`<form method="post" action="/offsite/${p.id}">`);
		for (const d of ['approve', 'decline', 'cancel']) expect(form.html).toContain(`name="decision" value="${d}"`);
		const back = `https://shop.example/back?order=7&payment_id=${p.id}#done`;
		expect(await decide(p.payment_details.redirect_url, 'approve')).toMatchObject({ status: 302, location: back });
		expect(await get(p.id)).toMatchObject({ status: 'captured', captured_at: JST(T0) });
		expect(eventTypes()).toEqual(['payment.captured']);
		// settled: the page only sends the customer back again
		expect(await openPage(p.payment_details.redirect_url)).toMatchObject({ status: 302, location: back });
		expect(await decide(p.payment_details.redirect_url, 'decline')).toMatchObject({ status: 302, location: back });
		expect((await get(p.id)).status).toBe('captured');
		expect(eventTypes()).toEqual(['payment.captured']);
	});

	it('approve with capture: false authorizes; the merchant captures later', async () => {
		const p = await created({ type: 'merpay' }, { return_url: RETURN_URL, capture: false });
		expect((await decide(p.payment_details.redirect_url, 'approve')).status).toBe(302);
		expect((await get(p.id)).status).toBe('authorized');
		const captured = await call(sb, 'POST', `/api/v1/payments/${p.id}/capture`, { version: VERSION, json: {} });
		expect(captured.body.status).toBe('captured');
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured']);
	});

	it('decline: failed with payment.failed; cancel: cancelled, back to cancel_url', async () => {
		const declined = await created({ type: 'rakutenpay' }, { return_url: RETURN_URL });
		expect(await decide(declined.payment_details.redirect_url, 'decline')).toMatchObject({
			status: 302,
			location: `https://shop.example/back?order=7&payment_id=${declined.id}#done`,
		});
		expect((await get(declined.id)).status).toBe('failed');
		const cancelled = await created({ type: 'epospay' }, { return_url: RETURN_URL, cancel_url: 'https://shop.example/cancelled' });
		expect(await decide(cancelled.payment_details.offsite_url, 'cancel')).toMatchObject({
			status: 302,
			location: `https://shop.example/cancelled?payment_id=${cancelled.id}`,
		});
		expect((await get(cancelled.id)).status).toBe('cancelled');
		expect(eventTypes()).toEqual(['payment.failed', 'payment.cancelled']);
		const list = await call(sb, 'GET', '/api/v1/payments?status=failed,cancelled', { version: VERSION });
		expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([cancelled.id, declined.id]);
	});

	it('shows the form again for an unknown decision; 404 for an unknown or non-redirect payment', async () => {
		const p = await created({ type: 'alipay' }, { return_url: RETURN_URL });
		const again = await decide(p.payment_details.redirect_url, 'maybe');
		expect(again.status).toBe(200);
		expect(again.html).toContain('<p id="error" role="alert">');
		expect((await get(p.id)).status).toBe('pending');
		expect(sb.requests[sb.requests.length - 2]).toMatchObject({ kind: 'offsite', method: 'POST', contract: { operation: null } });
		const slip = await created(konbini());
		expect((await openPage(sb.offsitePageUrl(slip.id))).status).toBe(404);
		expect((await openPage(sb.offsitePageUrl('nope'))).status).toBe(404);
	});

	it('needs return_url (422 missing_parameter)', async () => {
		expectError(await pay({ type: 'paypay' }), 422, 'missing_parameter', 'return_url');
		expect(sb.payments()).toHaveLength(0);
	});

	it('completes at once with a scanned code (in a shop): no redirect, no return_url needed', async () => {
		const p = await created({ type: 'aupay', scanned_code: '2812345678' });
		expect(p).toMatchObject({ status: 'captured', payment_details: { type: 'aupay', email: null } });
		expect(p.payment_details).not.toHaveProperty('redirect_url');
		expect((await openPage(sb.offsitePageUrl(p.id))).status).toBe(404);
		expect(eventTypes()).toEqual(['payment.captured']);
	});

	it('a pending payment can be cancelled through the API; its page then sends the customer to cancel_url', async () => {
		const p = await created({ type: 'unionpay' }, { return_url: RETURN_URL, cancel_url: 'https://shop.example/cancelled' });
		expect((await call(sb, 'POST', `/api/v1/payments/${p.id}/cancel`, { version: VERSION })).body.status).toBe('cancelled');
		expect(await openPage(p.payment_details.redirect_url)).toMatchObject({ status: 302, location: `https://shop.example/cancelled?payment_id=${p.id}` });
		expectError(await call(sb, 'POST', `/api/v1/payments/${p.id}/capture`, { version: VERSION, json: {} }), 422, 'not_capturable');
	});
});

describe('prepaid and e-money: charged at once', () => {
	it.each<[string, Details, Details]>([
		['bit_cash', { prepaid_number: GOOD_PREPAID, email: 'taro@example.com' }, { email: 'taro@example.com' }],
		['net_cash', { prepaid_number: GOOD_PREPAID }, { email: null, prepaid_cards: [{ last_four_digits: '1111', points: 900 }] }],
		['web_money', { prepaid_number: GOOD_PREPAID }, { email: null, prepaid_cards: [{ last_four_digits: '1111', points: 900 }] }],
		['dospara', { user_no: '1111111111', user_password: 'sandbox' }, { email: null, user_no: '1111111111' }],
	])('%s with the sandbox test value: captured, payment.captured', async (type, input, shown) => {
		const p = await created({ type, ...input });
		expect(p).toMatchObject({ status: 'captured', captured_at: JST(T0), total: 1100, payment_deadline: null });
		expect(p.payment_details).toEqual({ type, ...shown });
		expect(lastVerdict()).toEqual({ operation: 'createPayment', requestViolations: [], answerViolations: [] });
		expect(eventTypes()).toEqual(['payment.captured']);
	});

	it.each<[string, Details, Record<string, unknown>, number, string, string]>([
		['an unknown prepaid number', { type: 'web_money', prepaid_number: '1234' }, {}, 422, 'invalid_number', 'payment_details.prepaid_number'],
		['KOMOJU’s invalid test number', { type: 'net_cash', prepaid_number: 'e111111111111112' }, {}, 422, 'invalid_number', 'payment_details.prepaid_number'],
		['a used card', { type: 'bit_cash', prepaid_number: 'e111111111111113' }, {}, 402, 'request_failed', 'payment_details.prepaid_number'],
		['a failing card', { type: 'web_money', prepaid_number: 'e111111111111114' }, {}, 402, 'request_failed', 'payment_details.prepaid_number'],
		['a total above the 2000 JPY balance', { type: 'web_money', prepaid_number: GOOD_PREPAID }, { amount: 2000, tax: 1 }, 402, 'insufficient_funds', 'payment_details.prepaid_number'],
		['a wrong Dospara password', { type: 'dospara', user_no: '1111111111', user_password: 'nope' }, {}, 402, 'request_failed', 'payment_details.user_password'],
		['an unknown Dospara user', { type: 'dospara', user_no: '42', user_password: 'sandbox' }, {}, 422, 'invalid_parameter', 'payment_details.user_no'],
		['capture: false', { type: 'bit_cash', prepaid_number: GOOD_PREPAID }, { capture: false }, 422, 'invalid_parameter', 'capture'],
	])('refuses %s, creating nothing', async (_label, details, extra, status, code, param) => {
		expectError(await pay(details, extra), status, code, param);
		expect(sb.payments()).toHaveLength(0);
		expect(sb.events()).toHaveLength(0);
	});

	it('the balance covers a total of exactly 2000 JPY', async () => {
		const p = await created({ type: 'web_money', prepaid_number: GOOD_PREPAID }, { amount: 1818, tax: 182 });
		expect(p.payment_details.prepaid_cards).toEqual([{ last_four_digits: '1111', points: 0 }]);
	});

	it('Komoju-Scenario: insufficient_funds fails any method at once', async () => {
		const res = await call(sb, 'POST', '/api/v1/payments', {
			version: VERSION,
			headers: { 'Komoju-Scenario': 'insufficient_funds' },
			json: { amount: 1000, currency: 'JPY', payment_details: konbini() },
		});
		expectError(res, 402, 'insufficient_funds');
		expect(sb.payments()).toHaveLength(0);
	});
});

describe('the konbini life: paid at the store, or expired at the deadline', () => {
	let receiver: http.Server;
	let receiverUrl: string;
	let received: Array<{ headers: http.IncomingHttpHeaders; raw: Buffer }> = [];

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
				res.writeHead(200);
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/komoju`;
	});
	afterAll(async () => {
		receiver.closeAllConnections();
		await new Promise((resolve) => receiver.close(resolve));
	});
	beforeEach(() => {
		received = [];
	});

	it('pay at the store (HTTP control): captured, payment.captured, a signed webhook delivery', async () => {
		sb.registerWebhook({ url: receiverUrl, secret: 'whsec_konbini', events: ['payment.captured', 'payment.expired'] });
		const p = await created(konbini());
		base += 3600 * 1000;
		const paid = await control(sb, 'POST', `/__sandbox/payments/${p.id}/pay`);
		expect(paid.status).toBe(200);
		expect(paid.body).toMatchObject({ id: p.id, status: 'captured', captured_at: JST(T0 + 3600 * 1000) });
		expect(await get(p.id)).toEqual(paid.body);
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured']);
		await sb.waitForDeliveries();
		const captured = received.filter((r) => r.headers['x-komoju-event'] === 'payment.captured');
		expect(captured).toHaveLength(1);
		const expected = createHmac('sha256', 'whsec_konbini').update(captured[0].raw).digest('hex');
		expect(captured[0].headers['x-komoju-signature']).toBe(expected);
		expect(JSON.parse(captured[0].raw.toString('utf8'))).toMatchObject({ type: 'payment.captured', data: paid.body });
	});

	it('pay is refused with a clear 4xx for other payments and statuses', async () => {
		const p = await created(konbini());
		sb.payAtStore(p.id);
		const twice = await control(sb, 'POST', `/__sandbox/payments/${p.id}/pay`);
		expect(twice.status).toBe(422);
		expect(twice.body.error.message).toContain('its status is captured');
		expect(() => sb.payAtStore(p.id)).toThrow('its status is captured');
		const byCard = await pay(card('4111111111111111'));
		const cardPay = await control(sb, 'POST', `/__sandbox/payments/${byCard.body.id}/pay`);
		expect(cardPay.status).toBe(422);
		expect(cardPay.body.error.message).toContain('only konbini, bank transfer and pay-easy');
		expect((await control(sb, 'POST', '/__sandbox/payments/nope/pay')).status).toBe(404);
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured', 'payment.captured']);
	});

	it('the clock passing payment_deadline expires it, with payment.expired and a webhook, once', async () => {
		sb.registerWebhook({ url: receiverUrl, secret: 'whsec_konbini', events: ['payment.expired'] });
		const p = await created(bankTransfer());
		sb.advanceClock(3 * DAY - 1000);
		expect((await get(p.id)).status).toBe('authorized');
		sb.advanceClock(1000);
		expect(sb.events()[0]).toMatchObject({ type: 'payment.expired', data: { id: p.id, status: 'expired' } });
		expect((await get(p.id)).status).toBe('expired');
		sb.advanceClock(DAY);
		await control(sb, 'POST', '/__sandbox/clock', { advanceMs: DAY });
		expect((await call(sb, 'GET', '/api/v1/payments?status=expired', { version: VERSION })).body.data.map((x: { id: string }) => x.id)).toEqual([p.id]);
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.expired']);
		await sb.waitForDeliveries();
		expect(received.filter((r) => r.headers['x-komoju-event'] === 'payment.expired')).toHaveLength(1);
		const late = await control(sb, 'POST', `/__sandbox/payments/${p.id}/pay`);
		expect(late.status).toBe(422);
		expect(late.body.error.message).toContain('its status is expired');
	});

	it('is checked on reads and lists too, when the time passed on its own; POST /__sandbox/clock expires at once', async () => {
		const first = await created(konbini({ expiry_days: 1 }));
		const second = await created(payEasy({ expiry_days: 2 }));
		base = T0 + DAY; // the base clock moved, not the sandbox's offset
		expect((await get(first.id)).status).toBe('expired');
		const listed = await call(sb, 'GET', '/api/v1/payments?status=authorized', { version: VERSION });
		expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([second.id]);
		const moved = await control(sb, 'POST', '/__sandbox/clock', { advanceMs: DAY });
		expect(moved.status).toBe(200);
		expect(sb.payments().map((x) => x.status)).toEqual(['expired', 'expired']);
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.authorized', 'payment.expired', 'payment.expired']);
	});

	it('expire brings one slip payment’s deadline to now, leaving the clock and the other payments alone', async () => {
		const p = await created(konbini());
		const other = await created(konbini());
		const clockBefore = sb.now();
		const expired = await control(sb, 'POST', `/__sandbox/payments/${p.id}/expire`);
		expect(expired.status).toBe(200);
		expect(expired.body).toMatchObject({ id: p.id, status: 'expired' });
		expect(sb.now()).toBe(clockBefore);
		expect((await get(other.id)).status).toBe('authorized');
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.authorized', 'payment.expired']);
		const again = await control(sb, 'POST', `/__sandbox/payments/${p.id}/expire`);
		expect(again.status).toBe(422);
		expect(again.body.error.message).toContain('its status is expired');
		expect(() => sb.expireNow(other.id)).not.toThrow();
		const byCard = await pay(card('4111111111111111'));
		expect((await control(sb, 'POST', `/__sandbox/payments/${byCard.body.id}/expire`)).status).toBe(422);
	});

	it('cannot be captured through the API; an unpaid one can be cancelled', async () => {
		const p = await created(konbini());
		const capture = await call(sb, 'POST', `/api/v1/payments/${p.id}/capture`, { version: VERSION, json: {} });
		expectError(capture, 422, 'not_capturable');
		expect(capture.body.error.message).toContain('captured when the customer pays');
		expect((await call(sb, 'POST', `/api/v1/payments/${p.id}/cancel`, { version: VERSION })).body.status).toBe('cancelled');
		sb.advanceClock(4 * DAY);
		expect((await get(p.id)).status).toBe('cancelled');
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.cancelled']);
	});
});

describe('refunds of those methods', () => {
	it.each<[string, Details]>([
		['konbini', konbini()],
		['bank_transfer', bankTransfer()],
		['pay_easy', payEasy()],
	])('a captured %s payment cannot be refunded directly: 422 not_refundable, a refund request is needed', async (_type, details) => {
		const id = await paidSlip(details);
		const res = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { version: VERSION, json: {} });
		expectError(res, 422, 'not_refundable');
		expect(res.body.error.message).toContain(`refund request (POST /payments/${id}/refund_request)`);
		expect((await get(id)).amount_refunded).toBe(0);
	});

	it('redirect and prepaid payments are refunded directly', async () => {
		const wallet = await created({ type: 'paypay' }, { return_url: RETURN_URL });
		await decide(wallet.payment_details.redirect_url, 'approve');
		const prepaid = await created({ type: 'net_cash', prepaid_number: GOOD_PREPAID });
		for (const id of [wallet.id, prepaid.id]) {
			const res = await call(sb, 'POST', `/api/v1/payments/${id}/refund`, { version: VERSION, json: {} });
			expect(res.body).toMatchObject({ status: 'refunded', amount_refunded: 1100 });
		}
	});
});

describe('POST /payments/{id}/refund_request', () => {
	const request = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
		amount: 500,
		customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ',
		bank_name: 'みずほ銀行',
		bank_code: '0001',
		branch_name: '東京営業部',
		branch_number: '110',
		account_type: 'normal',
		account_number: 123456,
		include_payment_method_fee: false,
		...extra,
	});
	const ask = (id: string, body: Record<string, unknown>, target: Sandbox = sb) =>
		call(target, 'POST', `/api/v1/payments/${id}/refund_request`, { version: VERSION, json: body });

	it('records a pending request on the payment and answers the payment; KOMOJU completes it later', async () => {
		const id = await paidSlip();
		const res = await ask(id, request({ description: 'Out of stock' }));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ id, status: 'captured', amount_refunded: 0 });
		expect(res.body.refund_requests).toEqual([
			{
				id: expect.stringMatching(/^[a-z0-9]{25}$/),
				payment: id,
				customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ',
				bank_name: 'みずほ銀行',
				bank_code: '0001',
				branch_name: '東京営業部',
				branch_number: '110',
				// a number in the request; the 7-digit string RefundRequest has, leading zero kept
				account_number: '0123456',
				description: 'Out of stock',
				status: 'pending',
				created_at: JST(T0),
			},
		]);
		expect(await get(id)).toEqual(res.body);
		expect(lastVerdict()).toEqual({ operation: 'showPayment', requestViolations: [], answerViolations: [] });
		expect(sb.payments()[0].refundRequests).toEqual([
			{ id: res.body.refund_requests[0].id, amount: 500, status: 'pending', accountType: 'normal', includePaymentMethodFee: false },
		]);
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured']);

		const done = await control(sb, 'POST', `/__sandbox/refund_requests/${res.body.refund_requests[0].id}/complete`);
		expect(done.status).toBe(200);
		expect(done.body).toMatchObject({ status: 'captured', amount_refunded: 500, refunds: [{ amount: 500, description: 'Out of stock' }] });
		expect(done.body.refund_requests[0].status).toBe('completed');
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured', 'payment.refund.created']);
	});

	it('without bank_code and branch_name, shows them as null; the whole rest, completed, refunds the payment', async () => {
		const id = await paidSlip(payEasy());
		const res = await ask(id, request({ amount: 1100, bank_code: undefined, branch_name: undefined }));
		expect(res.body.refund_requests[0]).toMatchObject({ bank_code: null, branch_name: null });
		expect(res.body.refund_requests[0]).not.toHaveProperty('description');
		await get(id);
		expect(lastVerdict().answerViolations).toEqual([]);
		const done = sb.completeRefundRequest(res.body.refund_requests[0].id);
		expect(done).toMatchObject({ status: 'refunded', amount_refunded: 1100 });
		expect(eventTypes().slice(-2)).toEqual(['payment.refund.created', 'payment.refunded']);
		expect(() => sb.completeRefundRequest(res.body.refund_requests[0].id)).toThrow('its status is completed');
	});

	it('pending requests count against what is left; a rejected one frees its amount and refunds nothing', async () => {
		const id = await paidSlip(bankTransfer());
		const first = await ask(id, request({ amount: 600 }));
		expectError(await ask(id, request({ amount: 501 })), 422, 'invalid_parameter', 'amount');
		const firstId = first.body.refund_requests[0].id;
		const rejected = await control(sb, 'POST', `/__sandbox/refund_requests/${firstId}/reject`);
		expect(rejected.body).toMatchObject({ amount_refunded: 0, refunds: [] });
		expect(rejected.body.refund_requests[0].status).toBe('rejected');
		expect((await control(sb, 'POST', `/__sandbox/refund_requests/${firstId}/complete`)).status).toBe(422);
		expect((await control(sb, 'POST', '/__sandbox/refund_requests/nope/reject')).status).toBe(404);
		const again = await ask(id, request({ amount: 1100 }));
		expect(again.body.refund_requests.map((r: { status: string }) => r.status)).toEqual(['rejected', 'pending']);
		expect(eventTypes()).toEqual(['payment.authorized', 'payment.captured']);
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['a full-width katakana name', { customer_name: 'ヤマダ タロウ' }, 'invalid_parameter', 'customer_name'],
		['a latin name', { customer_name: 'yamada taro' }, 'invalid_parameter', 'customer_name'],
		['amount 0', { amount: 0 }, 'invalid_parameter', 'amount'],
		['more than the total, tax included', { amount: 1101 }, 'invalid_parameter', 'amount'],
		['a 3-digit bank code', { bank_code: '001' }, 'invalid_parameter', 'bank_code'],
		['a 2-digit branch number', { branch_number: '11' }, 'invalid_parameter', 'branch_number'],
		['an 8-digit account number', { account_number: 12345678 }, 'invalid_parameter', 'account_number'],
	])('refuses %s with 422', async (_label, extra, code, param) => {
		const id = await paidSlip();
		expectError(await ask(id, request(extra)), 422, code, param);
		expect(lastVerdict().requestViolations).toEqual([]);
		expect((await get(id)).refund_requests).toEqual([]);
	});

	it('refuses a payment refunded directly, an unpaid one and an unknown one', async () => {
		const byCard = await pay(card('4111111111111111'));
		const cardRes = await ask(byCard.body.id, request());
		expectError(cardRes, 422, 'unprocessable_entity');
		expect(cardRes.body.error.message).toContain('refunded directly');
		const unpaid = await created(konbini());
		expectError(await ask(unpaid.id, request()), 422, 'not_refundable');
		expectError(await ask('nope', request()), 404, 'not_found');
	});

	it.each<[string, Record<string, unknown>, string, string]>([
		['include_payment_method_fee missing', { include_payment_method_fee: undefined }, 'missing_parameter', 'include_payment_method_fee'],
		['an account number as a string', { account_number: 'abc' }, 'invalid_parameter', 'account_number'],
		['an unknown account type', { account_type: 'current' }, 'invalid_parameter', 'account_type'],
		['no customer name', { customer_name: undefined }, 'missing_parameter', 'customer_name'],
	])('refuses %s with its own 422 when the contract check only observes', async (_label, extra, code, param) => {
		const p = await pay(konbini(), {}, { target: probe });
		probe.payAtStore(p.body.id);
		const body = request(extra);
		for (const k of Object.keys(extra)) if (extra[k] === undefined) delete body[k];
		expectError(await ask(p.body.id, body, probe), 422, code, param);
	});
});

describe('GET /barcodes/{payment_id}', () => {
	const barcode = (id: string) => call(sb, 'GET', `/api/v1/barcodes/${id}`, { version: VERSION });

	it('answers a ready barcode (a 750×150 PNG) valid 10 minutes, the same until then, a new one after', async () => {
		const p = await created(konbini({ store: 'family-mart' }));
		const first = await barcode(p.id);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ status: 'ready', expires_at: JST(T0 + 10 * 60 * 1000), image: expect.any(String) });
		expect(lastVerdict()).toEqual({ operation: 'showBarcode', requestViolations: [], answerViolations: [] });
		const png = Buffer.from(first.body.image, 'base64');
		expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([750, 150]);
		sb.advanceClock(10 * 60 * 1000 - 1000);
		expect((await barcode(p.id)).body).toEqual(first.body);
		sb.advanceClock(1000);
		expect((await barcode(p.id)).body.expires_at).toBe(JST(T0 + 20 * 60 * 1000));
	});

	it('a barcode is valid at most until the payment deadline', async () => {
		const p = await created(konbini({ store: 'ministop', expiry_days: 1 }));
		sb.advanceClock(DAY - 5 * 60 * 1000);
		expect((await barcode(p.id)).body.expires_at).toBe(p.payment_deadline);
	});

	it('404 without a barcode (another store, another method, unknown); 422 once paid', async () => {
		expectError(await barcode((await created(konbini({ store: 'seven-eleven' }))).id), 404, 'not_found');
		expectError(await barcode((await created(bankTransfer())).id), 404, 'not_found');
		expectError(await barcode('nope'), 404, 'not_found');
		const id = await paidSlip();
		expectError(await barcode(id), 422, 'unprocessable_entity');
	});

	it('a status fault gives the pending answer KOMOJU sends while a barcode is made', async () => {
		const p = await created(konbini());
		sb.injectFault({ method: 'GET', path: `/api/v1/barcodes/${p.id}`, action: { status: 200, body: { status: 'pending', retry_after: 2 } } });
		expect((await barcode(p.id)).body).toEqual({ status: 'pending', retry_after: 2 });
		expect((await barcode(p.id)).body.status).toBe('ready');
	});
});

describe('GET /payment_methods', () => {
	it('lists every method for JPY with its names, and the konbini stores and carriers as subtypes', async () => {
		const res = await call(sb, 'GET', '/api/v1/payment_methods', { version: VERSION });
		expect(lastVerdict().answerViolations).toEqual([]);
		const jpy = res.body.filter((m: { currency: string }) => m.currency === 'JPY');
		expect(jpy).toHaveLength(21);
		for (const m of jpy) {
			for (const key of ['name_en', 'name_ja', 'name_ko']) expect(m[key]).toMatch(/\S/);
		}
		expect(jpy.find((m: { type_slug: string }) => m.type_slug === 'japan_mobile')).toEqual({
			type_slug: 'japan_mobile', currency: 'JPY', name_en: 'Carrier Billing', name_ja: 'キャリア決済', name_ko: '통신사 결제', subtypes: ['au', 'docomo', 'softbank'],
		});
		expect(jpy.find((m: { type_slug: string }) => m.type_slug === 'paypay')).toEqual({ type_slug: 'paypay', currency: 'JPY', name_en: 'PayPay', name_ja: 'PayPay', name_ko: 'PayPay' });
	});
});

describe('the sandbox’s method table against the contract', () => {
	const contract = JSON.parse(readFileSync(path.join(__dirname, '../../sandbox/contract/contract.json'), 'utf8'));
	const branches: Array<{ if: { properties: { type: { const: string } } }; then: { $ref: string } }> = contract.schemas.PaymentDetailsAll.allOf;

	it.each(Object.keys(METHODS))('%s takes exactly the fields of its PaymentDetails* schema and requires the same', (type) => {
		const branch = branches.find((b) => b.if.properties.type.const === type);
		expect(branch).toBeDefined();
		const schema = contract.schemas[branch!.then.$ref.split('/').pop()!];
		const fields: Record<string, { required?: boolean; values?: readonly string[] }> = METHODS[type].fields;
		expect(['type', ...Object.keys(fields)].sort()).toEqual(Object.keys(schema.properties).sort());
		expect(['type', ...Object.keys(fields).filter((k) => fields[k].required)].sort()).toEqual([...schema.required].sort());
		for (const [k, f] of Object.entries(fields)) if (schema.properties[k].enum) expect(f.values).toEqual(schema.properties[k].enum);
	});
});

describe('idempotency', () => {
	it.each<[string, Details, Record<string, unknown>, string[]]>([
		['konbini', konbini(), {}, ['payment.authorized']],
		['paypay', { type: 'paypay' }, { return_url: RETURN_URL }, []],
		['web_money', { type: 'web_money', prepaid_number: GOOD_PREPAID }, {}, ['payment.captured']],
	])('a %s POST replayed with the same key answers the same payment, creating one', async (_type, details, extra, events) => {
		const first = await pay(details, extra, { idempotencyKey: 'methods-1' });
		const second = await pay(details, extra, { idempotencyKey: 'methods-1' });
		expect(first.status).toBe(200);
		expect(second.text).toBe(first.text);
		expect(sb.requests[sb.requests.length - 1].idempotency).toBe('replayed');
		expect(sb.payments()).toHaveLength(1);
		expect(eventTypes()).toEqual(events);
	});

	it('a refund request replayed with the same key is recorded once', async () => {
		const id = await paidSlip();
		const body = { amount: 100, customer_name: 'ﾔﾏﾀﾞ ﾀﾛｳ', bank_name: 'Bank', branch_number: '001', account_type: 'savings', account_number: 7654321, include_payment_method_fee: true };
		const opts = { version: VERSION, json: body, idempotencyKey: 'rr-1' };
		const first = await call(sb, 'POST', `/api/v1/payments/${id}/refund_request`, opts);
		const second = await call(sb, 'POST', `/api/v1/payments/${id}/refund_request`, opts);
		expect(second.text).toBe(first.text);
		expect((await get(id)).refund_requests).toHaveLength(1);
	});
});
