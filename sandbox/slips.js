// @ts-check
'use strict';

/**
 * The asynchronous life of slip payments (konbini, bank transfer, pay-easy): created
 * `authorized`, they wait for the customer's cash or transfer until `payment_deadline`.
 *
 * - The customer pays: a sandbox control (`POST /__sandbox/payments/{id}/pay`,
 *   `handle.payAtStore(id)`) captures the payment, with `payment.captured`.
 * - The deadline is brought forward to now (`POST /__sandbox/payments/{id}/expire`,
 *   `handle.expireNow(id)`): for tests that share one sandbox clock with others.
 * - The deadline passes: the payment becomes `expired`, with `payment.expired`, once. KOMOJU runs
 *   this on its own; the sandbox checks whenever its clock is moved and on every HTTP request, so
 *   a payment read or listed after its deadline is already expired.
 */

const payments = require('./payments');
const { displayName } = require('./payment-methods');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').Payment} Payment
 */

/** A control the payment's state refuses, or an unknown payment (the control answers `status`). */
class ControlError extends Error {
	/** @param {number} status @param {string} code @param {string} message */
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** Expires every slip payment whose deadline has come (oldest deadline first). @param {State} state */
function expireDue(state) {
	const now = state.clock();
	const due = [...state.payments.values()]
		.filter((p) => p.status === 'authorized' && p.paymentDeadline !== null && now >= p.paymentDeadline)
		.sort((a, b) => /** @type {number} */ (a.paymentDeadline) - /** @type {number} */ (b.paymentDeadline) || a.seq - b.seq);
	for (const p of due) {
		p.status = 'expired';
		payments.changed(state, p, ['payment.expired']);
	}
}

/** Any merchant's payment (the controls are not scoped to a merchant). @param {State} state @param {string} id @returns {Payment} */
function anyPayment(state, id) {
	const p = state.payments.get(id);
	if (!p) throw new ControlError(404, 'not_found', `No payment ${id}.`);
	return p;
}

/**
 * The customer pays at the store or transfers the money: an authorized slip payment is captured.
 * @param {State} state @param {string} id @returns {ReturnType<typeof payments.present>} the payment as the API shows it
 */
function payAtStore(state, id) {
	expireDue(state);
	const p = anyPayment(state, id);
	if (!p.method || p.method.flow !== 'slip') {
		throw new ControlError(422, 'unprocessable_entity', `Payment ${id} is a ${displayName(p.method ? p.method.type : 'credit_card')} payment: only konbini, bank transfer and pay-easy payments are paid at a store or by transfer.`);
	}
	if (p.status !== 'authorized') {
		throw new ControlError(422, 'unprocessable_entity', `Payment ${id} cannot be paid: its status is ${p.status}. Only authorized (awaiting payment) slip payments can be paid.`);
	}
	p.status = 'captured';
	p.capturedAt = state.clock();
	payments.changed(state, p, ['payment.captured']);
	return payments.present(p);
}

/**
 * The deadline of an authorized slip payment is now: it expires as it would when its day comes,
 * without moving the sandbox clock that every other object shares.
 * @param {State} state @param {string} id @returns {ReturnType<typeof payments.present>}
 */
function expireNow(state, id) {
	expireDue(state);
	const p = anyPayment(state, id);
	if (!p.method || p.method.flow !== 'slip' || p.status !== 'authorized') {
		throw new ControlError(422, 'unprocessable_entity', `Payment ${id} cannot expire now: only an authorized (awaiting payment) slip payment has a deadline to bring forward; its status is ${p.status}.`);
	}
	p.paymentDeadline = state.clock();
	expireDue(state);
	return payments.present(p);
}

module.exports = { ControlError, expireDue, expireNow, payAtStore };
