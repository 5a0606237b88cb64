// @ts-check
'use strict';

/**
 * KOMOJU's payment methods for JPY besides cards, and the `payment_details` of each as the
 * contract's `PaymentDetails*` (request) and `ResponsePaymentDetails*` (answer) schemas have
 * them. Each method completes in one of three ways (sandbox/README.md, "Payment methods"):
 *
 * - `slip`: konbini, bank transfer, pay-easy. Created `authorized` ("awaiting the customer's cash
 *   or transfer") with a `payment_deadline`; captured when the customer pays (a sandbox control),
 *   expired once the deadline passes (sandbox/slips.js).
 * - `redirect`: the customer approves on the method's own page (`redirect_url`, served by
 *   sandbox/offsite.js); created `pending`.
 * - `prepaid`: a prepaid number or account is charged at once; created `captured` or refused.
 */

const crypto = require('node:crypto');
const { ApiError, invalid, missing } = require('./errors');
const { iso } = require('./state');
const { isBlank, rejectUnknown, optionalString, optionalEmail, optionalEnum, integerInRange } = require('./validate');

/**
 * @typedef {import('./state').MethodFlow} MethodFlow
 * @typedef {import('./state').MethodPayment} MethodPayment
 * @typedef {'string' | 'email' | 'phone' | 'katakana' | 'days' | 'number' | 'boolean' | 'secret'} FieldKind
 * @typedef {{ kind: FieldKind, required?: boolean, values?: readonly string[] }} FieldSpec
 * @typedef {{ type: string, flow: MethodFlow, names: { en: string, ja: string, ko: string },
 *   fields: Record<string, FieldSpec>, refundRequest?: boolean }} MethodSpec
 */

const STORES = ['seven-eleven', 'lawson', 'family-mart', 'ministop', 'daily-yamazaki', 'seicomart'];
/** Stores whose konbini payments get a barcode (`barcode_url`, GET /barcodes/{id}): a sandbox choice, KOMOJU names none. */
const BARCODE_STORES = new Set(['lawson', 'family-mart', 'ministop']);
const CARRIERS = ['au', 'docomo', 'softbank'];

/** Days a slip payment may wait for the customer when `expiry_days` is not given (KOMOJU's default is a dashboard setting). */
const DEFAULT_EXPIRY_DAYS = 3;
const MAX_EXPIRY_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** The shipping and billing address fields every method takes (and shows back). */
const ADDRESS_FIELDS = ['shipping', 'billing'].flatMap((p) =>
	['name', 'line1', 'line2', 'city', 'state', 'zip', 'country'].map((s) => `${p}_address_${s}`),
);
/** @type {Record<string, FieldSpec>} */
const ADDRESS = Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, { kind: 'string' }]));

/** @param {MethodFlow} flow @param {[string, string, string]} names @param {Record<string, FieldSpec>} fields */
function spec(flow, [en, ja, ko], fields) {
	return { flow, names: { en, ja, ko }, fields: { ...fields, ...ADDRESS } };
}

/**
 * The JPY methods, in the order GET /payment_methods lists them (after credit_card). Fields and
 * `required` as the contract's `PaymentDetails*` schema of each type has them.
 * @type {Record<string, Omit<MethodSpec, 'type'>>}
 */
const METHODS = {
	konbini: {
		...spec('slip', ['Konbini', 'コンビニ', '편의점'], {
			store: { kind: 'string', required: true, values: STORES },
			email: { kind: 'email', required: true },
			phone: { kind: 'phone' },
			family_name: { kind: 'string' },
			given_name: { kind: 'string' },
			expiry_days: { kind: 'days' },
		}),
		refundRequest: true,
	},
	bank_transfer: {
		...spec('slip', ['Bank Transfer', '銀行振込', '은행 송금'], {
			phone: { kind: 'phone', required: true },
			email: { kind: 'email', required: true },
			name: { kind: 'string' },
			given_name: { kind: 'string' },
			family_name: { kind: 'string' },
			given_name_kana: { kind: 'katakana', required: true },
			family_name_kana: { kind: 'katakana', required: true },
			expiry_days: { kind: 'days' },
		}),
		refundRequest: true,
	},
	pay_easy: {
		...spec('slip', ['Pay-easy', 'ペイジー', '페이지'], {
			email: { kind: 'email', required: true },
			given_name: { kind: 'string', required: true },
			family_name: { kind: 'string', required: true },
			given_name_kana: { kind: 'katakana', required: true },
			family_name_kana: { kind: 'katakana', required: true },
			phone: { kind: 'phone', required: true },
			expiry_days: { kind: 'days' },
		}),
		refundRequest: true,
	},
	paypay: spec('redirect', ['PayPay', 'PayPay', 'PayPay'], { user_authorization_id: { kind: 'string' }, scanned_code: { kind: 'string' } }),
	rakutenpay: spec('redirect', ['Rakuten Pay', '楽天ペイ', '라쿠텐 페이'], {}),
	merpay: spec('redirect', ['Merpay', 'メルペイ', '메르페이'], {}),
	aupay: spec('redirect', ['au PAY', 'au PAY', 'au PAY'], { scanned_code: { kind: 'string' } }),
	paidy: spec('redirect', ['Paidy', 'ペイディ', '페이디'], {
		customer_age: { kind: 'number' },
		customer_last_order_amount: { kind: 'number' },
		customer_last_order_at: { kind: 'number' },
		customer_lifetime_value: { kind: 'number' },
		customer_name: { kind: 'string', required: true },
		customer_order_count: { kind: 'number' },
		email: { kind: 'email' },
		phone: { kind: 'phone' },
		external_customer_id: { kind: 'string' },
		item_title: { kind: 'string' },
		customer_name_kana: { kind: 'katakana' },
		capture: { kind: 'boolean' },
	}),
	docomo: spec('redirect', ['d Payment', 'd払い', 'd 결제'], {}),
	softbank: spec('redirect', ['SoftBank Carrier Billing', 'ソフトバンクまとめて支払い', '소프트뱅크 통합 결제'], {}),
	au: spec('redirect', ['au Easy Payment', 'auかんたん決済', 'au 간편결제'], {}),
	japan_mobile: spec('redirect', ['Carrier Billing', 'キャリア決済', '통신사 결제'], { brand: { kind: 'string', required: true, values: CARRIERS } }),
	epospay: spec('redirect', ['EPOS Pay', 'エポスPay', '에포스 페이'], {}),
	alipay: spec('redirect', ['Alipay', 'アリペイ', '알리페이'], {}),
	wechatpay: spec('redirect', ['WeChat Pay', 'WeChat Pay', '위챗페이'], {}),
	unionpay: spec('redirect', ['UnionPay', '銀聯', '유니온페이'], {}),
	bit_cash: spec('prepaid', ['BitCash', 'ビットキャッシュ', '비트캐시'], { email: { kind: 'email' }, prepaid_number: { kind: 'secret', required: true } }),
	net_cash: spec('prepaid', ['NET CASH', 'NET CASH', 'NET CASH'], { email: { kind: 'email' }, prepaid_number: { kind: 'secret', required: true } }),
	web_money: spec('prepaid', ['WebMoney', 'ウェブマネー', '웹머니'], { email: { kind: 'email' }, prepaid_number: { kind: 'secret', required: true } }),
	dospara: spec('prepaid', ['Dospara', 'ドスパラ', '도스파라'], { user_no: { kind: 'string', required: true }, user_password: { kind: 'secret', required: true } }),
};

const CARD_NAMES = { en: 'Credit Card', ja: 'クレジットカード', ko: '신용카드' };

/** Methods enabled for the sandbox merchant, per currency. */
const ENABLED = /** @type {Record<string, string[]>} */ ({
	JPY: ['credit_card', ...Object.keys(METHODS)],
	USD: ['credit_card'],
});

/**
 * Prepaid test inputs: KOMOJU documents these for WebMoney; the sandbox uses them for BitCash and
 * NET CASH too. The good card holds 2000 JPY for every payment.
 * @type {Record<string, { code: string, message: string } | { balance: number }>}
 */
const PREPAID_NUMBERS = {
	'1111111111111111': { balance: 2000 },
	e111111111111113: { code: 'request_failed', message: 'The prepaid card has already been used.' },
	e111111111111114: { code: 'request_failed', message: 'The prepaid card was declined (unknown error).' },
};
const DOSPARA_USER = { user_no: '1111111111', user_password: 'sandbox' };

/** The sandbox's own bank account and pay-easy collector, shown to customers who pay by transfer. */
const BANK_ACCOUNT = { bank_name: 'サンドボックス銀行', account_branch_name: 'コモジュ支店', account_type: '普通', account_name: 'カ）コモジュサンドボックス' };
const PAY_EASY_BANK_ID = '58091';

/** Full-width katakana, the long-vowel mark, the middle dot and spaces (contract: "katakana"). */
const KATAKANA = /^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]+$/;
const HAS_KATAKANA = /[\u30A1-\u30FA]/;

/** @param {string} currency */
function enabledTypes(currency) {
	return ENABLED[currency] || [];
}

/** @param {string} type @returns {MethodSpec | null} */
function methodSpec(type) {
	return Object.prototype.hasOwnProperty.call(METHODS, type) ? { type, ...METHODS[type] } : null;
}

/** Does KOMOJU refund this type only through a refund request (a transfer to the customer's bank)? @param {string} type */
function needsRefundRequest(type) {
	const m = methodSpec(type);
	return m !== null && m.refundRequest === true;
}

/** @param {string} type */
function displayName(type) {
	const m = methodSpec(type);
	return m ? m.names.en : CARD_NAMES.en;
}

/** `n` random decimal digits (receipt numbers: at most 11, so that no card-number masking touches them). @param {number} n */
function digits(n) {
	let out = '';
	for (let i = 0; i < n; i++) out += String(crypto.randomInt(10));
	return out;
}

/**
 * One `payment_details` field, by its kind; the value as kept.
 * @param {unknown} v @param {string} param @param {FieldSpec} f
 */
function parseField(v, param, f) {
	if (f.values) return optionalEnum(v, param, f.values);
	switch (f.kind) {
		case 'email':
			return optionalEmail(v, param);
		case 'phone': {
			const s = optionalString(v, param);
			if (s !== undefined && !/^\d{10,11}$/.test(s)) throw invalid(param, 'must be a phone number of 10 or 11 digits, without hyphens');
			return s;
		}
		case 'katakana': {
			const s = optionalString(v, param);
			if (s !== undefined && !(KATAKANA.test(s) && HAS_KATAKANA.test(s))) throw invalid(param, 'must be written in full-width katakana');
			return s;
		}
		case 'days':
			return integerInRange(v, param, 1, MAX_EXPIRY_DAYS);
		case 'number':
			if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(param, 'must be a number greater than or equal to 0');
			return v;
		case 'boolean':
			if (typeof v !== 'boolean') throw invalid(param, 'must be true or false');
			return v;
		default:
			return optionalString(v, param);
	}
}

/**
 * @typedef {{ method: MethodPayment, status: 'pending' | 'authorized' | 'captured', paymentDeadline: number | null,
 *   customerFamilyName: string | null, customerGivenName: string | null }} ParsedMethod
 */

/**
 * Validates a non-card `payment_details` for POST /payments and builds what the payment shows.
 * Checked in order: `type` (known and enabled for the currency), unknown fields, each field
 * (required, then its format), then the method's own rules: `capture: false` only where the
 * customer approves (redirect methods), `return_url` required for a redirect, the prepaid number
 * or account.
 * @param {Record<string, unknown>} details
 * @param {{ id: string, currency: string, total: number, capture: boolean, returnUrl: string | null, now: number, baseUrl: string }} ctx
 * @returns {ParsedMethod}
 */
function parseMethod(details, ctx) {
	const type = String(details.type);
	const m = methodSpec(type);
	if (!m) throw invalid('payment_details.type', 'unknown payment method type');
	if (!enabledTypes(ctx.currency).includes(type)) throw invalid('payment_details.type', `${type} is not enabled for ${ctx.currency} (see GET /payment_methods)`);
	rejectUnknown(details, new Set(['type', ...Object.keys(m.fields)]), 'payment_details.');
	/** @type {Record<string, unknown>} */
	const input = {};
	for (const [key, f] of Object.entries(m.fields)) {
		const param = `payment_details.${key}`;
		if (isBlank(details[key])) {
			if (f.required) throw missing(param);
			continue;
		}
		input[key] = parseField(details[key], param, f);
	}
	if (!ctx.capture && m.flow !== 'redirect') {
		throw invalid('capture', `${m.names.en} payments cannot be authorized only: they are ${m.flow === 'slip' ? 'captured when the customer pays' : 'charged at once'}`);
	}
	/** @type {Record<string, unknown>} */
	const shown = { type, email: input.email === undefined ? null : input.email };
	for (const k of ADDRESS_FIELDS) if (input[k] !== undefined) shown[k] = input[k];
	const names = { customerFamilyName: /** @type {string | null} */ (input.family_name ?? null), customerGivenName: /** @type {string | null} */ (input.given_name ?? null) };
	/** @param {MethodPayment['details']} d @param {ParsedMethod['status']} status @param {number | null} [deadline] @returns {ParsedMethod} */
	const done = (d, status, deadline = null) => ({
		method: { type, flow: m.flow, details: d, captureOnApproval: ctx.capture, barcode: null },
		status,
		paymentDeadline: deadline,
		...names,
	});

	if (m.flow === 'slip') {
		const deadline = ctx.now + (/** @type {number | undefined} */ (input.expiry_days) ?? DEFAULT_EXPIRY_DAYS) * DAY_MS;
		return done({ ...shown, ...slipDetails(type, input, ctx, deadline) }, 'authorized', deadline);
	}
	if (m.flow === 'prepaid') return done({ ...shown, ...prepaidDetails(type, input, ctx.total) }, 'captured');
	// In a shop (a scanned code) or with a linked PayPay account the customer has approved already.
	if (input.scanned_code !== undefined || input.user_authorization_id !== undefined) return done(shown, ctx.capture ? 'captured' : 'authorized');
	if (ctx.returnUrl === null) throw missing('return_url');
	const page = `${ctx.baseUrl}/offsite/${ctx.id}`;
	if (type === 'epospay') return done({ ...shown, offsite_url: page }, 'pending');
	if (type === 'japan_mobile') return done({ ...shown, provider: input.brand, redirect_url: page }, 'pending');
	return done({ ...shown, redirect_url: page }, 'pending');
}

/**
 * What the customer needs to pay a slip payment (the contract's ResponsePaymentDetails* fields).
 * @param {string} type @param {Record<string, unknown>} input @param {{ id: string, baseUrl: string }} ctx @param {number} deadline
 * @returns {Record<string, unknown>}
 */
function slipDetails(type, input, ctx, deadline) {
	const instructions = `${ctx.baseUrl}/instructions/${ctx.id}`;
	if (type === 'konbini') {
		const store = /** @type {string} */ (input.store);
		return {
			store,
			receipt: digits(11),
			confirmation_code: store === 'seven-eleven' ? null : digits(4),
			instructions_url: instructions,
			...(BARCODE_STORES.has(store) ? { barcode_url: `${ctx.baseUrl}/api/v1/barcodes/${ctx.id}` } : {}),
		};
	}
	if (type === 'bank_transfer') {
		return {
			order_id: `SBX${digits(8)}`,
			...BANK_ACCOUNT,
			account_number: digits(7),
			instructions_url: instructions,
			payment_deadline: iso(deadline),
		};
	}
	return { bank_id: PAY_EASY_BANK_ID, customer_id: digits(11), confirmation_id: digits(6), instructions_url: instructions, payment_url: instructions, cvs_code: null };
}

/**
 * Charges the prepaid number (or the Dospara account) at once, or refuses: an unknown number is
 * 422 `invalid_number`; a used or failing test card, a total above the card's balance, or a wrong
 * Dospara password is 402.
 * @param {string} type @param {Record<string, unknown>} input @param {number} total
 * @returns {Record<string, unknown>}
 */
function prepaidDetails(type, input, total) {
	if (type === 'dospara') {
		if (input.user_no !== DOSPARA_USER.user_no) throw invalid('payment_details.user_no', 'no Dospara account with this user number');
		if (input.user_password !== DOSPARA_USER.user_password) {
			throw new ApiError(402, 'request_failed', 'The Dospara user number and password do not match.', 'payment_details.user_password');
		}
		return { user_no: input.user_no };
	}
	const param = 'payment_details.prepaid_number';
	const number = /** @type {string} */ (input.prepaid_number);
	const prepaid = Object.prototype.hasOwnProperty.call(PREPAID_NUMBERS, number) ? PREPAID_NUMBERS[number] : null;
	if (prepaid === null) throw new ApiError(422, 'invalid_number', 'The prepaid number is invalid.', param);
	if ('code' in prepaid) throw new ApiError(402, prepaid.code, prepaid.message, param);
	if (total > prepaid.balance) throw new ApiError(402, 'insufficient_funds', `The prepaid card's balance (${prepaid.balance} JPY) does not cover the total.`, param);
	// BitCash's answer has no card list (ResponsePaymentDetailsBitCash)
	if (type === 'bit_cash') return {};
	return { prepaid_cards: [{ last_four_digits: number.slice(-4), points: prepaid.balance - total }] };
}

/**
 * GET /payment_methods items: the contract's `AvailablePaymentMethod` (`type_slug`, `currency`,
 * `name_en`, `name_ja`, `name_ko`), with `subtypes` where the method has a choice of its own
 * (konbini stores, carriers): a sandbox reading of the optional field.
 */
function availableMethods() {
	return Object.entries(ENABLED).flatMap(([currency, types]) =>
		types.map((type) => {
			const m = methodSpec(type);
			const names = m ? m.names : CARD_NAMES;
			const choice = m && Object.values(m.fields).find((f) => f.values);
			return {
				type_slug: type,
				currency,
				name_en: names.en,
				name_ja: names.ja,
				name_ko: names.ko,
				...(choice && choice.values ? { subtypes: [...choice.values] } : {}),
			};
		}),
	);
}

module.exports = {
	METHODS,
	BARCODE_STORES,
	enabledTypes,
	needsRefundRequest,
	displayName,
	parseMethod,
	availableMethods,
};
