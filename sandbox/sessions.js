// @ts-check
'use strict';

/**
 * Sessions (docs §10.3): create, get and cancel under `/api/v1/sessions`, and the hosted
 * payment page at `/sessions/{id}` (no auth: the customer's browser). The page is a plain
 * HTML form (`number`, `month`, `year`, `verification_value`, `name`) POSTed to itself.
 * 3DS test cards go through the 3DS page of a secure token made for the session, which
 * returns to `/sessions/{id}?secure_token_id=…`; the page then pays and redirects to the
 * session's `return_url` with `session_id` appended.
 */

const { ApiError, invalid, missing } = require('./errors');
const { parseCard } = require('./cards');
const {
	isBlank, isPlainObject, rejectUnknown, requireAmount, requireCurrency, optionalString, optionalEmail,
	optionalEnum, optionalHttpUrl, integerInRange, nonNegativeInteger, metadata, LOCALES,
} = require('./validate');
const { newId, iso } = require('./state');
const payments = require('./payments');
const customers = require('./customers');
const { storeSecureToken, appendQuery, redirectTo, htmlError, page, escapeHtml, HTML_TYPE } = require('./secure-tokens');
const { findOwned, noQuery } = require('./lists');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./secure-tokens').HtmlResult} HtmlResult
 * @typedef {import('./state').State} State
 * @typedef {import('./state').Session} Session
 * @typedef {import('./cards').Card} Card
 */

const CREATE_FIELDS = new Set([
	'mode', 'amount', 'currency', 'return_url', 'email', 'expires_in_seconds', 'external_customer_id', 'payment_types',
	'default_locale', 'line_items', 'metadata', 'payment_data',
]);
const MODES = ['payment', 'customer', 'customer_payment'];
const PAYMENT_DATA_FIELDS = new Set(['external_order_num', 'capture', 'name', 'description']);
/** SDK `LineItem`. */
const LINE_ITEM_FIELDS = new Set(['description', 'amount', 'quantity', 'image', 'external_product_num']);
const MAX_EXPIRES_IN = 86400;
const CARD_FORM_FIELDS = ['number', 'month', 'year', 'verification_value', 'name'];

/** @param {Env & { scenario: string | null }} env @returns {Result} */
function createSession(env) {
	const { state, auth, body } = env;
	rejectUnknown(body, CREATE_FIELDS, '');
	const mode = /** @type {Session['mode']} */ (optionalEnum(isBlank(body.mode) ? undefined : body.mode, 'mode', MODES) || 'payment');
	const pays = mode !== 'customer';
	// contract CreateSessionRequestWith{Payment,CustomerPayment}Mode: amount > 0; ...WithCustomerMode: amount optional, defaults to 0
	let amount = 0;
	if (pays) {
		amount = requireAmount(body.amount, 'amount');
		if (amount === 0) throw invalid('amount', `must be greater than 0 in ${mode} mode`);
	} else if (!isBlank(body.amount)) {
		amount = nonNegativeInteger(body.amount, 'amount');
		if (amount !== 0) throw invalid('amount', 'must be 0 (or omitted) in customer mode: nothing is charged');
	}
	const cur = requireCurrency(body.currency, 'currency');
	const returnUrl = optionalHttpUrl(body.return_url, 'return_url');
	const email = optionalEmail(body.email, 'email') || null;
	const expiresIn = isBlank(body.expires_in_seconds) ? MAX_EXPIRES_IN : integerInRange(body.expires_in_seconds, 'expires_in_seconds', 1, MAX_EXPIRES_IN);
	const externalCustomerId = optionalString(body.external_customer_id, 'external_customer_id') || null;
	const paymentTypes = parsePaymentTypes(body.payment_types, mode, cur);
	const defaultLocale = optionalEnum(body.default_locale, 'default_locale', LOCALES) || null;
	const lineItems = parseLineItems(body.line_items);
	const meta = metadata(body.metadata, 'metadata');
	const paymentData = parsePaymentData(body.payment_data, pays);

	const now = state.clock();
	/** @type {Session} */
	const session = {
		id: newId(),
		merchant: auth.merchant,
		mode,
		amount,
		currency: cur,
		returnUrl,
		email,
		expiresAt: now + expiresIn * 1000,
		externalCustomerId,
		paymentTypes,
		defaultLocale,
		lineItems,
		metadata: meta,
		paymentData,
		scenario: env.scenario,
		status: 'pending',
		createdAt: now,
		cancelledAt: null,
		completedAt: null,
		paymentId: null,
		customerId: null,
	};
	state.sessions.set(session.id, session);
	return { status: 200, body: present(state, session) };
}

/**
 * Each type must be enabled (GET /payment_methods) for the currency; customer modes store cards, so credit_card only.
 * @param {unknown} v @param {Session['mode']} mode @param {string | null} cur
 */
function parsePaymentTypes(v, mode, cur) {
	const enabled = mode === 'payment' && cur ? payments.enabledTypes(cur) : ['credit_card'];
	if (isBlank(v)) return enabled.slice();
	if (!Array.isArray(v) || v.length === 0) throw invalid('payment_types', 'must be a non-empty array of payment type slugs');
	/** @type {string[]} */
	const out = [];
	for (const t of v) {
		if (typeof t !== 'string' || !enabled.includes(t)) throw invalid('payment_types', `each type must be one of ${enabled.join(', ')} for this session`);
		if (out.includes(t)) throw invalid('payment_types', 'a type is given twice');
		out.push(t);
	}
	return out;
}

/**
 * SDK `LineItem` each: `description`* and `amount`* (the sandbox requires them: a line item is
 * shown on the page), `quantity` (>= 1, default 1), `image` (http(s) URL), `external_product_num`.
 * KOMOJU documents no rule tying the line items to the session `amount`, so none is enforced.
 * @param {unknown} v
 */
function parseLineItems(v) {
	if (isBlank(v)) return [];
	if (!Array.isArray(v)) throw invalid('line_items', 'must be an array');
	return v.map((item, i) => {
		const p = `line_items.${i}`;
		if (!isPlainObject(item)) throw invalid(p, 'must be an object');
		rejectUnknown(item, LINE_ITEM_FIELDS, `${p}.`);
		if (isBlank(item.description)) throw missing(`${p}.description`);
		const description = /** @type {string} */ (optionalString(item.description, `${p}.description`));
		const itemAmount = requireAmount(item.amount, `${p}.amount`);
		const quantity = isBlank(item.quantity) ? 1 : nonNegativeInteger(item.quantity, `${p}.quantity`);
		if (quantity < 1) throw invalid(`${p}.quantity`, 'must be at least 1');
		const image = optionalHttpUrl(item.image, `${p}.image`);
		const productNum = optionalString(item.external_product_num, `${p}.external_product_num`);
		return { description, amount: itemAmount, quantity, ...(image ? { image } : {}), ...(productNum ? { external_product_num: productNum } : {}) };
	});
}

/** @param {unknown} v @param {boolean} pays @returns {Record<string, string>} */
function parsePaymentData(v, pays) {
	if (isBlank(v)) return {};
	if (!pays) throw invalid('payment_data', 'not used in customer mode');
	if (!isPlainObject(v)) throw invalid('payment_data', 'must be an object');
	rejectUnknown(v, PAYMENT_DATA_FIELDS, 'payment_data.');
	/** @type {Record<string, string>} */
	const out = {};
	for (const key of ['external_order_num', 'name', 'description']) {
		const s = optionalString(v[key], `payment_data.${key}`);
		if (s) out[key] = s;
	}
	const capture = optionalEnum(v.capture, 'payment_data.capture', ['auto', 'manual']);
	if (capture) out.capture = capture;
	return out;
}

/** @param {Env} env */
function find(env) {
	return findOwned(env.state.sessions, env, 'session');
}

/** @param {Env} env @returns {Result} */
function getSession(env) {
	noQuery(env.query);
	return { status: 200, body: present(env.state, find(env)) };
}

/** @param {Env} env @returns {Result} */
function cancelSession(env) {
	const { state } = env;
	const session = find(env);
	rejectUnknown(env.body, new Set(), '');
	const shown = shownStatus(state, session);
	if (shown !== 'pending') {
		throw new ApiError(422, 'unprocessable_entity', `The session cannot be cancelled: it is ${shown}. Only pending sessions that have not expired can be cancelled.`, null);
	}
	session.status = 'cancelled';
	session.cancelledAt = state.clock();
	return { status: 200, body: present(state, session) };
}

/** @param {State} state @param {Session} s */
function isExpired(state, s) {
	return s.status === 'pending' && state.clock() >= s.expiresAt;
}

/** `pending`, `completed`, `cancelled`, or `expired` (pending past its expiry). @param {State} state @param {Session} s */
function shownStatus(state, s) {
	return isExpired(state, s) ? 'expired' : s.status;
}

/**
 * The session as the API answers it (the contract's Session): `amount` 0 in customer mode,
 * `default_locale` `ja` when none was given, `merchant` named, `payment_data.capture` shown with
 * its default; the optional `payment`, `customer_id` and `email` only when there is one, and no
 * `secure_token` (the session's 3DS secure tokens are sandbox-only, `secureTokens()`).
 * @param {State} state @param {Session} s
 */
function present(state, s) {
	const payment = s.paymentId === null ? undefined : state.payments.get(s.paymentId);
	return {
		id: s.id,
		resource: 'session',
		mode: s.mode,
		amount: s.amount === null ? 0 : s.amount,
		currency: s.currency,
		session_url: `${state.baseUrl}/sessions/${s.id}`,
		return_url: s.returnUrl,
		default_locale: s.defaultLocale || 'ja',
		payment_methods: s.paymentTypes.map((type) => ({ type })),
		created_at: iso(s.createdAt),
		cancelled_at: s.cancelledAt === null ? null : iso(s.cancelledAt),
		completed_at: s.completedAt === null ? null : iso(s.completedAt),
		status: s.status,
		expired: isExpired(state, s),
		merchant: { name: `KOMOJU sandbox (${s.merchant})` },
		metadata: { ...s.metadata },
		...(payment ? { payment: payments.present(payment) } : {}),
		payment_data: { capture: 'auto', ...s.paymentData },
		...(s.customerId === null ? {} : { customer_id: s.customerId }),
		line_items: s.lineItems.map((i) => ({ ...i })),
		...(s.email === null ? {} : { email: s.email }),
	};
}

/** Sandbox-only view. @param {State} state @param {Session} s */
function view(state, s) {
	return { ...present(state, s), merchant: s.merchant, expiresAt: iso(s.expiresAt), scenario: s.scenario };
}

// ---------------------------------------------------------------------------
// hosted page

/** @param {Session} s @param {string | null} error */
function formPage(s, error) {
	const others = s.paymentTypes.filter((t) => t !== 'credit_card');
	const cards = s.paymentTypes.includes('credit_card');
	const what = s.mode === 'customer' ? 'Save a card' : `Amount: ${s.amount} ${escapeHtml(String(s.currency))}`;
	return page(
		'KOMOJU sandbox checkout',
		`<h1>KOMOJU sandbox checkout</h1>
<p>${what}.</p>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>\n` : ''}${
			cards
				? `<form method="post" action="/sessions/${escapeHtml(s.id)}">
<input type="hidden" name="payment_type" value="credit_card">
<label>Card number <input name="number" inputmode="numeric" autocomplete="off"></label>
<label>Month <input name="month" inputmode="numeric"></label>
<label>Year <input name="year" inputmode="numeric"></label>
<label>CVC <input name="verification_value" inputmode="numeric" autocomplete="off"></label>
<label>Name <input name="name"></label>
<button type="submit">Pay</button>
</form>
`
				: ''
		}${others.length ? `<ul>${others.map((t) => `<li>${escapeHtml(t)}: not available in the sandbox</li>`).join('')}</ul>\n` : ''}`,
	);
}

/** @param {Session} s @param {string} message */
function statePage(s, message) {
	const link = s.returnUrl ? `<p><a href="${escapeHtml(appendQuery(s.returnUrl, 'session_id', s.id))}">Return to the shop</a></p>` : '';
	return { status: 200, headers: { 'Content-Type': HTML_TYPE }, body: page('KOMOJU sandbox checkout', `<h1 id="state">${escapeHtml(message)}</h1>\n${link}`) };
}

/** @param {Session} s @param {string | null} error @returns {HtmlResult} */
function showForm(s, error) {
	return { status: 200, headers: { 'Content-Type': HTML_TYPE }, body: formPage(s, error) };
}

/**
 * GET shows the form (or finishes a 3DS return); POST submits the card.
 * @param {State} state
 * @param {string} method
 * @param {string} id
 * @param {Record<string, string | string[]>} query
 * @param {Record<string, unknown>} form
 * @returns {HtmlResult}
 */
function hostedPage(state, method, id, query, form) {
	if (method !== 'GET' && method !== 'POST') return htmlError(404, 'Not found');
	const session = state.sessions.get(id);
	if (!session) return htmlError(404, 'Unknown session');
	if (session.status === 'completed') return statePage(session, 'This session is already completed.');
	if (session.status === 'cancelled') return statePage(session, 'This session has been cancelled.');
	if (isExpired(state, session)) return statePage(session, 'This session has expired.');

	if (method === 'GET') {
		const tokenId = query.secure_token_id;
		if (tokenId === undefined) return showForm(session, null);
		const token = typeof tokenId === 'string' ? state.secureTokens.get(tokenId) : undefined;
		if (!token || token.sessionId !== session.id) return showForm(session, 'The card authentication could not be found. Enter the card again.');
		if (token.status === 'NEEDS_VERIFY') return redirectTo(token.authenticationUrl);
		if (token.status !== 'OK') return showForm(session, 'The card could not be authenticated (3D Secure failed). Try another card.');
		return pay(state, session, token.card, (paymentId) => {
			token.paymentId = paymentId;
		});
	}

	if (!session.paymentTypes.includes('credit_card')) return showForm(session, 'Only credit cards can be paid in the sandbox.');
	/** @type {Record<string, unknown>} */
	const details = { type: 'credit_card' };
	for (const key of CARD_FORM_FIELDS) if (!isBlank(form[key])) details[key] = form[key];
	let card;
	try {
		card = parseCard(details, state.clock());
	} catch (e) {
		if (e instanceof ApiError) return showForm(session, e.message);
		throw e;
	}
	if (card.behaviour.kind === '3ds') {
		const token = storeSecureToken(state, {
			merchant: session.merchant,
			amount: session.amount || 0,
			currency: session.currency || 'JPY',
			returnUrl: `${state.baseUrl}/sessions/${session.id}`,
			card,
			customerId: null,
			sessionId: session.id,
		});
		return redirectTo(token.authenticationUrl);
	}
	return pay(state, session, card, () => {});
}

/**
 * Completes the session: stores the customer (customer modes) and creates the payment
 * (payment modes), then redirects to return_url with session_id. A scenario failure shows the form again.
 * @param {State} state @param {Session} session @param {Card} card @param {(paymentId: string) => void} consume
 * @returns {HtmlResult}
 */
function pay(state, session, card, consume) {
	if (session.scenario === 'insufficient_funds') return showForm(session, 'The card has insufficient funds.');
	const orderNum = session.paymentData.external_order_num || null;
	if (session.mode !== 'customer' && orderNum !== null && payments.orderNumberUsed(state, session.merchant, orderNum)) {
		return showForm(session, 'This order number (external_order_num) has already been paid.');
	}
	if (session.mode !== 'payment') {
		const customer = customers.storeCustomer(state, {
			merchant: session.merchant, email: session.email, currency: session.currency, metadata: {}, locale: session.defaultLocale, card, scenario: null,
		});
		session.customerId = customer.id;
	}
	if (session.mode !== 'customer') {
		const payment = payments.storePayment(state, {
			merchant: session.merchant,
			amount: /** @type {number} */ (session.amount),
			tax: 0,
			taxAuto: false,
			currency: /** @type {string} */ (session.currency),
			customerId: session.customerId,
			card,
			description: session.paymentData.description || null,
			externalOrderNum: orderNum,
			metadata: {},
			locale: session.defaultLocale,
			sessionId: session.id,
			capture: session.paymentData.capture !== 'manual',
			source: 'session',
			fraudDetails: null,
			returnUrl: session.returnUrl,
			cancelUrl: null,
		});
		session.paymentId = payment.id;
		consume(payment.id);
	}
	session.status = 'completed';
	session.completedAt = state.clock();
	if (session.returnUrl) return redirectTo(appendQuery(session.returnUrl, 'session_id', session.id));
	return statePage(session, 'Thank you. The session is completed.');
}

module.exports = { createSession, getSession, cancelSession, hostedPage, view };
