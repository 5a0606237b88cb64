// @ts-check
'use strict';

/**
 * `X-KOMOJU-API-VERSION` handling. Versions are release dates; a date selects the
 * newest known version released on or before it.
 */

const { badRequest } = require('./errors');

const API_VERSIONS = /** @type {const} */ (['2024-07-15', '2025-01-28']);
const HEADER = 'X-KOMOJU-API-VERSION';

/** @param {string} s YYYY-MM-DD */
function isCalendarDate(s) {
	const [y, m, d] = s.split('-').map(Number);
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * @param {string | string[] | undefined} raw header value
 * @param {string} fallback version used when the header is absent
 * @returns {string}
 */
function resolveVersion(raw, fallback) {
	if (raw === undefined) return fallback;
	if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || !isCalendarDate(raw)) {
		throw badRequest(`The ${HEADER} header must be a date in the form YYYY-MM-DD.`, HEADER);
	}
	/** @type {string | undefined} */
	let chosen;
	for (const v of API_VERSIONS) if (v <= raw) chosen = v;
	if (!chosen) throw badRequest(`No API version exists on or before that date; the oldest is ${API_VERSIONS[0]}.`, HEADER);
	return chosen;
}

/** Does this version name the GET secure token id `secure_token` (docs §6.7)? @param {string} version */
function usesLegacySecureTokenKey(version) {
	return version < '2025-01-28';
}

module.exports = { API_VERSIONS, resolveVersion, usesLegacySecureTokenKey };
