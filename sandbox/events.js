// @ts-check
'use strict';

/**
 * Events (docs §10.5): every state change records an event per merchant, and
 * new events go to the merchant's subscribed webhooks. `GET /events` lists them
 * newest first; `GET /events/{id}` reads one.
 */

const { invalid, notFound } = require('./errors');
const { maskDeep } = require('./record');
const { single, positiveInt, isoTime, MAX_PER_PAGE } = require('./payments');
const { newId, iso } = require('./state');
const webhooks = require('./webhooks');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').KomojuEvent} KomojuEvent
 * @typedef {import('./state').StoredEvent} StoredEvent
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 */

const LIST_PARAMS = new Set(['page', 'per_page', 'start_time', 'end_time']);

/**
 * Records an event and hands it to the webhooks. `data` is the object as the API returns it;
 * it is deep-copied and any card-number-like digit run is masked.
 * @param {State} state @param {string} merchant @param {string} type @param {unknown} data
 * @returns {KomojuEvent}
 */
function recordEvent(state, merchant, type, data) {
	const at = state.clock();
	/** @type {KomojuEvent} */
	const event = { id: newId(), type, resource: 'event', data: maskDeep(data), created_at: iso(at), reason: null };
	state.eventSeq += 1;
	state.events.set(event.id, { merchant, seq: state.eventSeq, createdAt: at, event });
	webhooks.dispatch(state, merchant, copy(event));
	return copy(event);
}

/** @param {KomojuEvent} e @returns {KomojuEvent} */
function copy(e) {
	return JSON.parse(JSON.stringify(e));
}

/** Newest first: by created_at (whole seconds, as shown), then by recording order. @param {StoredEvent[]} list */
function newestFirst(list) {
	return list.sort((a, b) => second(b.createdAt) - second(a.createdAt) || b.seq - a.seq);
}

/** @param {number} ms */
function second(ms) {
	return Math.floor(ms / 1000) * 1000;
}

/** @param {Env} env @returns {Result} */
function listEvents(env) {
	const q = env.query;
	for (const k of Object.keys(q)) if (!LIST_PARAMS.has(k)) throw invalid(k, 'unknown parameter');
	const page = positiveInt(single(q, 'page'), 'page', 1);
	const perPage = positiveInt(single(q, 'per_page'), 'per_page', 10);
	if (perPage > MAX_PER_PAGE) throw invalid('per_page', `must be at most ${MAX_PER_PAGE}`);
	const start = isoTime(single(q, 'start_time'), 'start_time');
	const end = isoTime(single(q, 'end_time'), 'end_time');
	if (start !== null && end !== null && end < start) throw invalid('end_time', 'must not be before start_time');
	const all = newestFirst(
		[...env.state.events.values()].filter(
			(s) => s.merchant === env.auth.merchant && (start === null || second(s.createdAt) >= start) && (end === null || second(s.createdAt) <= end),
		),
	);
	const total = all.length;
	const data = all.slice((page - 1) * perPage, page * perPage).map((s) => copy(s.event));
	return { status: 200, body: { resource: 'list', total, page, per_page: perPage, last_page: Math.max(1, Math.ceil(total / perPage)), data } };
}

/** @param {Env} env @returns {Result} */
function getEvent(env) {
	const keys = Object.keys(env.query);
	if (keys.length) throw invalid(keys[0], 'unknown parameter');
	const stored = env.state.events.get(env.id);
	if (!stored || stored.merchant !== env.auth.merchant) throw notFound('The event could not be found.');
	return { status: 200, body: copy(stored.event) };
}

/** Sandbox view: every merchant's events, newest first, as the API shows them. @param {State} state */
function allEvents(state) {
	return newestFirst([...state.events.values()]).map((s) => copy(s.event));
}

module.exports = { recordEvent, listEvents, getEvent, allEvents };
