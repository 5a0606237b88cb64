// @ts-check
'use strict';

/**
 * Read-only payment endpoints used by the node: `GET /payments` (the credential
 * test, always empty) and `GET /payment_methods`.
 */

const { invalid } = require('./errors');
const { CURRENCIES } = require('./validate');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 */

const LIST_PARAMS = new Set(['page', 'per_page', 'start_time', 'end_time', 'currency', 'external_order_num', 'status', 'merchant_id']);
const STATUSES = new Set(['pending', 'authorized', 'captured', 'cancelled', 'expired', 'refunded', 'failed']);
const MAX_PER_PAGE = 100;

/**
 * @param {Record<string, string | string[]>} query
 * @param {string} name
 * @returns {string | undefined}
 */
function single(query, name) {
	const v = query[name];
	if (Array.isArray(v)) throw invalid(name, 'given more than once');
	return v;
}

/** @param {string | undefined} v @param {string} name @param {number} fallback */
function positiveInt(v, name, fallback) {
	if (v === undefined) return fallback;
	if (!/^[1-9]\d{0,8}$/.test(v)) throw invalid(name, 'must be a positive integer');
	return Number(v);
}

/**
 * An ISO 8601 date-time with a time zone (`2026-01-02T03:04:05Z`, `…+09:00`), as epoch ms; null when absent.
 * @param {string | undefined} v @param {string} name @returns {number | null}
 */
function isoTime(v, name) {
	if (v === undefined) return null;
	const ms = Date.parse(v);
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(ms)) {
		throw invalid(name, 'must be an ISO 8601 date-time');
	}
	return ms;
}

/** @param {Env} env @returns {Result} */
function listPayments(env) {
	const q = env.query;
	for (const k of Object.keys(q)) if (!LIST_PARAMS.has(k)) throw invalid(k, 'unknown parameter');
	const page = positiveInt(single(q, 'page'), 'page', 1);
	const perPage = positiveInt(single(q, 'per_page'), 'per_page', 10);
	if (perPage > MAX_PER_PAGE) throw invalid('per_page', `must be at most ${MAX_PER_PAGE}`);
	for (const name of ['start_time', 'end_time']) isoTime(single(q, name), name);
	const cur = single(q, 'currency');
	if (cur !== undefined && !CURRENCIES.has(cur)) throw invalid('currency', 'must be one of the supported ISO 4217 codes, upper case');
	const status = single(q, 'status');
	if (status !== undefined && !status.split(',').every((s) => STATUSES.has(s))) throw invalid('status', 'unknown payment status');
	single(q, 'external_order_num');
	single(q, 'merchant_id');
	return { status: 200, body: { resource: 'list', total: 0, page, per_page: perPage, last_page: 1, data: [] } };
}

/** @param {Env} env @returns {Result} */
function listPaymentMethods(env) {
	const keys = Object.keys(env.query);
	if (keys.length) throw invalid(keys[0], 'unknown parameter');
	const brands = ['visa', 'master', 'jcb', 'american_express', 'diners_club'];
	return {
		status: 200,
		body: ['JPY', 'USD'].map((currency) => ({ type_slug: 'credit_card', currency, customer_fee: 0, brands })),
	};
}

module.exports = { listPayments, listPaymentMethods, single, positiveInt, isoTime, MAX_PER_PAGE };
