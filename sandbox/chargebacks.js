// @ts-check
'use strict';

/**
 * Chargebacks (contract `ChargebacksApi`): a customer's bank disputes a captured payment, and
 * the merchant accepts (concedes the money) or defends it before the due date. The sandbox has
 * no card network: a test opens one with `openChargeback` (the control
 * `POST /__sandbox/chargebacks`). Accepting books the disputed amount out of the ledger
 * (sandbox/settlements.js); defending is not modelled.
 *
 *   open ─→ pending ──accept──→ accepted
 *                   ──due date passes──→ expired
 */

const { ApiError, invalid } = require('./errors');
const { newId, iso, nextSeq } = require('./state');
const { findOwned, parseListQuery, listBody, newestFirst, noQuery, isoTime } = require('./lists');
const { present: presentPayment } = require('./payments');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').State} State
 * @typedef {'pending' | 'accepted' | 'expired'} ChargebackStatus
 * @typedef {{
 *   id: string, merchant: string, seq: number, paymentId: string, amount: number, currency: string,
 *   reasonCode: string, reason: string, createdAt: number, dueAt: number, acceptedAt: number | null,
 * }} Chargeback
 */

const STATUSES = ['pending', 'accepted', 'cancelled', 'expired', 'defended', 'lost'];
const DAY_MS = 24 * 3600 * 1000;
/** How long the merchant has to answer a chargeback the sandbox opens, unless the test says otherwise. */
const DEFAULT_DUE_DAYS = 7;

/** A control request the sandbox refuses (400). */
class ChargebackControlError extends Error {}

/**
 * Opens a chargeback on a captured payment (the sandbox control). It disputes what the customer
 * paid and has not got back (`total − amount_refunded`); a payment has one open chargeback at most.
 * @param {State} state
 * @param {{ payment?: unknown, reasonCode?: unknown, reason?: unknown, dueInDays?: unknown }} input
 */
function openChargeback(state, input) {
	for (const key of Object.keys(input)) {
		if (!['payment', 'reasonCode', 'reason', 'dueInDays'].includes(key)) throw new ChargebackControlError(`Unknown field: ${key}`);
	}
	const payment = typeof input.payment === 'string' ? state.payments.get(input.payment) : undefined;
	if (!payment) throw new ChargebackControlError('Send { "payment": "<id of a captured payment>" }.');
	if (payment.status !== 'captured') throw new ChargebackControlError(`Payment ${payment.id} is ${payment.status}: only a captured payment can be charged back.`);
	if ([...state.chargebacks.values()].some((c) => c.paymentId === payment.id && status(state, c) === 'pending')) {
		throw new ChargebackControlError(`Payment ${payment.id} already has a pending chargeback.`);
	}
	const dueInDays = input.dueInDays ?? DEFAULT_DUE_DAYS;
	if (typeof dueInDays !== 'number' || !Number.isInteger(dueInDays) || dueInDays < 1) throw new ChargebackControlError('dueInDays must be a whole number of days, at least 1.');
	for (const key of /** @type {const} */ (['reasonCode', 'reason'])) {
		if (input[key] !== undefined && (typeof input[key] !== 'string' || input[key] === '')) throw new ChargebackControlError(`${key} must be a non-empty string.`);
	}
	const shown = presentPayment(payment);
	const now = state.clock();
	/** @type {Chargeback} */
	const chargeback = {
		id: newId(),
		merchant: payment.merchant,
		seq: nextSeq(state),
		paymentId: payment.id,
		amount: shown.total - shown.amount_refunded,
		currency: payment.currency,
		reasonCode: /** @type {string | undefined} */ (input.reasonCode) ?? 'CB_Fraud',
		reason: /** @type {string | undefined} */ (input.reason) ?? 'The cardholder does not recognise the payment.',
		createdAt: now,
		dueAt: now + dueInDays * DAY_MS,
		acceptedAt: null,
	};
	state.chargebacks.set(chargeback.id, chargeback);
	return presentDetail(state, chargeback);
}

/** A pending chargeback whose due date has passed is expired (read on the sandbox clock). @param {State} state @param {Chargeback} c @returns {ChargebackStatus} */
function status(state, c) {
	if (c.acceptedAt !== null) return 'accepted';
	return state.clock() > c.dueAt ? 'expired' : 'pending';
}

/** @param {Env} env */
function find(env) {
	return findOwned(env.state.chargebacks, env, 'chargeback request');
}

/** @param {Env} env @returns {Result} */
function showChargebackRequest(env) {
	noQuery(env.query);
	return { status: 200, body: presentDetail(env.state, find(env)) };
}

/**
 * `GET /chargeback_requests`: pending ones first, then newest first (the contract's note; it has
 * no sort parameter). Filters: `status`, `payment_id`, `due_date_start` / `due_date_end` (inclusive).
 * @param {Env} env @returns {Result}
 */
function listChargebackRequests(env) {
	const { state } = env;
	const q = parseListQuery(env.query, ['status', 'payment_id', 'due_date_start', 'due_date_end']);
	const wanted = q.params.status;
	if (wanted !== undefined && !STATUSES.includes(wanted)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
	const dueFrom = isoTime(q.params.due_date_start, 'due_date_start');
	const dueTo = isoTime(q.params.due_date_end, 'due_date_end');
	if (dueFrom !== null && dueTo !== null && dueTo < dueFrom) throw invalid('due_date_end', 'must not be before due_date_start');
	const mine = [...state.chargebacks.values()].filter(
		(c) =>
			c.merchant === env.auth.merchant &&
			(wanted === undefined || status(state, c) === wanted) &&
			(q.params.payment_id === undefined || c.paymentId === q.params.payment_id) &&
			(dueFrom === null || c.dueAt >= dueFrom) &&
			(dueTo === null || c.dueAt <= dueTo),
	);
	/** @param {Chargeback[]} items */
	const pendingFirst = (items) => {
		const sorted = newestFirst(items);
		return [...sorted.filter((c) => status(state, c) === 'pending'), ...sorted.filter((c) => status(state, c) !== 'pending')];
	};
	return { status: 200, body: listBody(mine, q, (c) => presentListItem(state, c), 'list', state.clock(), pendingFirst) };
}

/**
 * `POST /chargeback_requests/{id}/accept`: the merchant concedes; 204 without a body. Only a
 * pending chargeback before its due date; accepting it again answers 204 and changes nothing (the
 * contract's note). Anything else is 422 `unprocessable_entity` (KOMOJU names no code for it).
 * @param {Env} env @returns {{ status: number, text: string }}
 */
function acceptChargebackRequest(env) {
	noQuery(env.query);
	const chargeback = find(env);
	const current = status(env.state, chargeback);
	if (current === 'expired') {
		throw new ApiError(422, 'unprocessable_entity', 'The chargeback cannot be accepted: its due date has passed (status expired).', null);
	}
	if (current === 'pending') chargeback.acceptedAt = env.state.clock();
	return { status: 204, text: '' };
}

/** @param {State} state @param {Chargeback} c */
function paymentMethodOf(state, c) {
	const payment = state.payments.get(c.paymentId);
	const card = payment ? payment.card : null;
	return { type: 'credit_card', brand: card ? card.brand : null, last_four_digits: card ? card.lastFour : null };
}

/** @param {State} state @param {Chargeback} c */
function presentListItem(state, c) {
	return {
		id: c.id,
		payment_id: c.paymentId,
		amount: c.amount,
		currency: c.currency,
		payment_method: paymentMethodOf(state, c),
		reason_code: c.reasonCode,
		reason: c.reason,
		created_at: iso(c.createdAt),
		due_date: iso(c.dueAt),
		status: status(state, c),
	};
}

/**
 * The contract's `ChargebackRequestDetail`. `payment.amount` is the disputed amount; the card is
 * shown masked but for its last four digits; the sandbox collects no defense, so its fields are empty.
 * @param {State} state @param {Chargeback} c
 */
function presentDetail(state, c) {
	const payment = state.payments.get(c.paymentId);
	const current = status(state, c);
	const timeline = [{ type: 'created', occurred_at: iso(c.createdAt) }];
	if (current === 'accepted' && c.acceptedAt !== null) timeline.push({ type: 'accepted', occurred_at: iso(c.acceptedAt) });
	if (current === 'expired') timeline.push({ type: 'expired', occurred_at: iso(c.dueAt) });
	const method = paymentMethodOf(state, c);
	return {
		id: c.id,
		status: current,
		reason_code: c.reasonCode,
		reason: c.reason,
		created_at: iso(c.createdAt),
		due_date: iso(c.dueAt),
		last_updated_at: timeline[timeline.length - 1].occurred_at,
		timeline,
		payment: {
			id: c.paymentId,
			amount: c.amount,
			currency: c.currency,
			created_at: payment ? iso(payment.createdAt) : iso(c.createdAt),
			captured_at: payment && payment.capturedAt !== null ? iso(payment.capturedAt) : null,
			payment_method: method,
			masked_card_number: method.last_four_digits === null ? null : `************${method.last_four_digits}`,
		},
		customer: { name: payment && payment.card && payment.card.name ? payment.card.name : null, email: payment && payment.card && payment.card.email ? payment.card.email : null },
		defense: {
			product_name: null,
			reason: '',
			shipping_info: { company_name: null, shipping_date: null, tracking_number: null, shipping_address: null },
			recipient_info: { name: null, phone: null, email: null },
			documents: [],
		},
	};
}

/** Sandbox-only view: the chargeback as shown, plus the merchant. @param {State} state @param {Chargeback} c */
function view(state, c) {
	return { ...presentDetail(state, c), merchant: c.merchant };
}

module.exports = { openChargeback, ChargebackControlError, showChargebackRequest, listChargebackRequests, acceptChargebackRequest, view };
