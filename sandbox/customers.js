// @ts-check
'use strict';

/** Customers (stored cards, docs §10.2): create, get, list, update and delete. */

const { ApiError, invalid, missing } = require('./errors');
const { parseCard, scrubbed, assertNotExpired } = require('./cards');
const { isBlank, rejectUnknown, currency, optionalEmail, metadata } = require('./validate');
const { newId, iso, nextSeq } = require('./state');
const { recordEvent } = require('./events');
const { findOwned, parseListQuery, listBody, noQuery } = require('./lists');
const { usableToken, unknownToken } = require('./tokens');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').Customer} Customer
 * @typedef {import('./state').State} State
 * @typedef {import('./state').ApiKey} ApiKey
 */

/** The contract's `CreateCustomerRequest` / `UpdateCustomerRequest` fields; anything else (e.g. `locale`) is 422. */
const FIELDS = new Set(['payment_details', 'email', 'currency', 'metadata']);

/** @param {Env & { scenario: string | null }} env @returns {Result} */
function createCustomer(env) {
	const { state, auth, body } = env;
	rejectUnknown(body, FIELDS, '');
	if (isBlank(body.payment_details)) throw missing('payment_details');
	const cur = isBlank(body.currency) ? null : currency(body.currency, 'currency');
	const source = storedCard(env, body.payment_details, cur);
	const email = optionalEmail(body.email, 'email');
	const meta = metadata(body.metadata, 'metadata');
	source.consume();
	const customer = storeCustomer(state, { merchant: auth.merchant, email: email || null, currency: cur, metadata: meta, locale: null, card: source.card, scenario: env.scenario });
	return { status: 200, body: present(customer) };
}

/**
 * The card a customer stores: card details, or a token id string, which KOMOJU's long-term
 * token guide documents as the way to turn a one-time token into a customer. The token is used
 * up only once everything else was valid, so a refused request leaves it usable.
 * @param {Env} env @param {unknown} details @param {string | null} customerCurrency
 */
function storedCard(env, details, customerCurrency) {
	const now = env.state.clock();
	if (typeof details !== 'string') return { card: parseCard(details, now), consume: () => {} };
	const token = usableToken(env.state, env.auth, details);
	if (!token) throw unknownToken();
	if (token.currency !== null && customerCurrency !== null && token.currency !== customerCurrency) {
		throw invalid('currency', 'must equal the currency the token was created with');
	}
	return {
		card: token.card,
		consume: () => {
			token.usedAt = now;
		},
	};
}

/**
 * Stores a customer and records `customer.created` (also used by a session in a customer mode).
 * @param {State} state
 * @param {Omit<Customer, 'id' | 'createdAt' | 'seq'>} input
 */
function storeCustomer(state, input) {
	/** @type {Customer} */
	const customer = { id: newId(), ...input, createdAt: state.clock(), seq: nextSeq(state) };
	state.customers.set(customer.id, customer);
	recordEvent(state, customer.merchant, 'customer.created', present(customer));
	return customer;
}

/** @param {Env} env */
function find(env) {
	return findOwned(env.state.customers, env, 'customer');
}

/** @param {Env} env @returns {Result} */
function getCustomer(env) {
	noQuery(env.query);
	return { status: 200, body: present(find(env)) };
}

/** @param {Env} env @returns {Result} */
function listCustomers(env) {
	const q = parseListQuery(env.query, ['expiration']);
	const exp = q.params.expiration;
	/** @type {{ month: number, year: number } | null} */
	let expiry = null;
	if (exp !== undefined) {
		if (!/^(0[1-9]|1[0-2])\d{2}$/.test(exp)) throw invalid('expiration', 'must be MMYY');
		expiry = { month: Number(exp.slice(0, 2)), year: 2000 + Number(exp.slice(2)) };
	}
	const mine = [...env.state.customers.values()].filter(
		(c) => c.merchant === env.auth.merchant && (expiry === null || (c.card.month === expiry.month && c.card.year === expiry.year)),
	);
	return { status: 200, body: listBody(mine, q, present, 'customer_list', env.state.clock()) };
}

/**
 * PATCH: any of the create fields; each given field replaces the stored one (`metadata` as a whole).
 * `null` clears `email`, `currency` and `metadata`; `payment_details` cannot be cleared.
 * @param {Env} env @returns {Result}
 */
function updateCustomer(env) {
	const { state, body } = env;
	const customer = find(env);
	rejectUnknown(body, FIELDS, '');
	if (Object.keys(body).length === 0) throw missing('payment_details');
	const next = { ...customer };
	if ('currency' in body) next.currency = isBlank(body.currency) ? null : currency(body.currency, 'currency');
	let source = null;
	if ('payment_details' in body) {
		if (isBlank(body.payment_details)) throw missing('payment_details');
		source = storedCard(env, body.payment_details, next.currency);
		next.card = source.card;
	}
	if ('email' in body) next.email = optionalEmail(body.email, 'email') || null;
	if ('metadata' in body) next.metadata = metadata(body.metadata, 'metadata');
	source?.consume();
	Object.assign(customer, next);
	recordEvent(state, customer.merchant, 'customer.updated', present(customer));
	return { status: 200, body: present(customer) };
}

/** DELETE: 200 with the customer as it was; afterwards it is 404 everywhere. @param {Env} env @returns {Result} */
function deleteCustomer(env) {
	noQuery(env.query);
	const customer = find(env);
	env.state.customers.delete(customer.id);
	recordEvent(env.state, customer.merchant, 'customer.deleted', present(customer));
	return { status: 200, body: present(customer) };
}

/**
 * The customer whose stored card pays (secure tokens, payments): 404 with param `customer`
 * when unknown, deleted or another merchant's; 422 `card_expired` when the card has expired
 * since; 402 `insufficient_funds` for a customer made with that scenario.
 * @param {State} state @param {ApiKey} auth @param {unknown} id
 */
function chargeableCustomer(state, auth, id) {
	if (typeof id !== 'string') throw invalid('customer', 'must be a customer id');
	const customer = state.customers.get(id);
	if (!customer || customer.merchant !== auth.merchant) throw new ApiError(404, 'not_found', 'The customer could not be found.', 'customer');
	assertNotExpired(customer.card, state.clock(), 'customer');
	if (customer.scenario === 'insufficient_funds') {
		throw new ApiError(402, 'insufficient_funds', 'The card has insufficient funds.', null);
	}
	return customer;
}

/** The customer as the API answers it (`locale` only when set: the contract types it as a non-null Locale). @param {Customer} c */
function present(c) {
	return {
		id: c.id,
		resource: 'customer',
		email: c.email,
		currency: c.currency,
		metadata: { ...c.metadata },
		// contract Customer.locale is a Locale, never null: shown only when known (a session's default_locale)
		...(c.locale === null ? {} : { locale: c.locale }),
		source: scrubbed(c.card),
		created_at: iso(c.createdAt),
	};
}

/** Sandbox-only view: the API object plus the merchant and the test-card kind. @param {Customer} c */
function view(c) {
	return { ...present(c), merchant: c.merchant, testCard: c.card.label, scenario: c.scenario };
}

module.exports = { createCustomer, storeCustomer, getCustomer, listCustomers, updateCustomer, deleteCustomer, chargeableCustomer, present, view };
