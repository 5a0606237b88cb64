// @ts-check
'use strict';

/**
 * Tokens (docs §10.4): `POST /tokens` tokenizes a card without 3DS. The id pays once, as
 * the `payment_details` string of `POST /payments`, within 24 h; a token made with
 * `currency` pays only in that currency. KOMOJU documents no way to read a token back.
 */

const { ApiError, invalid, missing } = require('./errors');
const { parseCard, scrubbed, cardView } = require('./cards');
const { isBlank, rejectUnknown, currency } = require('./validate');
const { newId, iso } = require('./state');

/** Tokens and secure tokens pay once, within 24 hours (docs §10.4). */
const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;

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

/**
 * The merchant's unused, unexpired token with this id, for a `payment_details` string; 404
 * (param `payment_details`) when there is none, 422 when used or expired.
 * @param {import('./state').State} state @param {import('./state').ApiKey} auth @param {string} id
 * @returns {Token | undefined} undefined when the id is not a token of this merchant
 */
function usableToken(state, auth, id) {
	const token = state.tokens.get(id);
	if (!token || token.merchant !== auth.merchant) return undefined;
	if (token.usedAt !== null) throw invalidToken('the token has already been used');
	if (state.clock() >= token.createdAt + TOKEN_LIFETIME_MS) throw invalidToken('the token has expired (24 hours after creation)');
	return token;
}

/**
 * A token or secure token that exists but cannot pay (used, expired, not verified, failed 3DS):
 * `invalid_token` with param `payment_details`, the code KOMOJU's own plugins handle.
 * @param {string} why @param {number} [status] 422, or 402 for a failed 3DS authentication
 */
function invalidToken(why, status = 422) {
	return new ApiError(status, 'invalid_token', `The token in payment_details cannot be used: ${why}.`, 'payment_details');
}

/** 404 for a `payment_details` id that names nothing usable. */
function unknownToken() {
	return new ApiError(404, 'not_found', 'No token with this id could be found.', 'payment_details');
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

module.exports = { createToken, view, usableToken, unknownToken, invalidToken, TOKEN_LIFETIME_MS };
