// @ts-check
'use strict';

/**
 * `X-KOMOJU-IDEMPOTENCY` (docs §3.1): per-API-key store of the first result of a POST.
 *
 * - A key is claimed when the endpoint starts processing; while it runs, the same key
 *   gets 409.
 * - When the endpoint finishes, its result (status and exact body) is stored for 24 h
 *   from first use, whatever the status, and replayed for the same key and same request.
 * - Requests rejected before the endpoint ran (auth, version, bad body, injected faults,
 *   rate limit, an unexpected sandbox error) store nothing and free the key again.
 * - "Same request" = same method, path, Content-Type and byte-identical body.
 */

const crypto = require('node:crypto');
const { ApiError, badRequest } = require('./errors');

const HEADER = 'X-KOMOJU-IDEMPOTENCY';
const TTL_MS = 24 * 60 * 60 * 1000;

/**
 * @typedef {{ status: number, body: string, contentType?: string }} StoredResult
 * @typedef {{ fingerprint: string, firstUsedAt: number, result: StoredResult | null }} Entry
 * @typedef {{ type: 'new', entry: Entry, scopeKey: string }
 *   | { type: 'replay', result: StoredResult }} Claim
 */

/**
 * Validates the header value. Returns null when the header is absent.
 * @param {string | string[] | undefined} raw
 * @param {string} method
 * @returns {string | null}
 */
function readKey(raw, method) {
	if (raw === undefined) return null;
	if (method !== 'POST') throw badRequest(`The ${HEADER} header is only allowed on POST requests.`, HEADER);
	if (typeof raw !== 'string' || raw.length === 0) throw badRequest(`The ${HEADER} header must not be empty.`, HEADER);
	if (raw.length > 100) throw badRequest(`The ${HEADER} header must be at most 100 characters.`, HEADER);
	if (!/^[\x20-\x7e]+$/.test(raw)) throw badRequest(`The ${HEADER} header must contain printable ASCII characters only.`, HEADER);
	return raw;
}

/**
 * @param {string} method
 * @param {string} path
 * @param {string | undefined} contentType
 * @param {Buffer} body
 */
function fingerprint(method, path, contentType, body) {
	return crypto
		.createHash('sha256')
		.update(`${method}\n${path}\n${(contentType || '').toLowerCase()}\n`)
		.update(body)
		.digest('hex');
}

class IdempotencyStore {
	/** @param {() => number} clock */
	constructor(clock) {
		this.clock = clock;
		/** @type {Map<string, Entry>} */
		this.entries = new Map();
	}

	/**
	 * Claims a key or returns the stored result. Throws 422 for a different request
	 * under the same key and 409 while the first request is still running.
	 * @param {string} apiKey
	 * @param {string} key
	 * @param {string} print
	 * @returns {Claim}
	 */
	claim(apiKey, key, print) {
		const scopeKey = `${apiKey}\u0000${key}`;
		const now = this.clock();
		const existing = this.entries.get(scopeKey);
		if (existing && existing.result && now - existing.firstUsedAt >= TTL_MS) this.entries.delete(scopeKey);
		const entry = this.entries.get(scopeKey);
		if (entry) {
			if (entry.fingerprint !== print) {
				throw new ApiError(
					422,
					'invalid_parameter',
					`This ${HEADER} key was already used with a different request; use a new key for a new request.`,
					HEADER,
				);
			}
			if (!entry.result) {
				throw new ApiError(409, 'conflict', `A request with this ${HEADER} key is still being processed; retry later with the same key.`, HEADER);
			}
			return { type: 'replay', result: entry.result };
		}
		const created = { fingerprint: print, firstUsedAt: now, result: null };
		this.entries.set(scopeKey, created);
		return { type: 'new', entry: created, scopeKey };
	}

	/** @param {Claim & { type: 'new' }} claim @param {StoredResult} result */
	complete(claim, result) {
		claim.entry.result = result;
	}

	/** Frees a claimed key without storing anything. @param {Claim & { type: 'new' }} claim */
	release(claim) {
		if (this.entries.get(claim.scopeKey) === claim.entry) this.entries.delete(claim.scopeKey);
	}

	clear() {
		this.entries.clear();
	}
}

module.exports = { IdempotencyStore, readKey, fingerprint, TTL_MS, HEADER };
