// @ts-check
'use strict';

/** Customers (stored cards, docs §10.2): create and get. */

const { invalid, missing, notFound } = require('./errors');
const { parseCard, scrubbed } = require('./cards');
const { isBlank, rejectUnknown, currency, optionalEmail, optionalEnum, metadata } = require('./validate');
const { newId, iso } = require('./state');
const { recordEvent } = require('./events');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').Customer} Customer
 */

const CREATE_FIELDS = new Set(['payment_details', 'email', 'currency', 'metadata', 'locale']);

/** @param {Env & { scenario: string | null }} env @returns {Result} */
function createCustomer(env) {
	const { state, auth, body } = env;
	rejectUnknown(body, CREATE_FIELDS, '');
	if (isBlank(body.payment_details)) throw missing('payment_details');
	const card = parseCard(body.payment_details, state.clock());
	const email = optionalEmail(body.email, 'email');
	const cur = isBlank(body.currency) ? null : currency(body.currency, 'currency');
	const meta = metadata(body.metadata, 'metadata');
	const locale = optionalEnum(body.locale, 'locale', ['ja', 'en', 'ko']);
	/** @type {Customer} */
	const customer = {
		id: newId(),
		merchant: auth.merchant,
		email: email || null,
		currency: cur,
		metadata: meta,
		locale: locale || null,
		card,
		scenario: env.scenario,
		createdAt: state.clock(),
	};
	state.customers.set(customer.id, customer);
	recordEvent(state, customer.merchant, 'customer.created', present(customer));
	return { status: 200, body: present(customer) };
}

/** @param {Env} env @returns {Result} */
function getCustomer(env) {
	const keys = Object.keys(env.query);
	if (keys.length) throw invalid(keys[0], 'unknown parameter');
	const customer = env.state.customers.get(env.id);
	if (!customer || customer.merchant !== env.auth.merchant) throw notFound('The customer could not be found.');
	return { status: 200, body: present(customer) };
}

/** @param {Customer} c */
function present(c) {
	return {
		id: c.id,
		resource: 'customer',
		email: c.email,
		currency: c.currency,
		metadata: { ...c.metadata },
		locale: c.locale,
		source: scrubbed(c.card),
		created_at: iso(c.createdAt),
	};
}

/** Sandbox-only view: the API object plus the merchant and the test-card kind. @param {Customer} c */
function view(c) {
	return { ...present(c), merchant: c.merchant, testCard: c.card.label, scenario: c.scenario };
}

module.exports = { createCustomer, getCustomer, present, view };
