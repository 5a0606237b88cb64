// @ts-check
'use strict';

/**
 * Subscriptions (contract `SubscriptionsApi`): a recurring charge of a customer's stored card,
 * weekly, monthly or yearly; created, read, listed and deleted, never changed. Creating one
 * charges the first period at once (as KOMOJU's subscription payment links do); the sandbox
 * has no scheduler, so a test bills each later period with `billSubscription` (the control
 * `POST /__sandbox/subscriptions/{id}/bill`), as KOMOJU would on `next_capture_at`.
 *
 *   create ─→ active ──bill ok──→ active (next period)
 *                    ──bill fails──→ active, retry_count + 1 ──3rd failure──→ suspended
 *   delete (active or suspended) ─→ cancelled
 */

const { ApiError, missing } = require('./errors');
const { rejectUnknown, requireAmount, requireCurrency, optionalEnum, metadata } = require('./validate');
const { newId, iso, nextSeq } = require('./state');
const { recordEvent } = require('./events');
const { chargeableCustomer } = require('./customers');
const { storePayment, present: presentPayment } = require('./payments');
const { findOwned, parseListQuery, listBody, noQuery } = require('./lists');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').State} State
 * @typedef {import('./state').Customer} Customer
 * @typedef {'weekly' | 'monthly' | 'yearly'} Period
 * @typedef {{
 *   id: string, merchant: string, seq: number, status: 'active' | 'suspended' | 'cancelled',
 *   amount: number, currency: string, customerId: string, customer: Customer, period: Period, day: number,
 *   retryCount: number, retryAt: number | null, nextCaptureAt: number, createdAt: number,
 *   endedAt: number | null, metadata: Record<string, string>, paymentIds: string[],
 * }} Subscription
 */

const CREATE_FIELDS = new Set(['customer', 'amount', 'currency', 'period', 'metadata']);
const PERIODS = /** @type {const} */ (['weekly', 'monthly', 'yearly']);
/** Failed charges in a row after which the subscription is suspended (KOMOJU does not publish its number). */
const MAX_FAILED_CHARGES = 3;
const DAY_MS = 24 * 3600 * 1000;
/** Periods are counted on Japan's calendar, as KOMOJU's timestamps are shown. */
const JST_OFFSET_MS = 9 * 3600 * 1000;

/** @param {Env & { scenario: string | null }} env @returns {Result} */
function createSubscription(env) {
	const { state, auth, body } = env;
	rejectUnknown(body, CREATE_FIELDS, '');
	if (body.customer === undefined || body.customer === null || body.customer === '') throw missing('customer');
	const amount = requireAmount(body.amount, 'amount');
	const currency = requireCurrency(body.currency, 'currency');
	if (body.period === undefined || body.period === null || body.period === '') throw missing('period');
	const period = /** @type {Period} */ (optionalEnum(body.period, 'period', PERIODS));
	const meta = metadata(body.metadata, 'metadata');
	// The first period is charged now: a card that cannot pay creates nothing, as for a payment.
	const customer = chargeableCustomer(state, auth, body.customer);
	const now = state.clock();
	/** @type {Subscription} */
	const subscription = {
		id: newId(),
		merchant: auth.merchant,
		seq: nextSeq(state),
		status: 'active',
		amount,
		currency,
		customerId: customer.id,
		customer: { ...customer },
		period,
		day: anchorDay(now, period),
		retryCount: 0,
		retryAt: null,
		nextCaptureAt: now,
		createdAt: now,
		endedAt: null,
		metadata: meta,
		paymentIds: [],
	};
	charge(state, subscription, customer);
	state.subscriptions.set(subscription.id, subscription);
	recordEvent(state, subscription.merchant, 'subscription.created', present(state, subscription));
	recordEvent(state, subscription.merchant, 'subscription.captured', present(state, subscription));
	return { status: 200, body: present(state, subscription) };
}

/**
 * Charges the period due at `nextCaptureAt` with the customer's stored card: a captured payment of
 * exactly `amount` (the contract's subscription has no tax field, so none is added), then the
 * next period is due.
 * @param {State} state @param {Subscription} subscription @param {Customer} customer
 */
function charge(state, subscription, customer) {
	const payment = storePayment(state, {
		merchant: subscription.merchant, amount: subscription.amount, tax: 0, taxAuto: false, currency: subscription.currency,
		customerId: customer.id, card: customer.card, description: null, externalOrderNum: null, metadata: {}, locale: null,
		sessionId: null, capture: true, source: 'customer', fraudDetails: null, returnUrl: null, cancelUrl: null,
	});
	subscription.paymentIds.push(payment.id);
	subscription.nextCaptureAt = nextCapture(subscription.nextCaptureAt, subscription.period, subscription.day);
	subscription.retryCount = 0;
	subscription.retryAt = null;
	return payment;
}

/**
 * Bills the period due, as KOMOJU's scheduler would at `next_capture_at` (the sandbox control;
 * the clock is not moved). A charge that fails (the customer was deleted, its card expired, an
 * `insufficient_funds` customer) records `subscription.failed` and a retry a day later; the
 * third failure in a row suspends the subscription (`subscription.suspended`).
 * @param {State} state @param {string} id
 * @returns {{ subscription: ReturnType<typeof present>, payment: ReturnType<typeof presentPayment> | null, events: string[] }}
 */
function billSubscription(state, id) {
	const subscription = state.subscriptions.get(id);
	if (!subscription) throw new SubscriptionControlError(404, `No subscription ${id}.`);
	if (subscription.status !== 'active') {
		throw new SubscriptionControlError(400, `Subscription ${id} is ${subscription.status}: only an active subscription is billed.`);
	}
	/** @type {Customer | null} */
	let customer = null;
	try {
		// KOMOJU charges on the merchant's behalf: the merchant's own view of its customer decides.
		customer = chargeableCustomer(state, { key: '', kind: 'secret', merchant: subscription.merchant }, subscription.customerId);
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
	}
	if (customer === null) {
		subscription.retryCount += 1;
		const events = ['subscription.failed'];
		if (subscription.retryCount >= MAX_FAILED_CHARGES) {
			subscription.status = 'suspended';
			subscription.retryAt = null;
			events.push('subscription.suspended');
		} else {
			subscription.retryAt = state.clock() + DAY_MS;
		}
		for (const type of events) recordEvent(state, subscription.merchant, type, present(state, subscription));
		return { subscription: present(state, subscription), payment: null, events };
	}
	subscription.customer = { ...customer };
	const payment = charge(state, subscription, customer);
	recordEvent(state, subscription.merchant, 'subscription.captured', present(state, subscription));
	return { subscription: present(state, subscription), payment: presentPayment(payment), events: ['payment.captured', 'subscription.captured'] };
}

/** A control request the sandbox refuses (404 unknown subscription, 400 not billable). */
class SubscriptionControlError extends Error {
	/** @param {number} status @param {string} message */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/** @param {Env} env */
function find(env) {
	return findOwned(env.state.subscriptions, env, 'subscription');
}

/** @param {Env} env @returns {Result} */
function getSubscription(env) {
	noQuery(env.query);
	return { status: 200, body: present(env.state, find(env)) };
}

/** @param {Env} env @returns {Result} */
function listSubscriptions(env) {
	const q = parseListQuery(env.query, []);
	const mine = [...env.state.subscriptions.values()].filter((s) => s.merchant === env.auth.merchant);
	return { status: 200, body: listBody(mine, q, (s) => present(env.state, s), 'subscription_list', env.state.clock()) };
}

/**
 * DELETE: no further charges; the subscription stays readable as `cancelled` with `ended_at`.
 * Deleting it again answers it unchanged and records nothing (the first delete's answer may
 * have been lost: a repeat must not act twice).
 * @param {Env} env @returns {Result}
 */
function deleteSubscription(env) {
	noQuery(env.query);
	const subscription = find(env);
	if (subscription.status !== 'cancelled') {
		subscription.status = 'cancelled';
		subscription.endedAt = env.state.clock();
		subscription.retryAt = null;
		recordEvent(env.state, subscription.merchant, 'subscription.deleted', present(env.state, subscription));
	}
	return { status: 200, body: present(env.state, subscription) };
}

/** Day of the period the charges fall on: the weekday (1 Monday … 7 Sunday) or the day of the month. @param {number} ms @param {Period} period */
function anchorDay(ms, period) {
	const jst = new Date(ms + JST_OFFSET_MS);
	return period === 'weekly' ? jst.getUTCDay() || 7 : jst.getUTCDate();
}

/**
 * The next charge after `ms`: a week later, or the anchor day of the next month (or year),
 * the month's last day when it has no such day (the 31st → 30 April).
 * @param {number} ms @param {Period} period @param {number} day
 */
function nextCapture(ms, period, day) {
	if (period === 'weekly') return ms + 7 * DAY_MS;
	const jst = new Date(ms + JST_OFFSET_MS);
	const year = jst.getUTCFullYear();
	const month = jst.getUTCMonth() + (period === 'monthly' ? 1 : 12);
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	return Date.UTC(year, month, Math.min(day, lastDay), jst.getUTCHours(), jst.getUTCMinutes(), jst.getUTCSeconds()) - JST_OFFSET_MS;
}

/**
 * The customer as the contract's `SubscriptionCustomer` shows it: its numeric `id` (the sandbox's
 * recording number) and `uuid` (the public id); `currency` and `locale` are required there, so a
 * customer without them shows the subscription's currency and `ja`. A customer deleted since is
 * shown as it was when it was last charged.
 * @param {State} state @param {Subscription} s
 */
function presentCustomer(state, s) {
	const live = state.customers.get(s.customerId);
	const c = live && live.merchant === s.merchant ? live : s.customer;
	return {
		id: c.seq,
		uuid: c.id,
		merchant_id: merchantNumber(s.merchant),
		created_at: iso(c.createdAt),
		updated_at: iso(c.createdAt),
		email: c.email,
		currency: c.currency || s.currency,
		locale: c.locale || 'ja',
		name: c.card.name || null,
		phone: null,
		archived_at: null,
	};
}

/** `merchant_1` → 1: the contract's numeric merchant id. @param {string} merchant */
function merchantNumber(merchant) {
	return Number(merchant.slice('merchant_'.length));
}

/**
 * The subscription as the API answers it (the contract's `Subscription`; `payment_details` has
 * `month` and `year` as strings there, and a required `email`, "" when the card has none).
 * @param {State} state @param {Subscription} s
 */
function present(state, s) {
	const card = s.customer.card;
	return {
		id: s.id,
		resource: 'subscription',
		status: s.status,
		amount: s.amount,
		currency: s.currency,
		customer: presentCustomer(state, s),
		period: s.period,
		day: s.day,
		payment_details: { type: 'credit_card', month: String(card.month).padStart(2, '0'), year: String(card.year), email: card.email || s.customer.email || '' },
		retry_count: s.retryCount,
		retry_at: s.retryAt === null ? null : iso(s.retryAt),
		next_capture_at: iso(s.nextCaptureAt),
		created_at: iso(s.createdAt),
		ended_at: s.endedAt === null ? null : iso(s.endedAt),
		metadata: { ...s.metadata },
		payments: [...s.paymentIds],
	};
}

/** Sandbox-only view: the API object plus the merchant. @param {State} state @param {Subscription} s */
function view(state, s) {
	return { ...present(state, s), merchant: s.merchant };
}

module.exports = {
	createSubscription,
	getSubscription,
	listSubscriptions,
	deleteSubscription,
	billSubscription,
	SubscriptionControlError,
	merchantNumber,
	present,
	view,
};
