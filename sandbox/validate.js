// @ts-check
'use strict';

/**
 * Parameter checks shared by the endpoints. Every helper throws a 422 ApiError
 * (`missing_parameter` / `invalid_parameter`) whose `param` is the dotted path
 * of the field, e.g. `payment_details.month`. Messages never quote values.
 */

const { ApiError, missing, invalid } = require('./errors');

const CURRENCIES = new Set([
	'JPY', 'USD', 'EUR', 'TWD', 'KRW', 'PLN', 'GBP', 'HKD', 'SGD', 'NZD',
	'AUD', 'IDR', 'MYR', 'PHP', 'THB', 'CNY', 'BRL', 'CHF', 'CAD', 'VND',
]);

/** Absent, null or the empty string (an empty form value) all count as "not given". @param {unknown} v */
function isBlank(v) {
	return v === undefined || v === null || v === '';
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isPlainObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Rejects keys that the endpoint does not document.
 * @param {Record<string, unknown>} obj
 * @param {ReadonlySet<string>} allowed
 * @param {string} prefix '' or 'payment_details.'
 */
function rejectUnknown(obj, allowed, prefix) {
	for (const key of Object.keys(obj)) {
		if (!allowed.has(key)) throw invalid(prefix + key, 'unknown parameter');
	}
}

/**
 * Non-negative integer; a string of ASCII digits is accepted (form values are strings).
 * @param {unknown} v
 * @param {string} param
 * @returns {number}
 */
function nonNegativeInteger(v, param) {
	if (typeof v === 'number') {
		if (Number.isSafeInteger(v) && v >= 0) return v;
		throw invalid(param, 'must be an integer greater than or equal to 0');
	}
	if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
	throw invalid(param, 'must be an integer greater than or equal to 0');
}

/** @param {unknown} v @param {string} param */
function requireAmount(v, param) {
	if (isBlank(v)) throw missing(param);
	return nonNegativeInteger(v, param);
}

/** @param {unknown} v @param {string} param */
function currency(v, param) {
	if (typeof v !== 'string' || !CURRENCIES.has(v)) {
		throw invalid(param, 'must be one of the supported ISO 4217 codes, upper case');
	}
	return v;
}

/** @param {unknown} v @param {string} param */
function requireCurrency(v, param) {
	if (isBlank(v)) throw missing(param);
	return currency(v, param);
}

/** @param {unknown} v @param {string} param */
function requireHttpUrl(v, param) {
	if (isBlank(v)) throw missing(param);
	if (typeof v !== 'string' || v.length > 2048 || /\s/.test(v)) throw invalid(param, 'must be an absolute http(s) URL');
	let url;
	try {
		url = new URL(v);
	} catch {
		throw invalid(param, 'must be an absolute http(s) URL');
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
		throw invalid(param, 'must be an absolute http(s) URL');
	}
	return v;
}

/**
 * @param {unknown} v
 * @param {string} param
 * @param {number} [max]
 * @returns {string | undefined}
 */
function optionalString(v, param, max = 255) {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string') throw invalid(param, 'must be a string');
	if (v.length > max) throw invalid(param, `must be at most ${max} characters`);
	return v;
}

/** @param {unknown} v @param {string} param */
function optionalEmail(v, param) {
	const s = optionalString(v, param);
	if (s === undefined || s === '') return undefined;
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) throw invalid(param, 'must be an email address');
	return s;
}

/**
 * @param {unknown} v
 * @param {string} param
 * @param {readonly string[]} values
 */
function optionalEnum(v, param, values) {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string' || !values.includes(v)) throw invalid(param, `must be one of ${values.join(', ')}`);
	return v;
}

/**
 * Metadata: string → string; keys up to 30 characters, values up to 2000 (docs §4).
 * @param {unknown} v
 * @param {string} param
 * @returns {Record<string, string>}
 */
function metadata(v, param) {
	if (v === undefined || v === null) return {};
	if (!isPlainObject(v)) throw invalid(param, 'must be an object of strings');
	/** @type {Record<string, string>} */
	const out = {};
	for (const [k, val] of Object.entries(v)) {
		if (k.length === 0 || k.length > 30) throw invalid(`${param}.${k}`, 'keys must be 1 to 30 characters');
		if (typeof val !== 'string') throw invalid(`${param}.${k}`, 'values must be strings');
		if (val.length > 2000) throw invalid(`${param}.${k}`, 'values must be at most 2000 characters');
		out[k] = val;
	}
	return out;
}

/**
 * Exactly one of `payment_details` or `customer` (secure tokens, payments).
 * Neither: 422 `missing_parameter` (payment_details); both: 422 `invalid_parameter` (customer).
 * @param {Record<string, unknown>} body
 * @returns {'payment_details' | 'customer'}
 */
function sourceChoice(body) {
	const hasCard = !isBlank(body.payment_details);
	const hasCustomer = !isBlank(body.customer);
	if (!hasCard && !hasCustomer) {
		throw new ApiError(422, 'missing_parameter', 'A required parameter (payment_details or customer) is missing', 'payment_details');
	}
	if (hasCard && hasCustomer) throw invalid('customer', 'send exactly one of payment_details or customer');
	return hasCard ? 'payment_details' : 'customer';
}

/**
 * A boolean; form bodies may send "true" / "false".
 * @param {unknown} v @param {string} param @param {boolean} fallback
 */
function optionalBoolean(v, param, fallback) {
	if (isBlank(v)) return fallback;
	if (v === true || v === 'true') return true;
	if (v === false || v === 'false') return false;
	throw invalid(param, 'must be true or false');
}

/** Absent or blank → null, else an absolute http(s) URL. @param {unknown} v @param {string} param */
function optionalHttpUrl(v, param) {
	return isBlank(v) ? null : requireHttpUrl(v, param);
}

/**
 * An integer in [min, max]; digit strings are accepted.
 * @param {unknown} v @param {string} param @param {number} min @param {number} max
 */
function integerInRange(v, param, min, max) {
	const n = nonNegativeInteger(v, param);
	if (n < min || n > max) throw invalid(param, `must be between ${min} and ${max}`);
	return n;
}

const LOCALES = ['ja', 'en', 'ko'];

module.exports = {
	CURRENCIES,
	LOCALES,
	sourceChoice,
	optionalBoolean,
	optionalHttpUrl,
	integerInRange,
	isBlank,
	isPlainObject,
	rejectUnknown,
	nonNegativeInteger,
	requireAmount,
	currency,
	requireCurrency,
	requireHttpUrl,
	optionalString,
	optionalEmail,
	optionalEnum,
	metadata,
};
