// @ts-check
'use strict';

/**
 * Payments (docs §10.1) as a state machine: create (card object, token or secure-token
 * id, a stored customer, or another payment method's `payment_details`), get, list, update,
 * capture, refund and cancel; and `GET /payment_methods`.
 *
 *   card ───┬─ capture: true ──────────────→ captured ──refund (all)──→ refunded
 *           └─ capture: false → authorized ─┬─ capture ──→ captured
 *                                           └─ cancel ───→ cancelled
 *   slip ─────→ authorized ─┬─ the customer pays ──→ captured ──refund request (completed)──→ refunded
 *                           ├─ payment_deadline ───→ expired
 *                           └─ cancel ─────────────→ cancelled
 *   redirect ─→ pending ────┬─ approved ──→ captured (authorized with capture: false)
 *                           ├─ declined ──→ failed
 *                           └─ cancelled ─→ cancelled
 *   prepaid ──→ captured
 *
 * The methods and their `payment_details` are in payment-methods.js, the customer's pages in
 * offsite.js, paying a slip and its deadline in slips.js, refund requests in refund-requests.js.
 */

const { ApiError, invalid, missing } = require('./errors');
const { parseCard, paymentDetails, cardView } = require('./cards');
const {
	CURRENCIES, LOCALES, isBlank, isPlainObject, rejectUnknown, requireAmount, requireCurrency, nonNegativeInteger,
	optionalString, optionalEnum, optionalBoolean, optionalHttpUrl, metadata, sourceChoice,
} = require('./validate');
const { newId, iso, nextSeq } = require('./state');
const { recordEvent } = require('./events');
const { chargeableCustomer } = require('./customers');
const { findOwned, parseListQuery, listBody, noQuery } = require('./lists');
const { TOKEN_LIFETIME_MS, usableToken, invalidToken } = require('./tokens');
const methods = require('./payment-methods');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').State} State
 * @typedef {import('./state').Payment} Payment
 * @typedef {import('./state').ApiKey} ApiKey
 * @typedef {import('./state').PaymentStatus} PaymentStatus
 * @typedef {import('./state').RefundRequest} RefundRequest
 * @typedef {import('./cards').Card} Card
 */

const CREATE_FIELDS = new Set([
	'amount', 'currency', 'payment_details', 'customer', 'capture', 'description', 'tax', 'external_order_num',
	'return_url', 'cancel_url', 'locale', 'metadata', 'fraud_details',
]);
/** `FraudDetails` (contract): `customer_ip` and `customer_email` are required once the object is sent. */
const FRAUD_FIELDS = new Set([
	'customer_ip', 'customer_email', 'customer_id', 'browser_language', 'browser_user_agent', 'browser_session_id', 'phone',
]);
const FRAUD_REQUIRED = ['customer_ip', 'customer_email'];

/** The sandbox charges no payment method fee, so `total = amount + tax`. */
const PAYMENT_METHOD_FEE = 0;
const STATUSES = new Set(['pending', 'authorized', 'captured', 'cancelled', 'expired', 'refunded', 'failed']);

/**
 * The consumption tax KOMOJU adds when `tax` is omitted or "auto" (contract
 * `CreatePaymentRequestWithPaymentDetailsTax`: "Japan's highest consumption tax rate"; docs
 * sample: amount 300, tax 30): 10 % of `amount`, rounded down to the currency's smallest unit
 * (KOMOJU does not say how it rounds; rounding down is the common practice of Japanese
 * merchants). Applied to every currency, as KOMOJU names no exception. Integer arithmetic, so
 * exact for every safe integer.
 * @param {number} amount
 */
function consumptionTax(amount) {
	return (amount - (amount % 10)) / 10;
}

/**
 * `tax` as the contract types it: an integer >= 0 or the string "auto". `undefined` (omitted)
 * answers `undefined`; "auto" answers `'auto'`. Digit strings such as "0" are refused, and so are
 * `null` and "" (unlike other optional fields): silently adding 10 % for a client that meant
 * "no tax" would hide the bug.
 * @param {unknown} v @param {string} param
 * @returns {number | 'auto' | undefined}
 */
function parseTax(v, param) {
	if (v === undefined) return undefined;
	if (v === 'auto') return 'auto';
	if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
	throw invalid(param, 'must be an integer greater than or equal to 0, or "auto"');
}

/**
 * @typedef {{ card: Card, customerId: string | null, source: string, consume: (paymentId: string) => void }} Source
 */

/** @param {Env & { scenario: string | null }} env @returns {Result} */
function createPayment(env) {
	const { state, auth, body } = env;
	rejectUnknown(body, CREATE_FIELDS, '');
	const amount = requireAmount(body.amount, 'amount');
	const currency = requireCurrency(body.currency, 'currency');
	const capture = optionalBoolean(body.capture, 'capture', true);
	const description = optionalString(body.description, 'description') || null;
	const taxIn = parseTax(body.tax, 'tax');
	const taxAuto = typeof taxIn !== 'number';
	const tax = typeof taxIn === 'number' ? taxIn : consumptionTax(amount);
	const externalOrderNum = optionalString(body.external_order_num, 'external_order_num') || null;
	if (externalOrderNum !== null && orderNumberUsed(state, auth.merchant, externalOrderNum)) {
		throw invalid('external_order_num', 'this merchant already has a payment with this external_order_num');
	}
	const returnUrl = optionalHttpUrl(body.return_url, 'return_url');
	const cancelUrl = optionalHttpUrl(body.cancel_url, 'cancel_url');
	const locale = optionalEnum(body.locale, 'locale', LOCALES) || null;
	const meta = metadata(body.metadata, 'metadata');
	const fraudDetails = parseFraudDetails(body.fraud_details);

	const common = {
		merchant: auth.merchant, amount, tax, taxAuto, currency, description, externalOrderNum, metadata: meta, locale,
		sessionId: null, capture, fraudDetails, returnUrl, cancelUrl,
	};
	const details = body.payment_details;
	const choice = sourceChoice(body);
	if (choice === 'payment_details' && isPlainObject(details) && typeof details.type === 'string' && details.type !== 'credit_card') {
		const id = newId();
		const parsed = methods.parseMethod(details, { id, currency, total: amount + tax, capture, returnUrl, now: state.clock(), baseUrl: state.baseUrl });
		refuseScenario(env.scenario, `The ${methods.displayName(parsed.method.type)} account has insufficient funds.`);
		const payment = storePayment(state, { ...common, ...parsed, id, customerId: null, card: null, source: parsed.method.type });
		return { status: 200, body: present(payment) };
	}

	/** @type {Source} */
	let source;
	if (choice === 'customer') {
		const customer = chargeableCustomer(state, auth, body.customer);
		source = { card: customer.card, customerId: customer.id, source: 'customer', consume: () => {} };
	} else if (typeof details === 'string') {
		source = tokenSource(state, auth, details, amount, currency);
	} else {
		const card = parseCard(details, state.clock());
		refuseThreeDs(card);
		source = { card, customerId: null, source: 'card', consume: () => {} };
	}
	refuseScenario(env.scenario, 'The card has insufficient funds.');

	const payment = storePayment(state, { ...common, customerId: source.customerId, card: source.card, source: source.source });
	source.consume(payment.id);
	return { status: 200, body: present(payment) };
}

/** `Komoju-Scenario: insufficient_funds` fails the payment after every other check (docs §7.3). @param {string | null} scenario @param {string} message */
function refuseScenario(scenario, message) {
	if (scenario === 'insufficient_funds') throw new ApiError(402, 'insufficient_funds', message, null);
}

/**
 * Creates the payment and records its event: a card payment is captured, or authorized with
 * `capture: false`; another method's gives its own status (`pending` records no event: KOMOJU has none for it).
 * @param {State} state
 * @param {{ merchant: string, amount: number, tax: number, taxAuto: boolean, currency: string, customerId: string | null, card: Card | null,
 *   description: string | null, externalOrderNum: string | null, metadata: Record<string, string>, locale: string | null,
 *   sessionId: string | null, capture: boolean, source: string, fraudDetails: Record<string, string> | null,
 *   returnUrl: string | null, cancelUrl: string | null, id?: string, method?: import('./state').MethodPayment,
 *   status?: PaymentStatus, paymentDeadline?: number | null, customerFamilyName?: string | null, customerGivenName?: string | null }} input
 */
function storePayment(state, input) {
	const now = state.clock();
	const status = input.status || (input.capture ? 'captured' : 'authorized');
	/** @type {Payment} */
	const payment = {
		id: input.id || newId(),
		merchant: input.merchant,
		seq: nextSeq(state),
		status,
		amount: input.amount,
		tax: input.tax,
		currency: input.currency,
		customerId: input.customerId,
		card: input.card,
		method: input.method || null,
		description: input.description,
		paymentDeadline: input.paymentDeadline ?? null,
		capturedAt: status === 'captured' ? now : null,
		externalOrderNum: input.externalOrderNum,
		metadata: input.metadata,
		createdAt: now,
		amountRefunded: 0,
		locale: input.locale,
		sessionId: input.sessionId,
		customerFamilyName: input.customerFamilyName ?? null,
		customerGivenName: input.customerGivenName ?? null,
		refunds: [],
		refundRequests: [],
		source: input.source,
		fraudDetails: input.fraudDetails,
		returnUrl: input.returnUrl,
		cancelUrl: input.cancelUrl,
		taxAuto: input.taxAuto,
	};
	state.payments.set(payment.id, payment);
	if (status !== 'pending') recordEvent(state, payment.merchant, `payment.${status}`, present(payment));
	return payment;
}

/**
 * Does this merchant already have a payment with this `external_order_num`? Refused payments
 * are never stored, so a declined attempt does not use the number up.
 * @param {State} state @param {string} merchant @param {string} orderNum
 */
function orderNumberUsed(state, merchant, orderNum) {
	for (const p of state.payments.values()) if (p.merchant === merchant && p.externalOrderNum === orderNum) return true;
	return false;
}

/** @param {unknown} v @returns {Record<string, string> | null} */
function parseFraudDetails(v) {
	if (isBlank(v)) return null;
	if (!isPlainObject(v)) throw invalid('fraud_details', 'must be an object');
	rejectUnknown(v, FRAUD_FIELDS, 'fraud_details.');
	for (const key of FRAUD_REQUIRED) if (isBlank(v[key])) throw missing(`fraud_details.${key}`);
	/** @type {Record<string, string>} */
	const out = {};
	for (const [k, val] of Object.entries(v)) {
		const s = optionalString(val, `fraud_details.${k}`, 1000);
		if (s !== undefined) out[k] = s;
	}
	return out;
}

/** 3DS test cards cannot be charged directly: they need a secure token or a session. @param {Card} card */
function refuseThreeDs(card) {
	if (card.behaviour.kind === '3ds') {
		throw new ApiError(
			422,
			'unprocessable_entity',
			'This card requires 3D Secure authentication. Create a secure token (POST /secure_tokens) or a session and pay with it.',
			'payment_details',
		);
	}
}

/**
 * `payment_details` as a string: a secure token id or a token id.
 * @param {State} state @param {ApiKey} auth @param {string} id @param {number} amount @param {string} currency
 * @returns {Source}
 */
function tokenSource(state, auth, id, amount, currency) {
	const p = 'payment_details';
	const now = state.clock();
	/** @param {string} why */
	const unusable = (why) => invalidToken(why);
	const secure = state.secureTokens.get(id);
	// a secure token made by a session's hosted page belongs to that session and cannot pay here
	if (secure && secure.merchant === auth.merchant && secure.sessionId === null) {
		if (secure.paymentId !== null) throw unusable('the secure token has already been used for a payment');
		if (now >= secure.createdAt + TOKEN_LIFETIME_MS) throw unusable('the secure token has expired (24 hours after creation)');
		if (secure.status === 'NEEDS_VERIFY') throw unusable('the secure token is not verified yet (verification_status NEEDS_VERIFY); send the customer to its authentication_url first');
		if (secure.status === 'ERRORED') throw invalidToken('the secure token failed 3D Secure authentication (verification_status ERRORED); it cannot pay', 402);
		if (amount !== secure.amount) throw invalid('amount', 'must equal the amount of the secure token');
		if (currency !== secure.currency) throw invalid('currency', 'must equal the currency of the secure token');
		return {
			card: secure.card,
			customerId: secure.customerId,
			source: 'secure_token',
			consume: (paymentId) => {
				secure.paymentId = paymentId;
			},
		};
	}
	const token = usableToken(state, auth, id);
	if (token) {
		if (token.currency !== null && token.currency !== currency) throw invalid('currency', 'must equal the currency the token was created with');
		refuseThreeDs(token.card);
		return {
			card: token.card,
			customerId: null,
			source: 'token',
			consume: (paymentId) => {
				token.usedAt = now;
				token.paymentId = paymentId;
			},
		};
	}
	throw new ApiError(404, 'not_found', 'No token or secure token with this id could be found.', p);
}

/** @param {Env} env */
function find(env) {
	return findOwned(env.state.payments, env, 'payment');
}

/** @param {Env} env @returns {Result} */
function getPayment(env) {
	noQuery(env.query);
	return { status: 200, body: present(find(env)) };
}

/** @param {Env} env @returns {Result} */
function listPayments(env) {
	const q = parseListQuery(env.query, ['currency', 'external_order_num', 'status', 'merchant_id']);
	const { currency: cur, status, external_order_num: orderNum } = q.params;
	if (cur !== undefined && !CURRENCIES.has(cur)) throw invalid('currency', 'must be one of the supported ISO 4217 codes, upper case');
	const statuses = status === undefined ? null : status.split(',');
	if (statuses && !statuses.every((s) => STATUSES.has(s))) throw invalid('status', 'unknown payment status');
	const mine = [...env.state.payments.values()].filter(
		(p) =>
			p.merchant === env.auth.merchant &&
			(cur === undefined || p.currency === cur) &&
			(statuses === null || statuses.includes(p.status)) &&
			(orderNum === undefined || p.externalOrderNum === orderNum),
	);
	return { status: 200, body: listBody(mine, q, present, 'payment_list', env.state.clock()) };
}

/** PATCH: only `description` and `metadata`; `metadata` replaces the whole map. @param {Env} env @returns {Result} */
function updatePayment(env) {
	const payment = find(env);
	const body = env.body;
	rejectUnknown(body, new Set(['description', 'metadata']), '');
	if (Object.keys(body).length === 0) throw missing('description');
	const description = 'description' in body ? optionalString(body.description, 'description') || null : payment.description;
	const meta = 'metadata' in body ? metadata(body.metadata, 'metadata') : payment.metadata;
	payment.description = description;
	payment.metadata = meta;
	return changed(env.state, payment, ['payment.updated']);
}

/**
 * A transition the payment's status refuses: 422 with the code KOMOJU's own plugins handle
 * (`not_capturable`, `not_refundable`, `not_cancellable`), param null.
 * @param {Payment} payment @param {string} code @param {string} verb e.g. "captured" @param {string} allowed e.g. "authorized"
 */
function wrongStatus(payment, code, verb, allowed) {
	return new ApiError(
		422,
		code,
		`The payment cannot be ${verb}: its status is ${payment.status}. Only ${allowed} payments can be ${verb}.`,
		null,
	);
}

/** What the payment charges: `amount + tax + payment_method_fee` (contract `Payment.total`). @param {Payment} p */
function totalOf(p) {
	return p.amount + p.tax + PAYMENT_METHOD_FEE;
}

/** @param {unknown} v @param {string} param */
function positiveAmount(v, param) {
	const n = nonNegativeInteger(v, param);
	if (n === 0) throw invalid(param, 'must be greater than 0');
	return n;
}

/**
 * POST /payments/{id}/capture: optional `amount` (before tax, 1..authorized; omitted = the whole
 * authorized amount) and `tax` (integer or "auto" = 10 % of the captured amount; omitted = the
 * payment's own rule: recomputed at 10 % when it was added automatically, else kept). The
 * captured `amount + tax` may not exceed what was authorized.
 * @param {Env} env @returns {Result}
 */
function capturePayment(env) {
	const payment = find(env);
	const body = env.body;
	rejectUnknown(body, new Set(['amount', 'tax']), '');
	const amount = isBlank(body.amount) ? payment.amount : positiveAmount(body.amount, 'amount');
	const taxIn = parseTax(body.tax, 'tax');
	if (payment.status !== 'authorized') throw wrongStatus(payment, 'not_capturable', 'captured', 'authorized');
	if (payment.method && payment.method.flow === 'slip') {
		const name = methods.displayName(payment.method.type);
		throw new ApiError(422, 'not_capturable', `A ${name} payment is captured when the customer pays; it cannot be captured through the API.`, null);
	}
	if (amount > payment.amount) throw invalid('amount', `must not exceed the authorized amount before tax (${payment.amount} ${payment.currency})`);
	const taxAuto = taxIn === 'auto' || (taxIn === undefined && payment.taxAuto);
	const tax = typeof taxIn === 'number' ? taxIn : taxAuto ? consumptionTax(amount) : payment.tax;
	const authorizedTotal = payment.amount + payment.tax;
	if (amount + tax > authorizedTotal) {
		throw invalid('tax', `amount + tax must not exceed the authorized amount with tax (${authorizedTotal} ${payment.currency})`);
	}
	payment.amount = amount;
	payment.tax = tax;
	payment.taxAuto = taxAuto;
	payment.status = 'captured';
	payment.capturedAt = env.state.clock();
	return changed(env.state, payment, ['payment.captured']);
}

/**
 * POST /payments/{id}/refund: optional `amount` and `description`. Refunds include tax
 * (contract `Refund.amount`): the default refunds `total - amount_refunded`, and a partial
 * `amount` may go up to that.
 * @param {Env} env @returns {Result}
 */
function refundPayment(env) {
	const { state, body } = env;
	const payment = find(env);
	rejectUnknown(body, new Set(['amount', 'description']), '');
	const requested = isBlank(body.amount) ? null : nonNegativeInteger(body.amount, 'amount');
	const description = optionalString(body.description, 'description') || null;
	if (payment.status !== 'captured') throw wrongStatus(payment, 'not_refundable', 'refunded', 'captured');
	if (payment.method && methods.needsRefundRequest(payment.method.type)) {
		throw new ApiError(
			422,
			'not_refundable',
			`${methods.displayName(payment.method.type)} payments cannot be refunded directly: create a refund request ` +
				`(POST /payments/${payment.id}/refund_request) with the customer's bank account instead.`,
			null,
		);
	}
	const total = totalOf(payment);
	const remaining = total - payment.amountRefunded;
	const amount = requested === null ? remaining : requested;
	if (amount === 0) throw invalid('amount', requested === null ? 'nothing is left to refund' : 'must be greater than 0');
	if (amount > remaining) throw invalid('amount', `must not exceed the amount not yet refunded, tax included (${remaining} ${payment.currency})`);
	payment.refunds.push({ id: newId(), amount, currency: payment.currency, description, createdAt: state.clock() });
	payment.amountRefunded += amount;
	const types = ['payment.refund.created'];
	if (payment.amountRefunded === total) {
		payment.status = 'refunded';
		types.push('payment.refunded');
	}
	return changed(state, payment, types);
}

/** POST /payments/{id}/cancel: only pending or authorized payments. @param {Env} env @returns {Result} */
function cancelPayment(env) {
	const payment = find(env);
	rejectUnknown(env.body, new Set(), '');
	if (payment.status !== 'pending' && payment.status !== 'authorized') throw wrongStatus(payment, 'not_cancellable', 'cancelled', 'pending or authorized');
	payment.status = 'cancelled';
	return changed(env.state, payment, ['payment.cancelled']);
}

/** Records the events (each with the payment as returned now) and answers 200. @param {State} state @param {Payment} payment @param {string[]} types @returns {Result} */
function changed(state, payment, types) {
	const body = present(payment);
	for (const type of types) recordEvent(state, payment.merchant, type, body);
	return { status: 200, body };
}

/**
 * The payment as the API answers it (the contract's Payment: every required field present; `locale`
 * is `ja` when none was given; `session`, `statement_descriptor`, a card's `email` and a refund's
 * `description` are null when absent, a listed deviation).
 * @param {Payment} p
 */
function present(p) {
	return {
		id: p.id,
		resource: 'payment',
		status: p.status,
		amount: p.amount,
		tax: p.tax,
		total: totalOf(p),
		payment_method_fee: PAYMENT_METHOD_FEE,
		currency: p.currency,
		customer: p.customerId,
		payment_deadline: p.paymentDeadline === null ? null : iso(p.paymentDeadline),
		payment_details: p.method ? JSON.parse(JSON.stringify(p.method.details)) : paymentDetails(/** @type {Card} */ (p.card)),
		description: p.description,
		captured_at: p.capturedAt === null ? null : iso(p.capturedAt),
		external_order_num: p.externalOrderNum,
		metadata: { ...p.metadata },
		created_at: iso(p.createdAt),
		amount_refunded: p.amountRefunded,
		locale: p.locale || 'ja',
		session: p.sessionId,
		customer_family_name: p.customerFamilyName,
		customer_given_name: p.customerGivenName,
		mcc: null,
		statement_descriptor: null,
		refunds: p.refunds.map((r) => ({
			id: r.id,
			resource: 'refund',
			amount: r.amount,
			currency: r.currency,
			payment: p.id,
			description: r.description,
			created_at: iso(r.createdAt),
			chargeback: false,
		})),
		refund_requests: p.refundRequests.map((r) => presentRefundRequest(p, r)),
	};
}

/**
 * A refund request as the contract's `RefundRequest` shows it (no amount or account type there;
 * the sandbox view has them). `bank_code` and `branch_name` are null when not given (a listed deviation).
 * @param {Payment} p @param {RefundRequest} r
 */
function presentRefundRequest(p, r) {
	return {
		id: r.id,
		payment: p.id,
		customer_name: r.customerName,
		bank_name: r.bankName,
		bank_code: r.bankCode,
		branch_name: r.branchName,
		branch_number: r.branchNumber,
		account_number: r.accountNumber,
		...(r.description === null ? {} : { description: r.description }),
		status: r.status,
		created_at: iso(r.createdAt),
	};
}

/**
 * Sandbox-only view: the API object plus the merchant, how it was paid (`paidWith`: card, token,
 * secure_token, customer, session, or the method's type), the test-card kind (`card`, null for
 * other methods), the method's flow and the refund requests with their amounts.
 * @param {Payment} p
 */
function view(p) {
	return {
		...present(p),
		merchant: p.merchant,
		paidWith: p.source,
		card: p.card ? cardView(p.card) : null,
		flow: p.method ? p.method.flow : 'card',
		refundRequests: p.refundRequests.map((r) => ({
			id: r.id,
			amount: r.amount,
			status: r.status,
			accountType: r.accountType,
			includePaymentMethodFee: r.includePaymentMethodFee,
		})),
	};
}

/**
 * GET /payment_methods: a bare JSON array of `AvailablePaymentMethod` (payment-methods.js; the
 * optional `secure_token_supported` is not modelled).
 * @param {Env} env @returns {Result}
 */
function listPaymentMethods(env) {
	noQuery(env.query);
	return { status: 200, body: methods.availableMethods() };
}

module.exports = {
	createPayment,
	storePayment,
	getPayment,
	listPayments,
	updatePayment,
	capturePayment,
	refundPayment,
	cancelPayment,
	listPaymentMethods,
	enabledTypes: methods.enabledTypes,
	orderNumberUsed,
	find,
	changed,
	wrongStatus,
	totalOf,
	present,
	view,
};
