// @ts-check
'use strict';

/**
 * KOMOJU's error body and the helpers that build it.
 * Shape (docs §8.1): {"error": {"code", "message", "param", "details"}}.
 */

/** Default `code` for each HTTP status (docs §8.2; 409 and 429 are the sandbox's own names). */
const DEFAULT_CODES = /** @type {Record<number, string>} */ ({
	400: 'bad_request',
	401: 'unauthorized',
	402: 'request_failed',
	403: 'forbidden',
	404: 'not_found',
	409: 'conflict',
	422: 'unprocessable_entity',
	429: 'too_many_requests',
	500: 'internal_server_error',
	502: 'bad_gateway',
	503: 'service_unavailable',
	504: 'gateway_timeout',
});

const DEFAULT_MESSAGES = /** @type {Record<number, string>} */ ({
	400: 'The request is malformed.',
	401: 'The API key is missing or invalid.',
	402: 'The request was valid but could not be completed.',
	403: 'This API key is not allowed to perform this request.',
	404: 'The requested resource could not be found.',
	409: 'A request with this idempotency key is still being processed.',
	422: 'The request has missing or invalid parameters.',
	429: 'Too many requests. Retry later.',
	500: 'An internal error occurred.',
	502: 'An upstream processor returned an error.',
	503: 'The service is temporarily unavailable.',
	504: 'The request timed out.',
});

/** An error that becomes a KOMOJU error response. */
class ApiError extends Error {
	/**
	 * @param {number} status HTTP status
	 * @param {string} code KOMOJU error code
	 * @param {string} message English message (never contains card data)
	 * @param {string | null} [param] offending parameter
	 * @param {Record<string, unknown> | null} [details]
	 */
	constructor(status, code, message, param = null, details = null) {
		super(message);
		this.status = status;
		this.code = code;
		this.param = param;
		this.details = details;
	}
}

/**
 * KOMOJU's error body with all four fields non-null, as the contract's APIErrorBody requires:
 * `param` is the field or header at fault, else `""`; `details` is `{}` when there are none.
 * @param {string} code
 * @param {string} message
 * @param {string | null} [param]
 * @param {Record<string, unknown> | null} [details]
 */
function errorBody(code, message, param = null, details = null) {
	return { error: { code, message: maskPans(message), param: param === null ? '' : maskPans(param), details: details === null ? {} : details } };
}

/** @param {number} status */
function defaultErrorBody(status) {
	const code = DEFAULT_CODES[status] || (status >= 500 ? 'internal_server_error' : 'bad_request');
	const message = DEFAULT_MESSAGES[status] || `HTTP ${status}`;
	return errorBody(code, message);
}

/** @param {string} param */
function missing(param) {
	return new ApiError(422, 'missing_parameter', `A required parameter (${param}) is missing`, param);
}

/**
 * @param {string} param
 * @param {string} [why]
 */
function invalid(param, why) {
	return new ApiError(422, 'invalid_parameter', `The parameter (${param}) is invalid${why ? `: ${why}` : ''}`, param);
}

/**
 * @param {string} message
 * @param {string | null} [param]
 */
function badRequest(message, param = null) {
	return new ApiError(400, 'bad_request', message, param);
}

/** @param {string} [message] */
function notFound(message = 'The requested resource could not be found.') {
	return new ApiError(404, 'not_found', message);
}

/** Luhn check for a string of digits. @param {string} digits */
function luhnValid(digits) {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum % 10 === 0;
}

/**
 * Masks every run of 12–19 digits that passes the Luhn check (a possible card number),
 * keeping only its last four digits. Used on error text and on the request record.
 * @param {string} text
 */
function maskPans(text) {
	return text.replace(/\d{12,19}/g, (run) => (luhnValid(run) ? `****${run.slice(-4)}` : run));
}

module.exports = {
	ApiError,
	errorBody,
	defaultErrorBody,
	missing,
	invalid,
	badRequest,
	notFound,
	luhnValid,
	maskPans,
	DEFAULT_CODES,
};
