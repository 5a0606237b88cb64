// @ts-check
'use strict';

/**
 * Reading and parsing request bodies: JSON, and form encoding with bracket keys
 * (`payment_details[number]=…`, `metadata[foo]=bar`, `list[]=a`).
 */

const { badRequest } = require('./errors');

const MAX_BODY_BYTES = 1024 * 1024;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads the whole body. Resolves `null` when it exceeds the limit.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer | null>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooBig = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Media type of a Content-Type header, lower-cased, without parameters.
 * @param {string | undefined} header
 */
function mediaType(header) {
	return (header || '').split(';')[0].trim().toLowerCase();
}

/**
 * Parses a POST body into a plain object. Throws a 400 `bad_request` ApiError.
 * An empty body without a Content-Type means "no parameters".
 * Error messages never quote the body (it may hold a card number).
 * @param {Buffer} raw
 * @param {string | undefined} contentType
 * @returns {Record<string, unknown>}
 */
function parseBody(raw, contentType) {
	const type = mediaType(contentType);
	const text = raw.toString('utf8');
	if (type === '') {
		if (raw.length === 0) return {};
		throw badRequest('A request body needs Content-Type application/json or application/x-www-form-urlencoded.', 'Content-Type');
	}
	if (type === 'application/json') {
		/** @type {unknown} */
		let value;
		try {
			value = JSON.parse(text);
		} catch {
			throw badRequest('The request body is not valid JSON.');
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			throw badRequest('The JSON request body must be an object.');
		}
		return /** @type {Record<string, unknown>} */ (value);
	}
	if (type === 'application/x-www-form-urlencoded') return parseForm(text);
	throw badRequest(`Unsupported Content-Type (${type}); use application/json or application/x-www-form-urlencoded.`, 'Content-Type');
}

/** @param {string} s */
function decodeComponent(s) {
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		throw badRequest('The form body has invalid percent-encoding.');
	}
}

/**
 * Splits `a[b][c]` into ['a', 'b', 'c']; `a[]` ends with ''.
 * @param {string} key
 */
function keyPath(key) {
	const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!m) throw badRequest(`The form parameter name (${key}) is malformed.`);
	const parts = [m[1]];
	for (const seg of m[2].matchAll(/\[([^[\]]*)\]/g)) parts.push(seg[1]);
	parts.forEach((p, i) => {
		if (p === '' && i !== parts.length - 1) throw badRequest(`The form parameter name (${key}) is malformed.`);
		if (FORBIDDEN_KEYS.has(p)) throw badRequest(`The form parameter name (${key}) is not allowed.`);
	});
	return parts;
}

/**
 * Parses `application/x-www-form-urlencoded` with bracket keys. Repeated scalar keys
 * and keys used both as a value and as an object are rejected (400), not merged.
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
function parseForm(text) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const pair of text.split('&')) {
		if (pair === '') continue;
		const eq = pair.indexOf('=');
		const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
		const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1));
		const path = keyPath(key);
		/** @type {Record<string, unknown>} */
		let node = out;
		for (let i = 0; i < path.length - 1; i++) {
			const seg = path[i];
			const next = node[seg];
			const last = i === path.length - 2;
			if (next === undefined) {
				const created = last && path[i + 1] === '' ? [] : {};
				node[seg] = created;
			} else if (typeof next !== 'object' || next === null || Array.isArray(next) !== (last && path[i + 1] === '')) {
				throw badRequest(`The form parameter (${key}) conflicts with another parameter.`);
			}
			node = /** @type {Record<string, unknown>} */ (node[seg]);
		}
		const leaf = path[path.length - 1];
		if (leaf === '') {
			/** @type {unknown[]} */ (/** @type {unknown} */ (node)).push(value);
		} else if (node[leaf] !== undefined) {
			throw badRequest(`The form parameter (${key}) is given more than once.`);
		} else {
			node[leaf] = value;
		}
	}
	return out;
}

/**
 * Query string → object; a repeated name gives an array.
 * @param {string} raw query without '?'
 * @returns {Record<string, string | string[]>}
 */
function parseQuery(raw) {
	/** @type {Record<string, string | string[]>} */
	const out = {};
	for (const [k, v] of new URLSearchParams(raw)) {
		if (FORBIDDEN_KEYS.has(k)) continue;
		const prev = out[k];
		if (prev === undefined) out[k] = v;
		else if (Array.isArray(prev)) prev.push(v);
		else out[k] = [prev, v];
	}
	return out;
}

module.exports = { readBody, parseBody, parseForm, parseQuery, mediaType, MAX_BODY_BYTES };
