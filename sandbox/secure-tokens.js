// @ts-check
'use strict';

/**
 * Secure tokens (docs §6): create, get, and the customer-facing 3DS page at
 * `/three_d_secure_service/offsite`.
 */

const crypto = require('node:crypto');
const { ApiError, invalid, notFound } = require('./errors');
const { parseCard, cardView } = require('./cards');
const { isBlank, rejectUnknown, requireAmount, requireCurrency, requireHttpUrl, nonNegativeInteger, sourceChoice } = require('./validate');
const { chargeableCustomer } = require('./customers');
const { usesLegacySecureTokenKey } = require('./version');
const { newId, iso } = require('./state');
const { noQuery } = require('./lists');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').SecureToken} SecureToken
 * @typedef {import('./state').ApiKey} ApiKey
 * @typedef {{ state: State, auth: ApiKey, version: string, body: Record<string, unknown>,
 *   query: Record<string, string | string[]>, id: string }} Env
 * @typedef {{ status: number, body: unknown }} Result
 */

const CREATE_FIELDS = new Set(['amount', 'currency', 'return_url', 'payment_details', 'customer', 'platform_details', 'tax']);
const HTML_TYPE = 'text/html; charset=utf-8';
const MAX_PASSWORD_ATTEMPTS = 3;
const PASSWORD_OK = '123456';
const PASSWORD_FAIL = '111111';

/** @param {Env} env @returns {Result} */
function createSecureToken(env) {
	const { state, auth, body } = env;
	const now = state.clock();
	if (!isBlank(body.customer) && auth.kind === 'publishable') {
		throw new ApiError(403, 'forbidden', 'A publishable key cannot create a secure token for a stored customer; use the secret key.', 'customer');
	}
	rejectUnknown(body, CREATE_FIELDS, '');
	const amount = requireAmount(body.amount, 'amount');
	const currency = requireCurrency(body.currency, 'currency');
	const returnUrl = requireHttpUrl(body.return_url, 'return_url');
	if (!isBlank(body.tax)) nonNegativeInteger(body.tax, 'tax');
	if (body.platform_details !== undefined) throw invalid('platform_details', 'this merchant is not a platform-model merchant');
	let card;
	/** @type {string | null} */
	let customerId = null;
	if (sourceChoice(body) === 'payment_details') {
		card = parseCard(body.payment_details, now);
	} else {
		const customer = chargeableCustomer(state, auth, body.customer);
		card = customer.card;
		customerId = customer.id;
	}

	const token = storeSecureToken(state, { merchant: auth.merchant, amount, currency, returnUrl, card, customerId, sessionId: null });
	return { status: 200, body: present(token, false) };
}

/**
 * Creates and stores a secure token (also used by a session's hosted page for 3DS cards).
 * @param {State} state
 * @param {{ merchant: string, amount: number, currency: string, returnUrl: string,
 *   card: import('./cards').Card, customerId: string | null, sessionId: string | null }} input
 * @returns {SecureToken}
 */
function storeSecureToken(state, input) {
	const id = newId();
	/** @type {SecureToken} */
	const token = {
		id,
		merchant: input.merchant,
		amount: input.amount,
		currency: input.currency,
		returnUrl: input.returnUrl,
		card: input.card,
		customerId: input.customerId,
		status: input.card.behaviour.kind === 'regular' ? 'SKIPPED' : 'NEEDS_VERIFY',
		authResult: null,
		authenticationUrl: `${state.baseUrl}/three_d_secure_service/offsite?token=${id}`,
		createdAt: state.clock(),
		verifiedAt: null,
		failedAttempts: 0,
		sessionId: input.sessionId,
		paymentId: null,
	};
	state.secureTokens.set(id, token);
	return token;
}


/** @param {Env} env @returns {Result} */
function getSecureToken(env) {
	noQuery(env.query);
	const token = env.state.secureTokens.get(env.id);
	if (!token || token.merchant !== env.auth.merchant) throw notFound('The secure token could not be found.');
	return { status: 200, body: present(token, usesLegacySecureTokenKey(env.version)) };
}

/**
 * The API representation. `legacyKey` names the id `secure_token` (GET before 2025-01-28).
 * @param {SecureToken} t
 * @param {boolean} legacyKey
 */
function present(t, legacyKey) {
	/** @type {Record<string, unknown>} */
	const out = legacyKey ? { secure_token: t.id } : { id: t.id };
	out.resource = 'secure_token';
	out.verification_status = t.status;
	out.authentication_url = t.authenticationUrl;
	out.created_at = iso(t.createdAt);
	if (t.authResult) out.three_ds_auth_result = authResultShown(t.authResult);
	return out;
}

/**
 * The 3DS result as the API shows it: the contract's ThreeDsAuthResult types every key as a
 * string, so keys without a value (authenticationValue after a failure, authenticationType
 * without a challenge) are left out rather than sent as null.
 * @param {Record<string, string | null>} result
 */
function authResultShown(result) {
	return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== null));
}

/** Sandbox-only view for tests (never the full card number). @param {SecureToken} t */
function view(t) {
	return {
		id: t.id,
		merchant: t.merchant,
		verificationStatus: t.status,
		amount: t.amount,
		currency: t.currency,
		returnUrl: t.returnUrl,
		customer: t.customerId,
		card: cardView(t.card),
		session: t.sessionId,
		payment: t.paymentId,
		authenticationUrl: t.authenticationUrl,
		threeDsAuthResult: t.authResult ? { ...t.authResult } : null,
		failedPasswordAttempts: t.failedAttempts,
		createdAt: iso(t.createdAt),
		verifiedAt: t.verifiedAt === null ? null : iso(t.verifiedAt),
	};
}

// ---------------------------------------------------------------------------
// 3DS page

/**
 * Fills in the directory-server result (docs §6.5, camelCase keys).
 * @param {SecureToken} t
 * @param {boolean} success
 * @param {boolean} challenged
 * @returns {Record<string, string | null>}
 */
function authResult(t, success, challenged) {
	const master = t.card.brand === 'master';
	return {
		dsReferenceNumber: `SANDBOX-DS-${t.card.brand.toUpperCase()}`,
		acsReferenceNumber: 'SANDBOX-ACS-1',
		threeDSRequestorTransID: crypto.randomUUID(),
		acsTransID: crypto.randomUUID(),
		dsTransID: crypto.randomUUID(),
		threeDSServerTransID: crypto.randomUUID(),
		eci: success ? (master ? '02' : '05') : master ? '00' : '07',
		messageVersion: '2.2.0',
		authenticationType: challenged ? '01' : null,
		authenticationValue: success ? crypto.randomBytes(20).toString('base64') : null,
		transStatus: success ? 'Y' : 'N',
	};
}

/**
 * @param {State} state
 * @param {SecureToken} t
 * @param {boolean} success
 * @param {boolean} challenged
 */
function finish(state, t, success, challenged) {
	t.status = success ? 'OK' : 'ERRORED';
	t.authResult = authResult(t, success, challenged);
	t.verifiedAt = state.clock();
}

/** return_url with `secure_token_id` appended; existing query and fragment kept. @param {SecureToken} t */
function returnLocation(t) {
	return appendQuery(t.returnUrl, 'secure_token_id', t.id);
}

/** `url` with `name=value` appended to its query; the existing query and fragment are kept. @param {string} url @param {string} name @param {string} value */
function appendQuery(url, name, value) {
	const hashAt = url.indexOf('#');
	const base = hashAt < 0 ? url : url.slice(0, hashAt);
	const hash = hashAt < 0 ? '' : url.slice(hashAt);
	const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
	return `${base}${sep}${name}=${encodeURIComponent(value)}${hash}`;
}

/** @param {string} s */
function escapeHtml(s) {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** @param {string} title @param {string} inner */
function page(title, inner) {
	return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>${inner}</body></html>\n`;
}

/** @param {SecureToken} t @param {string | null} error */
function challengePage(t, error) {
	const brand = t.card.brand.replace('_', ' ').toUpperCase();
	return page(
		'3D Secure authentication - KOMOJU sandbox',
		`<h1>3D Secure authentication</h1>
<p>KOMOJU sandbox ACS. Amount: ${t.amount} ${escapeHtml(t.currency)}. Card: ${escapeHtml(brand)} ending ${escapeHtml(t.card.lastFour)}.</p>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>\n` : ''}<form method="post" action="/three_d_secure_service/offsite">
<input type="hidden" name="token" value="${escapeHtml(t.id)}">
<label>Password <input type="password" name="password" autocomplete="off"></label>
<button type="submit">Submit</button>
</form>
<p>Test passwords: ${PASSWORD_OK} authenticates, ${PASSWORD_FAIL} fails.</p>`,
	);
}

/**
 * @typedef {{ status: number, headers: Record<string, string>, body: string }} HtmlResult
 */

/** @param {SecureToken} t @returns {HtmlResult} */
function redirect(t) {
	return redirectTo(returnLocation(t));
}

/** A 302 with a small HTML body. @param {string} location @returns {HtmlResult} */
function redirectTo(location) {
	return {
		status: 302,
		headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' },
		body: page('Redirecting', `<p><a href="${escapeHtml(location)}">Continue</a></p>`),
	};
}

/** @param {number} status @param {string} message @returns {HtmlResult} */
function htmlError(status, message) {
	return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page('KOMOJU sandbox', `<h1>${escapeHtml(message)}</h1>`) };
}

/**
 * GET shows the page (or finishes a frictionless card); POST submits the password.
 * @param {State} state
 * @param {string} method
 * @param {Record<string, string | string[]>} query
 * @param {Record<string, unknown>} form
 * @returns {HtmlResult}
 */
function offsite(state, method, query, form) {
	if (method !== 'GET' && method !== 'POST') return htmlError(404, 'Not found');
	const rawToken = method === 'POST' && form.token !== undefined ? form.token : query.token;
	const token = typeof rawToken === 'string' ? state.secureTokens.get(rawToken) : undefined;
	if (!token) return htmlError(404, 'Unknown secure token');
	if (token.status !== 'NEEDS_VERIFY') return redirect(token);

	const behaviour = token.card.behaviour;
	if (behaviour.kind !== '3ds') return redirect(token);
	const scenario = behaviour.scenario;
	if (scenario === 'success_frictionless' || scenario === 'failure_frictionless') {
		finish(state, token, scenario === 'success_frictionless', false);
		return redirect(token);
	}
	if (method === 'GET') return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: challengePage(token, null) };

	const password = typeof form.password === 'string' ? form.password : '';
	if (scenario === 'failure_challenge' || password === PASSWORD_FAIL) {
		finish(state, token, false, true);
		return redirect(token);
	}
	if (password === PASSWORD_OK) {
		finish(state, token, true, true);
		return redirect(token);
	}
	token.failedAttempts += 1;
	if (token.failedAttempts >= MAX_PASSWORD_ATTEMPTS) {
		finish(state, token, false, true);
		return redirect(token);
	}
	const left = MAX_PASSWORD_ATTEMPTS - token.failedAttempts;
	return {
		status: 200,
		headers: { 'Content-Type': 'text/html; charset=utf-8' },
		body: challengePage(token, `The password is incorrect. ${left} attempt${left === 1 ? '' : 's'} left.`),
	};
}

module.exports = {
	createSecureToken,
	getSecureToken,
	storeSecureToken,
	view,
	offsite,
	returnLocation,
	appendQuery,
	redirectTo,
	htmlError,
	page,
	escapeHtml,
	HTML_TYPE,
};
