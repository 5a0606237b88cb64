// @ts-check
'use strict';

/**
 * The test controls of the payment methods' asynchronous life (`/__sandbox`, sandbox/README.md):
 *
 *   POST /__sandbox/payments/{id}/pay                    the customer pays a slip payment (slips.js)
 *   POST /__sandbox/payments/{id}/expire                 a slip payment's deadline is now: it expires
 *   POST /__sandbox/refund_requests/{id}/complete        KOMOJU transfers the refund (refund-requests.js)
 *   POST /__sandbox/refund_requests/{id}/reject          KOMOJU rejects the refund request
 *
 * Each answers 200 with the payment as the API shows it, 404 for an unknown id, 422 when the
 * payment's or request's state refuses it.
 */

const { errorBody } = require('./errors');
const slips = require('./slips');
const refundRequests = require('./refund-requests');

/**
 * @typedef {import('./state').State} State
 * @typedef {ReturnType<typeof import('./payments').present>} PaymentObject
 */

/** @type {Array<[RegExp, (state: State, id: string) => PaymentObject]>} */
const CONTROLS = [
	[/^POST \/__sandbox\/payments\/([^/]+)\/pay$/, slips.payAtStore],
	[/^POST \/__sandbox\/payments\/([^/]+)\/expire$/, slips.expireNow],
	[/^POST \/__sandbox\/refund_requests\/([^/]+)\/complete$/, refundRequests.completeRefundRequest],
	[/^POST \/__sandbox\/refund_requests\/([^/]+)\/reject$/, refundRequests.rejectRefundRequest],
];

/**
 * The answer to one of these controls, or null when `route` ("METHOD /path") is none of them.
 * @param {State} state @param {string} route @returns {{ status: number, body: unknown } | null}
 */
function methodControl(state, route) {
	for (const [re, run] of CONTROLS) {
		const m = re.exec(route);
		if (!m) continue;
		let id;
		try {
			id = decodeURIComponent(m[1]);
		} catch {
			return { status: 400, body: errorBody('bad_request', 'The path has invalid percent-encoding.') };
		}
		try {
			return { status: 200, body: run(state, id) };
		} catch (e) {
			if (e instanceof slips.ControlError) return { status: e.status, body: errorBody(e.code, e.message) };
			throw e;
		}
	}
	return null;
}

/**
 * A handle method for a control: the payment as the API shows it, or an Error with the control's message.
 * @param {State} state @param {(state: State, id: string) => PaymentObject} run
 * @returns {(id: string) => PaymentObject}
 */
function handleMethod(state, run) {
	return (id) => {
		try {
			return run(state, id);
		} catch (e) {
			if (e instanceof slips.ControlError) throw new Error(e.message);
			throw e;
		}
	};
}

module.exports = { methodControl, handleMethod };
