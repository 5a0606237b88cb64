// @ts-check
'use strict';

/**
 * Tokens (docs §10.4): `POST /tokens` tokenizes a card without 3DS. The id pays once, as
 * the `payment_details` string of `POST /payments`, within 24 h; a token made with
 * `currency` pays only in that currency. KOMOJU documents no way to read a token back.
 */

const { invalid, missing } = require('./errors');
const { parseCard, scrubbed, cardView } = require('./cards');
const { isBlank, rejectUnknown, currency } = require('./validate');
const { newId, iso } = require('./state');
const { TOKEN_LIFETIME_MS } = require('./payments');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').Token} Token
 */

const CREATE_FIELDS = new Set(['payment_details', 'currency', 'platform_details']);

/** @param {Env} env @returns {Result} */
function createToken(env) {
	const { state, auth, body } = env;
	rejectUnknown(body, CREATE_FIELDS, '');
	if (body.platform_details !== undefined) throw invalid('platform_details', 'this merchant is not a platform-model merchant');
	if (isBlank(body.payment_details)) throw missing('payment_details');
	const card = parseCard(body.payment_details, state.clock());
	const cur = isBlank(body.currency) ? null : currency(body.currency, 'currency');
	/** @type {Token} */
	const token = { id: newId(), merchant: auth.merchant, card, currency: cur, createdAt: state.clock(), usedAt: null, paymentId: null };
	state.tokens.set(token.id, token);
	return { status: 200, body: present(token) };
}

/** @param {Token} t */
function present(t) {
	return { id: t.id, resource: 'token', created_at: iso(t.createdAt), payment_details: scrubbed(t.card) };
}

/** Sandbox-only view (never the card number). @param {Token} t */
function view(t) {
	return {
		...present(t),
		merchant: t.merchant,
		currency: t.currency,
		card: cardView(t.card),
		expiresAt: iso(t.createdAt + TOKEN_LIFETIME_MS),
		usedAt: t.usedAt === null ? null : iso(t.usedAt),
		payment: t.paymentId,
	};
}

module.exports = { createToken, view };
