// @ts-check
'use strict';

/**
 * Refund requests (contract `createRefundRequest`, `POST /payments/{id}/refund_request`): konbini,
 * bank transfer and pay-easy payments cannot be refunded directly, so the merchant asks KOMOJU to
 * transfer the money to the customer's bank account. The request is recorded `pending` on the
 * payment's `refund_requests`; KOMOJU then completes it (the money is refunded) or rejects it (a
 * wrong account). The sandbox does both by control (`/__sandbox/refund_requests/{id}/complete`,
 * `/reject`).
 */

const { ApiError, invalid, missing } = require('./errors');
const { isBlank, rejectUnknown, optionalString, nonNegativeInteger } = require('./validate');
const { newId } = require('./state');
const payments = require('./payments');
const { needsRefundRequest, displayName } = require('./payment-methods');
const { ControlError } = require('./slips');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').State} State
 * @typedef {import('./state').Payment} Payment
 * @typedef {import('./state').RefundRequest} RefundRequest
 */

const FIELDS = new Set([
	'amount', 'customer_name', 'bank_name', 'bank_code', 'branch_name', 'branch_number', 'account_type', 'account_number',
	'include_payment_method_fee', 'description', 'platform_details',
]);
const ACCOUNT_TYPES = ['normal', 'checking', 'savings'];
/**
 * An account holder's name as Japanese banks register it (the Zengin character set): half-width
 * katakana, upper-case letters, digits, spaces and `( ) . - /`, with at least one katakana.
 */
const HALF_WIDTH_NAME = /^[\uFF66-\uFF9F0-9A-Z ().\-/]+$/;
const HAS_HALF_WIDTH_KANA = /[\uFF66-\uFF9D]/;

/** @param {unknown} v @param {string} param */
function requiredString(v, param) {
	if (isBlank(v)) throw missing(param);
	return /** @type {string} */ (optionalString(v, param));
}

/** @param {unknown} v @param {string} param @param {number} n */
function digitString(v, param, n) {
	const s = optionalString(v, param);
	if (s !== undefined && !new RegExp(`^\\d{${n}}$`).test(s)) throw invalid(param, `must be ${n} digits`);
	return s;
}

/**
 * What is left to ask for: the total (tax included) less what was refunded and what pending
 * requests already ask for.
 * @param {Payment} p
 */
function leftToRequest(p) {
	const pending = p.refundRequests.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.amount, 0);
	return payments.totalOf(p) - p.amountRefunded - pending;
}

/**
 * POST /payments/{id}/refund_request. Checked in order: unknown parameters, each parameter's
 * presence and format, the payment's method (one refunded directly is refused), its status
 * (captured), then `amount` against what is left. Answers the payment with the request added
 * (the contract models no answer body).
 * @param {Env} env @returns {Result}
 */
function createRefundRequest(env) {
	const { state, body } = env;
	const payment = payments.find(env);
	rejectUnknown(body, FIELDS, '');
	if (body.platform_details !== undefined) throw invalid('platform_details', 'this merchant is not a platform-model merchant');
	if (isBlank(body.amount)) throw missing('amount');
	const amount = nonNegativeInteger(body.amount, 'amount');
	if (amount === 0) throw invalid('amount', 'must be greater than 0');
	const customerName = requiredString(body.customer_name, 'customer_name');
	if (!(HALF_WIDTH_NAME.test(customerName) && HAS_HALF_WIDTH_KANA.test(customerName))) {
		throw invalid('customer_name', 'must be the account holder name in half-width katakana, as registered at the bank (e.g. ﾔﾏﾀﾞ ﾀﾛｳ)');
	}
	const bankName = requiredString(body.bank_name, 'bank_name');
	const bankCode = digitString(body.bank_code, 'bank_code', 4);
	const branchName = optionalString(body.branch_name, 'branch_name');
	if (isBlank(body.branch_number)) throw missing('branch_number');
	const branchNumber = /** @type {string} */ (digitString(body.branch_number, 'branch_number', 3));
	if (isBlank(body.account_type)) throw missing('account_type');
	if (typeof body.account_type !== 'string' || !ACCOUNT_TYPES.includes(body.account_type)) throw invalid('account_type', `must be one of ${ACCOUNT_TYPES.join(', ')}`);
	if (isBlank(body.account_number)) throw missing('account_number');
	const accountNumber = nonNegativeInteger(body.account_number, 'account_number');
	if (accountNumber > 9999999) throw invalid('account_number', 'must be a number of at most 7 digits');
	if (body.include_payment_method_fee === undefined || body.include_payment_method_fee === null) throw missing('include_payment_method_fee');
	if (typeof body.include_payment_method_fee !== 'boolean') throw invalid('include_payment_method_fee', 'must be true or false');
	const description = optionalString(body.description, 'description') || null;

	const type = payment.method ? payment.method.type : 'credit_card';
	if (!needsRefundRequest(type)) {
		throw new ApiError(
			422,
			'unprocessable_entity',
			`${displayName(type)} payments are refunded directly (POST /payments/${payment.id}/refund); refund requests are for konbini, bank transfer and pay-easy payments.`,
			null,
		);
	}
	if (payment.status !== 'captured') throw payments.wrongStatus(payment, 'not_refundable', 'refunded', 'captured');
	const left = leftToRequest(payment);
	if (amount > left) {
		throw invalid('amount', `must not exceed what is left to refund, tax included, less pending refund requests (${left} ${payment.currency})`);
	}
	payment.refundRequests.push({
		id: newId(),
		amount,
		customerName,
		bankName,
		bankCode: bankCode === undefined ? null : bankCode,
		branchName: branchName === undefined || branchName === '' ? null : branchName,
		branchNumber,
		accountType: body.account_type,
		// a number in the request loses leading zeros; shown as the 7-digit string RefundRequest has
		accountNumber: String(accountNumber).padStart(7, '0'),
		includePaymentMethodFee: body.include_payment_method_fee,
		description,
		status: 'pending',
		createdAt: state.clock(),
	});
	return { status: 200, body: payments.present(payment) };
}

/** @param {State} state @param {string} id @returns {{ payment: Payment, request: RefundRequest }} */
function findRequest(state, id) {
	for (const payment of state.payments.values()) {
		const request = payment.refundRequests.find((r) => r.id === id);
		if (request) return { payment, request };
	}
	throw new ControlError(404, 'not_found', `No refund request ${id}.`);
}

/** @param {RefundRequest} r @param {string} verb */
function mustBePending(r, verb) {
	if (r.status !== 'pending') throw new ControlError(422, 'unprocessable_entity', `Refund request ${r.id} cannot be ${verb}: its status is ${r.status}.`);
}

/**
 * KOMOJU has transferred the money: the request is `completed` and the payment refunded by its
 * amount, as a direct refund would (`payment.refund.created`, then `payment.refunded` when nothing is left).
 * @param {State} state @param {string} id @returns {ReturnType<typeof payments.present>} the payment as the API shows it
 */
function completeRefundRequest(state, id) {
	const { payment, request } = findRequest(state, id);
	mustBePending(request, 'completed');
	request.status = 'completed';
	payment.refunds.push({ id: newId(), amount: request.amount, currency: payment.currency, description: request.description, createdAt: state.clock() });
	payment.amountRefunded += request.amount;
	const types = ['payment.refund.created'];
	if (payment.amountRefunded === payments.totalOf(payment)) {
		payment.status = 'refunded';
		types.push('payment.refunded');
	}
	payments.changed(state, payment, types);
	return payments.present(payment);
}

/**
 * KOMOJU could not transfer (e.g. a wrong account): the request is `rejected` and nothing is
 * refunded. No event: KOMOJU's `refund_request.updated` is for platform-model merchants only.
 * @param {State} state @param {string} id @returns {ReturnType<typeof payments.present>} the payment as the API shows it
 */
function rejectRefundRequest(state, id) {
	const { payment, request } = findRequest(state, id);
	mustBePending(request, 'rejected');
	request.status = 'rejected';
	return payments.present(payment);
}

module.exports = { createRefundRequest, completeRefundRequest, rejectRefundRequest };
