// @ts-check
'use strict';

/**
 * The one list implementation (docs §9) behind every `GET` of a collection: `page`, `per_page`,
 * `start_time`/`end_time` (inclusive), newest first, answered as the contract's list envelope
 * `{ resource, data, start_time, end_time, total, page, per_page, last_page }`
 * (`resource`: `payment_list`, `customer_list`, `subscription_list`, or `list` for the others).
 */

const { invalid, notFound } = require('./errors');
const { iso, isoExact } = require('./state');

const MAX_PER_PAGE = 100;
const COMMON_PARAMS = ['page', 'per_page', 'start_time', 'end_time'];

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

/** Whole seconds, as `created_at` shows them. @param {number} ms */
function second(ms) {
	return Math.floor(ms / 1000) * 1000;
}

/**
 * @typedef {{ createdAt: number, seq: number }} Listable
 * @typedef {{ page: number, perPage: number, start: number | null, end: number | null,
 *   params: Record<string, string | undefined> }} ListQuery
 */

/**
 * Validates the query: the common parameters plus `extra` (each given at most once).
 * Anything else is 422 `invalid_parameter`.
 * @param {Record<string, string | string[]>} query
 * @param {readonly string[]} extra
 * @returns {ListQuery}
 */
function parseListQuery(query, extra) {
	const allowed = new Set([...COMMON_PARAMS, ...extra]);
	for (const k of Object.keys(query)) if (!allowed.has(k)) throw invalid(k, 'unknown parameter');
	const page = positiveInt(single(query, 'page'), 'page', 1);
	const perPage = positiveInt(single(query, 'per_page'), 'per_page', 10);
	if (perPage > MAX_PER_PAGE) throw invalid('per_page', `must be at most ${MAX_PER_PAGE}`);
	const start = isoTime(single(query, 'start_time'), 'start_time');
	const end = isoTime(single(query, 'end_time'), 'end_time');
	if (start !== null && end !== null && end < start) throw invalid('end_time', 'must not be before start_time');
	/** @type {Record<string, string | undefined>} */
	const params = {};
	for (const name of extra) params[name] = single(query, name);
	return { page, perPage, start, end, params };
}

/** Newest first: by created_at (whole seconds, as shown), then the later-recorded first. @template {Listable} T @param {T[]} items */
function newestFirst(items) {
	return items.sort((a, b) => second(b.createdAt) - second(a.createdAt) || b.seq - a.seq);
}

/**
 * Filters by the time window, sorts newest first and cuts the page.
 *
 * - `start_time` / `end_time` (the contract requires both): the window the list covers, the query's
 *   own values when given; else the oldest listed `created_at` (or `end_time` for an empty list)
 *   and the time of the request.
 * - `last_page` is 0 for an empty list; a page after `last_page` has empty `data`.
 * @template {Listable} T
 * @param {T[]} items already filtered by merchant and the endpoint's own filters
 * @param {ListQuery} q
 * @param {(item: T) => unknown} present
 * @param {'payment_list' | 'customer_list' | 'subscription_list' | 'list'} resource
 * @param {number} now the sandbox clock
 * @param {(items: T[]) => T[]} [order] the list's order, newest first unless the endpoint has its own
 */
function listBody(items, q, present, resource, now, order = newestFirst) {
	const all = order(
		items.filter((s) => (q.start === null || second(s.createdAt) >= q.start) && (q.end === null || second(s.createdAt) <= q.end)),
	);
	const total = all.length;
	const data = all.slice((q.page - 1) * q.perPage, q.page * q.perPage).map(present);
	const endTime = q.end === null ? iso(now) : isoExact(q.end);
	const startTime = q.start !== null ? isoExact(q.start) : total ? iso(all[total - 1].createdAt) : endTime;
	return {
		resource,
		data,
		start_time: startTime,
		end_time: endTime,
		total,
		page: q.page,
		per_page: q.perPage,
		last_page: Math.ceil(total / q.perPage),
	};
}

/** Rejects any query parameter (single-resource GETs). @param {Record<string, string | string[]>} query */
function noQuery(query) {
	const keys = Object.keys(query);
	if (keys.length) throw invalid(keys[0], 'unknown parameter');
}

/**
 * The merchant's resource with this id (single-resource routes); 404 `not_found` when it is unknown
 * or another merchant's.
 * @template {{ merchant: string }} T
 * @param {Map<string, T>} map @param {{ id: string, auth: { merchant: string } }} env @param {string} what e.g. "payment"
 * @returns {T}
 */
function findOwned(map, env, what) {
	const item = map.get(env.id);
	if (!item || item.merchant !== env.auth.merchant) throw notFound(`The ${what} could not be found.`);
	return item;
}

module.exports = { findOwned, parseListQuery, listBody, newestFirst, noQuery, single, isoTime, MAX_PER_PAGE };
