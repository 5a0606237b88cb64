// @ts-check
'use strict';

/**
 * Webhooks (docs §11). KOMOJU sets webhooks up in its dashboard, so the sandbox
 * offers test controls instead: register an endpoint, see every delivery
 * attempt, redeliver one, or send an arbitrary signed event.
 *
 * A delivery POSTs the event JSON with `Content-Type: application/json`,
 * `User-Agent: Komoju-Webhook`, `X-Komoju-ID` (the delivery id), `X-Komoju-Event`
 * (the type) and `X-Komoju-Signature` (lowercase hex HMAC-SHA256 of the raw body,
 * keyed with the webhook secret). The body bytes and headers are fixed when the
 * delivery is made, so retries and redeliveries send exactly the same request.
 */

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { newId, iso } = require('./state');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').KomojuEvent} KomojuEvent
 * @typedef {{ maxAttempts: number, retryDelayMs: number, timeoutMs: number }} WebhookConfig
 * @typedef {{ id: string, merchant: string, url: string, secret: string, events: string[], createdAt: number }} Webhook
 * @typedef {'valid' | 'wrong' | 'missing' | 'tampered'} SignatureMode
 * @typedef {'event' | 'ping' | 'send'} DeliverySource
 * @typedef {{
 *   id: string, webhookId: string | null, merchant: string | null, url: string, eventId: string | null,
 *   eventType: string, source: DeliverySource, signature: SignatureMode,
 *   headers: Record<string, string>, body: Buffer, attempts: number,
 *   timer: NodeJS.Timeout | null,
 * }} Delivery
 * @typedef {{
 *   seq: number, deliveryId: string, webhookId: string | null, url: string, eventId: string | null,
 *   eventType: string, source: DeliverySource, signature: SignatureMode, attempt: number,
 *   redelivery: boolean, status: number | null, error: string | null, ok: boolean,
 *   time: string, durationMs: number, nextRetryInMs: number | null,
 * }} DeliveryAttempt
 * @typedef {{ id: string, merchant: string, url: string, events: string[], created_at: string }} WebhookView
 */

/** Event types a webhook may subscribe to (docs §11.4). `ping` is always sent on registration. */
const EVENT_TYPES = Object.freeze([
	'payment.authorized', 'payment.captured', 'payment.updated', 'payment.expired', 'payment.cancelled',
	'payment.failed', 'payment.refund.created', 'payment.refunded',
	'customer.created', 'customer.updated', 'customer.deleted',
	'subscription.created', 'subscription.captured', 'subscription.failed', 'subscription.suspended', 'subscription.deleted',
	'settlement.created',
	'refund_request.updated', 'payment.marked.as.fraud',
]);
const SIGNATURE_MODES = Object.freeze(['valid', 'wrong', 'missing', 'tampered']);
const MAX_LOG = 5000;

/** A bad control input (answered with 400 over HTTP, thrown from the handle). */
class WebhookInputError extends Error {}

/** Lowercase hex HMAC-SHA256 of the raw body bytes. @param {string} secret @param {Buffer | string} body */
function sign(secret, body) {
	return crypto.createHmac('sha256', secret).update(body).digest('hex');
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** @param {Record<string, unknown>} obj @param {string[]} allowed */
function rejectUnknown(obj, allowed) {
	for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new WebhookInputError(`Unknown field: ${k}`);
}

/** @param {unknown} v @param {string} name */
function httpUrl(v, name) {
	if (typeof v !== 'string' || v.length > 2048) throw new WebhookInputError(`${name} must be an absolute http(s) URL.`);
	let u;
	try {
		u = new URL(v);
	} catch {
		throw new WebhookInputError(`${name} must be an absolute http(s) URL.`);
	}
	if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) throw new WebhookInputError(`${name} must be an absolute http(s) URL.`);
	return v;
}

/** @param {unknown} v */
function secretOf(v) {
	if (typeof v !== 'string' || v === '') throw new WebhookInputError('secret must be a non-empty string.');
	return v;
}

/** @param {State} state @param {unknown} input @returns {Webhook} */
function parseRegistration(state, input) {
	if (!isObject(input)) throw new WebhookInputError('Send {"url", "secret", "events"}.');
	rejectUnknown(input, ['url', 'secret', 'events', 'merchant']);
	const url = httpUrl(input.url, 'url');
	const secret = secretOf(input.secret);
	const events = input.events;
	if (!Array.isArray(events) || events.length === 0) throw new WebhookInputError('events must be a non-empty array of event types, or ["*"].');
	if (events.includes('*') && events.length !== 1) throw new WebhookInputError('"*" must be the only entry of events.');
	for (const t of events) {
		if (t === 'ping') throw new WebhookInputError('ping cannot be subscribed to: it is sent once, right after registration.');
		if (t !== '*' && (typeof t !== 'string' || !EVENT_TYPES.includes(t))) throw new WebhookInputError(`Unknown event type: ${String(t)}`);
	}
	if (new Set(events).size !== events.length) throw new WebhookInputError('events lists a type twice.');
	const merchants = new Set([...state.keys.values()].map((k) => k.merchant));
	const merchant = input.merchant === undefined ? 'merchant_1' : input.merchant;
	if (typeof merchant !== 'string' || !merchants.has(merchant)) throw new WebhookInputError('merchant must be one of the sandbox merchants (merchant_1, ...).');
	return { id: newId(), merchant, url, secret, events: /** @type {string[]} */ ([...events]), createdAt: state.clock() };
}

/** @param {Webhook} w @returns {WebhookView} */
function viewWebhook(w) {
	return { id: w.id, merchant: w.merchant, url: w.url, events: [...w.events], created_at: iso(w.createdAt) };
}

/**
 * Registers an endpoint and sends it a `ping` event (as KOMOJU does right after creation).
 * @param {State} state @param {unknown} input @returns {WebhookView}
 */
function registerWebhook(state, input) {
	const w = parseRegistration(state, input);
	state.webhooks.set(w.id, w);
	/** @type {KomojuEvent} */
	const ping = { id: newId(), type: 'ping', resource: 'event', data: {}, created_at: iso(state.clock()), reason: null };
	deliver(state, makeDelivery(state, { webhook: w, event: ping, source: 'ping' }));
	return viewWebhook(w);
}

/** @param {State} state @returns {WebhookView[]} */
function listWebhooks(state) {
	return [...state.webhooks.values()].map(viewWebhook);
}

/** Removes one endpoint (or all when id is undefined); its scheduled retries are cancelled. @param {State} state @param {string} [id] */
function removeWebhooks(state, id) {
	if (id !== undefined && !state.webhooks.has(id)) return false;
	for (const w of [...state.webhooks.values()]) {
		if (id !== undefined && w.id !== id) continue;
		state.webhooks.delete(w.id);
		for (const d of state.deliveries.values()) {
			if (d.webhookId === w.id && d.timer) {
				clearTimeout(d.timer);
				state.webhookTimers.delete(d.timer);
				d.timer = null;
				donePending(state);
			}
		}
	}
	return true;
}

/**
 * Sends a new event to every endpoint of its merchant that subscribes to its type.
 * @param {State} state @param {string} merchant @param {KomojuEvent} event
 */
function dispatch(state, merchant, event) {
	for (const w of state.webhooks.values()) {
		if (w.merchant !== merchant) continue;
		if (!w.events.includes('*') && !w.events.includes(event.type)) continue;
		deliver(state, makeDelivery(state, { webhook: w, event, source: 'event' }));
	}
}

/**
 * Fixes the bytes and headers of one delivery.
 * @param {State} state
 * @param {{ webhook?: Webhook, url?: string, secret?: string, event: Record<string, unknown>, source: DeliverySource,
 *   signature?: SignatureMode, pretty?: boolean }} o
 * @returns {Delivery}
 */
function makeDelivery(state, o) {
	const url = o.webhook ? o.webhook.url : /** @type {string} */ (o.url);
	const secret = o.webhook ? o.webhook.secret : /** @type {string} */ (o.secret);
	const mode = o.signature || 'valid';
	const serialise = (/** @type {unknown} */ v) => (o.pretty ? JSON.stringify(v, null, 2) : JSON.stringify(v));
	const signed = Buffer.from(serialise(o.event), 'utf8');
	let body = signed;
	let signature = sign(secret, signed);
	if (mode === 'wrong') signature = sign(`${secret}-but-not-this-one`, signed);
	if (mode === 'tampered') body = Buffer.from(serialise({ ...o.event, tampered: true }), 'utf8');
	const id = newId();
	const type = String(o.event.type);
	/** @type {Record<string, string>} */
	const headers = {
		'Content-Type': 'application/json',
		'User-Agent': 'Komoju-Webhook',
		'X-Komoju-ID': id,
		'X-Komoju-Event': type,
	};
	if (mode !== 'missing') headers['X-Komoju-Signature'] = signature;
	/** @type {Delivery} */
	const d = {
		id,
		webhookId: o.webhook ? o.webhook.id : null,
		merchant: o.webhook ? o.webhook.merchant : null,
		url,
		eventId: typeof o.event.id === 'string' ? o.event.id : null,
		eventType: type,
		source: o.source,
		signature: mode,
		headers,
		body,
		attempts: 0,
		timer: null,
	};
	state.deliveries.set(id, d);
	return d;
}

/** @param {State} state */
function startPending(state) {
	state.webhookPending += 1;
}

/** @param {State} state */
function donePending(state) {
	state.webhookPending = Math.max(0, state.webhookPending - 1);
	if (state.webhookPending === 0) for (const w of state.webhookIdleWaiters.splice(0)) w();
}

/**
 * One POST. Success is a 2xx answer; anything else (3xx is not followed) is a failure.
 * @param {State} state @param {Delivery} d
 * @returns {Promise<{ status: number | null, error: string | null }>}
 */
function post(state, d) {
	return new Promise((resolve) => {
		const u = new URL(d.url);
		const lib = u.protocol === 'https:' ? https : http;
		let settled = false;
		/** @type {import('node:http').ClientRequest} */
		let req;
		/** @param {{ status: number | null, error: string | null }} r */
		const finish = (r) => {
			if (settled) return;
			settled = true;
			state.webhookRequests.delete(req);
			resolve(r);
		};
		req = lib.request(u, { method: 'POST', agent: false, headers: { ...d.headers, 'Content-Length': String(d.body.length) } }, (res) => {
			res.resume();
			finish({ status: res.statusCode || null, error: null });
		});
		state.webhookRequests.add(req);
		req.setTimeout(state.webhookConfig.timeoutMs, () => {
			finish({ status: null, error: 'timeout' });
			req.destroy();
		});
		req.on('error', (e) => finish({ status: null, error: /** @type {NodeJS.ErrnoException} */ (e).code || e.message }));
		req.end(d.body);
	});
}

/**
 * Sends the delivery once and records the attempt.
 * @param {State} state @param {Delivery} d @param {boolean} redelivery
 * @returns {Promise<DeliveryAttempt>}
 */
async function attempt(state, d, redelivery) {
	const epoch = state.webhookEpoch;
	d.attempts += 1;
	const started = Date.now();
	const time = iso(state.clock());
	const r = await post(state, d);
	/** @type {DeliveryAttempt} */
	const rec = {
		seq: 0,
		deliveryId: d.id,
		webhookId: d.webhookId,
		url: d.url,
		eventId: d.eventId,
		eventType: d.eventType,
		source: d.source,
		signature: d.signature,
		attempt: d.attempts,
		redelivery,
		status: r.status,
		error: r.error !== null ? r.error : r.status !== null && (r.status < 200 || r.status > 299) ? `HTTP ${r.status}` : null,
		ok: r.status !== null && r.status >= 200 && r.status <= 299,
		time,
		durationMs: Date.now() - started,
		nextRetryInMs: null,
	};
	if (state.webhookEpoch === epoch) {
		state.deliverySeq += 1;
		rec.seq = state.deliverySeq;
		state.deliveryLog.push(rec);
		if (state.deliveryLog.length > MAX_LOG) state.deliveryLog.splice(0, state.deliveryLog.length - MAX_LOG);
	}
	return rec;
}

/**
 * Automatic delivery: tries up to `maxAttempts` times, waiting retryDelayMs, 2×, 4×, … between tries.
 * Stops when the endpoint is removed or the sandbox is reset.
 * @param {State} state @param {Delivery} d
 */
function deliver(state, d) {
	const epoch = state.webhookEpoch;
	startPending(state);
	const step = async () => {
		if (state.webhookEpoch !== epoch) return;
		if (d.webhookId && !state.webhooks.has(d.webhookId)) {
			donePending(state);
			return;
		}
		const rec = await attempt(state, d, false);
		if (state.webhookEpoch !== epoch) return;
		const { maxAttempts, retryDelayMs } = state.webhookConfig;
		if (rec.ok || d.attempts >= maxAttempts || (d.webhookId && !state.webhooks.has(d.webhookId))) {
			donePending(state);
			return;
		}
		const wait = retryDelayMs * 2 ** (d.attempts - 1);
		rec.nextRetryInMs = wait;
		const t = setTimeout(() => {
			state.webhookTimers.delete(t);
			d.timer = null;
			run();
		}, wait);
		d.timer = t;
		state.webhookTimers.add(t);
	};
	const run = () => {
		step().catch((e) => {
			process.stderr.write(`komoju sandbox: webhook delivery failed: ${e instanceof Error ? e.message : String(e)}\n`);
			if (state.webhookEpoch === epoch) donePending(state);
		});
	};
	run();
}

/**
 * Sends a recorded delivery once more: same body bytes, same X-Komoju-ID and signature.
 * No automatic retries. Returns null for an unknown delivery id.
 * @param {State} state @param {string} deliveryId
 * @returns {Promise<DeliveryAttempt> | null}
 */
function redeliver(state, deliveryId) {
	const d = state.deliveries.get(deliveryId);
	if (!d) return null;
	return tracked(state, attempt(state, d, true));
}

/**
 * @template T
 * @param {State} state @param {Promise<T>} p @returns {Promise<T>}
 */
function tracked(state, p) {
	const epoch = state.webhookEpoch;
	startPending(state);
	return p.finally(() => {
		if (state.webhookEpoch === epoch) donePending(state);
	});
}

/**
 * Sends an arbitrary event once (no retries), for trigger tests.
 * `signature`: 'valid' (default), 'wrong' (another key), 'missing' (no header) or
 * 'tampered' (signed over the event, but the body sent has `"tampered": true` added).
 * `pretty: true` sends indented JSON, correctly signed over those exact bytes.
 * @param {State} state @param {unknown} input
 * @returns {Promise<DeliveryAttempt>}
 */
function sendWebhook(state, input) {
	if (!isObject(input)) throw new WebhookInputError('Send {"url", "secret", "event"}.');
	rejectUnknown(input, ['url', 'secret', 'event', 'signature', 'pretty']);
	const url = httpUrl(input.url, 'url');
	const secret = secretOf(input.secret);
	const event = input.event;
	if (!isObject(event) || typeof event.type !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(event.type)) {
		throw new WebhookInputError('event must be an object whose type is 1-100 printable ASCII characters without spaces.');
	}
	const signature = input.signature === undefined ? 'valid' : input.signature;
	if (typeof signature !== 'string' || !SIGNATURE_MODES.includes(signature)) {
		throw new WebhookInputError(`signature must be one of ${SIGNATURE_MODES.join(', ')}.`);
	}
	if (input.pretty !== undefined && typeof input.pretty !== 'boolean') throw new WebhookInputError('pretty must be a boolean.');
	const d = makeDelivery(state, { url, secret, event, source: 'send', signature: /** @type {SignatureMode} */ (signature), pretty: input.pretty === true });
	return tracked(state, attempt(state, d, false));
}

/** @param {State} state @param {number} [timeoutMs] @returns {Promise<void>} */
function waitForDeliveries(state, timeoutMs = 10000) {
	if (state.webhookPending === 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => {
			const i = state.webhookIdleWaiters.indexOf(done);
			if (i >= 0) state.webhookIdleWaiters.splice(i, 1);
			reject(new Error(`webhook deliveries still pending after ${timeoutMs} ms`));
		}, timeoutMs);
		const done = () => {
			clearTimeout(t);
			resolve();
		};
		state.webhookIdleWaiters.push(done);
	});
}

/** @param {State} state @param {unknown} patch @returns {WebhookConfig} */
function configureWebhooks(state, patch) {
	if (!isObject(patch)) throw new WebhookInputError('The webhook config must be an object.');
	rejectUnknown(patch, ['maxAttempts', 'retryDelayMs', 'timeoutMs']);
	const next = { ...state.webhookConfig };
	/** @param {'maxAttempts' | 'retryDelayMs' | 'timeoutMs'} k @param {number} min @param {number} max */
	const num = (k, min, max) => {
		const v = patch[k];
		if (v === undefined) return;
		if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new WebhookInputError(`${k} must be an integer from ${min} to ${max}.`);
		next[k] = v;
	};
	num('maxAttempts', 1, 20);
	num('retryDelayMs', 0, 600000);
	num('timeoutMs', 1, 120000);
	state.webhookConfig = next;
	return { ...next };
}

module.exports = {
	EVENT_TYPES,
	SIGNATURE_MODES,
	WebhookInputError,
	sign,
	registerWebhook,
	listWebhooks,
	removeWebhooks,
	dispatch,
	redeliver,
	sendWebhook,
	waitForDeliveries,
	configureWebhooks,
};
