// @ts-check
'use strict';

/** In-memory data of one sandbox: merchants, resources and the stores around them. */

const crypto = require('node:crypto');
const { IdempotencyStore } = require('./idempotency');
const { Faults } = require('./faults');
const { RequestLog } = require('./record');

/**
 * @typedef {import('./cards').Card} Card
 * @typedef {'NEEDS_VERIFY' | 'OK' | 'SKIPPED' | 'ERRORED'} VerificationStatus
 * @typedef {{
 *   id: string, merchant: string, amount: number, currency: string, returnUrl: string,
 *   card: Card, customerId: string | null, status: VerificationStatus,
 *   authResult: Record<string, string | null> | null, authenticationUrl: string,
 *   createdAt: number, verifiedAt: number | null, failedAttempts: number,
 *   sessionId: string | null, paymentId: string | null
 * }} SecureToken
 * @typedef {{
 *   id: string, merchant: string, email: string | null, currency: string | null,
 *   metadata: Record<string, string>, locale: string | null, card: Card,
 *   scenario: string | null, createdAt: number, seq: number
 * }} Customer
 * @typedef {'pending' | 'authorized' | 'captured' | 'cancelled' | 'expired' | 'refunded' | 'failed'} PaymentStatus
 * @typedef {{ id: string, amount: number, currency: string, description: string | null, createdAt: number }} Refund
 * @typedef {'slip' | 'redirect' | 'prepaid'} MethodFlow
 * @typedef {{ image: string, expiresAt: number }} Barcode
 * @typedef {{
 *   type: string, flow: MethodFlow, details: Record<string, unknown>, captureOnApproval: boolean, barcode: Barcode | null
 * }} MethodPayment a payment by another method than a card: `details` is its `payment_details` as shown
 * @typedef {{
 *   id: string, amount: number, customerName: string, bankName: string, bankCode: string | null,
 *   branchName: string | null, branchNumber: string, accountType: string, accountNumber: string,
 *   includePaymentMethodFee: boolean, description: string | null, status: 'pending' | 'completed' | 'rejected',
 *   createdAt: number
 * }} RefundRequest
 * @typedef {{
 *   id: string, merchant: string, seq: number, status: PaymentStatus, amount: number, tax: number,
 *   currency: string, customerId: string | null, card: Card | null, method: MethodPayment | null,
 *   description: string | null, paymentDeadline: number | null,
 *   capturedAt: number | null, externalOrderNum: string | null, metadata: Record<string, string>,
 *   createdAt: number, amountRefunded: number, locale: string | null, sessionId: string | null,
 *   customerFamilyName: string | null, customerGivenName: string | null,
 *   refunds: Refund[], refundRequests: RefundRequest[], source: string, fraudDetails: Record<string, string> | null,
 *   returnUrl: string | null, cancelUrl: string | null, taxAuto: boolean
 * }} Payment
 * @typedef {{
 *   id: string, merchant: string, card: Card, currency: string | null, createdAt: number,
 *   usedAt: number | null, paymentId: string | null
 * }} Token
 * @typedef {{
 *   id: string, merchant: string, mode: 'payment' | 'customer' | 'customer_payment',
 *   amount: number | null, currency: string | null, returnUrl: string | null, email: string | null,
 *   expiresAt: number, externalCustomerId: string | null, paymentTypes: string[],
 *   defaultLocale: string | null, lineItems: Record<string, unknown>[], metadata: Record<string, string>,
 *   paymentData: Record<string, string>, scenario: string | null,
 *   status: 'pending' | 'completed' | 'cancelled', createdAt: number, cancelledAt: number | null,
 *   completedAt: number | null, paymentId: string | null, customerId: string | null
 * }} Session
 * @typedef {import('./subscriptions').Subscription} Subscription
 * @typedef {import('./settlements').Settlement} Settlement
 * @typedef {import('./chargebacks').Chargeback} Chargeback
 * @typedef {import('./webhooks').Webhook} Webhook
 * @typedef {import('./webhooks').Delivery} Delivery
 * @typedef {import('./webhooks').DeliveryAttempt} DeliveryAttempt
 * @typedef {import('./webhooks').WebhookConfig} WebhookConfig
 * @typedef {{
 *   id: string, type: string, resource: 'event', data: unknown, created_at: string, reason: null
 * }} KomojuEvent
 * @typedef {{ merchant: string, seq: number, createdAt: number, event: KomojuEvent }} StoredEvent
 * @typedef {{ key: string, kind: 'secret' | 'publishable', merchant: string }} ApiKey
 * @typedef {{ latencyMs: number, rateLimitPerSecond: number }} SandboxConfig
 * @typedef {{
 *   keys: Map<string, ApiKey>,
 *   defaultApiVersion: string,
 *   baseUrl: string,
 *   initialConfig: SandboxConfig,
 *   config: SandboxConfig,
 *   clockOffset: number,
 *   baseClock: () => number,
 *   clock: () => number,
 *   secureTokens: Map<string, SecureToken>,
 *   customers: Map<string, Customer>,
 *   payments: Map<string, Payment>,
 *   tokens: Map<string, Token>,
 *   sessions: Map<string, Session>,
 *   subscriptions: Map<string, Subscription>,
 *   settlements: Map<string, Settlement>,
 *   chargebacks: Map<string, Chargeback>,
 *   resourceSeq: number,
 *   idempotency: IdempotencyStore,
 *   faults: Faults,
 *   log: RequestLog,
 *   rateWindow: number[],
 *   timers: Set<NodeJS.Timeout>,
 *   events: Map<string, StoredEvent>,
 *   eventSeq: number,
 *   webhooks: Map<string, Webhook>,
 *   deliveries: Map<string, Delivery>,
 *   deliveryLog: DeliveryAttempt[],
 *   deliverySeq: number,
 *   initialWebhookConfig: WebhookConfig,
 *   webhookConfig: WebhookConfig,
 *   webhookEpoch: number,
 *   webhookTimers: Set<NodeJS.Timeout>,
 *   webhookRequests: Set<import('node:http').ClientRequest>,
 *   webhookPending: number,
 *   webhookIdleWaiters: Array<() => void>,
 *   contract: import('./contract').ContractJudge,
 * }} State
 */

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 25 lower-case alphanumeric characters, KOMOJU's documented id form. */
function newId() {
	let id = '';
	while (id.length < 25) {
		for (const byte of crypto.randomBytes(32)) {
			if (byte < 252 && id.length < 25) id += ID_ALPHABET[byte % 36];
		}
	}
	return id;
}

const JST_OFFSET_MS = 9 * 3600 * 1000;

/**
 * A timestamp as KOMOJU's answers show it: Japan time, in whole seconds, with `.000` and the
 * offset (`2020-12-09T18:26:59.000+09:00`). Whole seconds because lists filter and sort by the
 * shown second; parsers (Date.parse) read the offset.
 * @param {number} ms
 */
function iso(ms) {
	return isoExact(Math.floor(ms / 1000) * 1000);
}

/** The same form, keeping the milliseconds (a list's echoed `start_time` / `end_time`). @param {number} ms */
function isoExact(ms) {
	return new Date(ms + JST_OFFSET_MS).toISOString().replace(/Z$/, '+09:00');
}

/** Webhook delivery settings used when startSandbox gets none. @type {WebhookConfig} */
const DEFAULT_WEBHOOK_CONFIG = { maxAttempts: 4, retryDelayMs: 1000, timeoutMs: 5000 };

/**
 * @param {{ secretKeys: string[], publishableKeys: string[], defaultApiVersion: string,
 *   config: SandboxConfig, now?: () => number, webhookConfig?: WebhookConfig,
 *   contract: import('./contract').ContractJudge }} opts
 * @returns {State}
 */
function createState(opts) {
	/** @type {Map<string, ApiKey>} */
	const keys = new Map();
	/** @param {string} key @param {'secret' | 'publishable'} kind @param {number} i */
	const addKey = (key, kind, i) => {
		if (typeof key !== 'string' || key === '' || key.includes(':')) throw new Error(`Invalid ${kind} key`);
		if (keys.has(key)) throw new Error(`API key given twice: ${key}`);
		keys.set(key, { key, kind, merchant: `merchant_${i + 1}` });
	};
	opts.secretKeys.forEach((k, i) => addKey(k, 'secret', i));
	opts.publishableKeys.forEach((k, i) => addKey(k, 'publishable', i));

	const baseClock = opts.now || Date.now;
	/** @type {State} */
	const state = {
		keys,
		defaultApiVersion: opts.defaultApiVersion,
		baseUrl: '',
		initialConfig: { ...opts.config },
		config: { ...opts.config },
		clockOffset: 0,
		baseClock,
		clock: () => state.baseClock() + state.clockOffset,
		secureTokens: new Map(),
		customers: new Map(),
		payments: new Map(),
		tokens: new Map(),
		sessions: new Map(),
		subscriptions: new Map(),
		settlements: new Map(),
		chargebacks: new Map(),
		resourceSeq: 0,
		idempotency: /** @type {IdempotencyStore} */ (/** @type {unknown} */ (null)),
		faults: new Faults(),
		log: new RequestLog(),
		rateWindow: [],
		timers: new Set(),
		events: new Map(),
		eventSeq: 0,
		webhooks: new Map(),
		deliveries: new Map(),
		deliveryLog: [],
		deliverySeq: 0,
		initialWebhookConfig: { ...(opts.webhookConfig || DEFAULT_WEBHOOK_CONFIG) },
		webhookConfig: { ...(opts.webhookConfig || DEFAULT_WEBHOOK_CONFIG) },
		webhookEpoch: 0,
		webhookTimers: new Set(),
		webhookRequests: new Set(),
		webhookPending: 0,
		webhookIdleWaiters: [],
		contract: opts.contract,
	};
	state.idempotency = new IdempotencyStore(state.clock);
	return state;
}

/**
 * Stops every webhook delivery: scheduled retries, requests in flight, and wakes
 * waiters. Results that arrive later are ignored (the epoch has moved on).
 * @param {State} state
 */
function stopDeliveries(state) {
	state.webhookEpoch += 1;
	for (const t of state.webhookTimers) clearTimeout(t);
	state.webhookTimers.clear();
	for (const r of state.webhookRequests) r.destroy();
	state.webhookRequests.clear();
	state.webhookPending = 0;
	const waiters = state.webhookIdleWaiters.splice(0);
	for (const w of waiters) w();
}

/**
 * Forgets everything: resources, events, webhooks, deliveries, idempotency keys, faults, requests, config, clock offset.
 * Not the contract tally: it is the record of the whole run.
 * @param {State} state
 */
function resetState(state) {
	stopDeliveries(state);
	state.events.clear();
	state.eventSeq = 0;
	state.webhooks.clear();
	state.deliveries.clear();
	state.deliveryLog.length = 0;
	state.deliverySeq = 0;
	state.webhookConfig = { ...state.initialWebhookConfig };
	state.secureTokens.clear();
	state.customers.clear();
	state.payments.clear();
	state.tokens.clear();
	state.sessions.clear();
	state.subscriptions.clear();
	state.settlements.clear();
	state.chargebacks.clear();
	state.resourceSeq = 0;
	state.idempotency.clear();
	state.faults.clear();
	state.log.clear();
	state.rateWindow.length = 0;
	state.config = { ...state.initialConfig };
	state.clockOffset = 0;
}

/** The next recording number, used to order resources created within one second. @param {State} state */
function nextSeq(state) {
	state.resourceSeq += 1;
	return state.resourceSeq;
}

module.exports = { createState, resetState, stopDeliveries, newId, iso, isoExact, nextSeq, DEFAULT_WEBHOOK_CONFIG };
