// @ts-check
'use strict';

/**
 * The request record kept for tests (`GET /__sandbox/requests`, `handle.requests`).
 * Card data never enters it: `payment_details.number` becomes `****` + last four,
 * `verification_value` is dropped, and any other Luhn-valid 12–19 digit run in the
 * body, query or path is masked the same way. Booleans say what was sent.
 */

const { maskPans } = require('./errors');

const MAX_RECORDS = 5000;

/**
 * @typedef {{
 *   seq: number,
 *   time: string,
 *   startedAtMs: number,
 *   kind: 'api' | '3ds' | 'session' | 'offsite' | 'other',
 *   method: string,
 *   path: string,
 *   query: Record<string, string | string[]>,
 *   headers: Record<string, string | string[] | undefined>,
 *   body: unknown,
 *   bodyError: string | null,
 *   cardNumberSent: boolean,
 *   verificationValueSent: boolean,
 *   apiKey: string | null,
 *   keyKind: 'secret' | 'publishable' | null,
 *   apiVersion: string | null,
 *   idempotencyKey: string | null,
 *   idempotency: 'stored' | 'replayed' | 'conflict' | 'mismatch' | null,
 *   fault: { id: number, kind: string, action: unknown } | null,
 *   status: number | null,
 *   processedStatus: number | null,
 *   outcome: 'pending' | 'answered' | 'dropped' | 'lost',
 *   durationMs: number | null,
 *   contract: { operation: string | null, requestViolations: string[], answerViolations: string[] },
 * }} RecordedRequest
 */

/**
 * Deep copy with every string passed through maskPans.
 * @param {unknown} value
 * @returns {unknown}
 */
function maskDeep(value) {
	if (typeof value === 'string') return maskPans(value);
	if (Array.isArray(value)) return value.map(maskDeep);
	if (value && typeof value === 'object') {
		/** @type {Record<string, unknown>} */
		const out = {};
		for (const [k, v] of Object.entries(value)) out[maskPans(k)] = maskDeep(v);
		return out;
	}
	return value;
}

/**
 * Masks a parsed request body for the record.
 * @param {unknown} body
 * @returns {{ body: unknown, cardNumberSent: boolean, verificationValueSent: boolean }}
 */
function maskBody(body) {
	let cardNumberSent = false;
	let verificationValueSent = false;
	const copy = /** @type {unknown} */ (maskDeep(body));
	/** @param {Record<string, unknown>} card @param {Record<string, any>} original */
	const maskCard = (card, original) => {
		if (card.number !== undefined && card.number !== null && card.number !== '') {
			cardNumberSent = true;
			card.number = `****${String(original.number).slice(-4)}`;
		}
		if ('verification_value' in card) {
			verificationValueSent = card.verification_value !== undefined && card.verification_value !== null && card.verification_value !== '';
			delete card.verification_value;
		}
	};
	if (copy && typeof copy === 'object' && !Array.isArray(copy)) {
		const top = /** @type {Record<string, unknown>} */ (copy);
		const pd = top.payment_details;
		if (pd && typeof pd === 'object' && !Array.isArray(pd)) {
			maskCard(/** @type {Record<string, unknown>} */ (pd), /** @type {Record<string, any>} */ (body).payment_details);
		} else if (pd === undefined) {
			// the hosted session page posts the card fields at the top level
			maskCard(top, /** @type {Record<string, any>} */ (body));
		}
	}
	return { body: copy, cardNumberSent, verificationValueSent };
}

class RequestLog {
	constructor() {
		/** @type {RecordedRequest[]} */
		this.items = [];
		this.seq = 0;
	}

	/** @param {Omit<RecordedRequest, 'seq'>} rec @returns {RecordedRequest} */
	add(rec) {
		this.seq += 1;
		const full = { seq: this.seq, ...rec };
		this.items.push(full);
		if (this.items.length > MAX_RECORDS) this.items.splice(0, this.items.length - MAX_RECORDS);
		return full;
	}

	/** Empties the log in place, so references to `items` stay valid. */
	clear() {
		this.items.length = 0;
	}
}

module.exports = { RequestLog, maskBody, maskDeep, MAX_RECORDS };
