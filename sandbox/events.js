// @ts-check
'use strict';

/**
 * Events (docs §10.5): every state change records an event per merchant, and
 * new events go to the merchant's subscribed webhooks. `GET /events` lists them
 * newest first; `GET /events/{id}` reads one.
 */

const { notFound } = require('./errors');
const { maskDeep } = require('./record');
const { parseListQuery, listBody, newestFirst, noQuery } = require('./lists');
const { newId, iso } = require('./state');
const webhooks = require('./webhooks');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').KomojuEvent} KomojuEvent
 * @typedef {import('./state').StoredEvent} StoredEvent
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 */

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

/** @param {Env} env @returns {Result} */
function listEvents(env) {
	const q = parseListQuery(env.query, []);
	const mine = [...env.state.events.values()].filter((s) => s.merchant === env.auth.merchant);
	return { status: 200, body: listBody(mine, q, (s) => copy(s.event), 'list', env.state.clock()) };
}

/** @param {Env} env @returns {Result} */
function getEvent(env) {
	noQuery(env.query);
	const stored = env.state.events.get(env.id);
	if (!stored || stored.merchant !== env.auth.merchant) throw notFound('The event could not be found.');
	return { status: 200, body: copy(stored.event) };
}

/** Sandbox view: every merchant's events, newest first, as the API shows them. @param {State} state */
function allEvents(state) {
	return newestFirst([...state.events.values()]).map((s) => copy(s.event));
}

module.exports = { recordEvent, listEvents, getEvent, allEvents };
