// @ts-check
'use strict';

/**
 * The customer's pages of payment methods, outside /api/v1 (HTML, no API key), like the 3DS page:
 *
 * - `/offsite/{payment_id}`, a redirect method's own site (`redirect_url`; epospay: `offsite_url`).
 *   GET shows the payment with a form; POST `decision=approve|decline|cancel` settles a pending
 *   payment and answers 302 to `return_url` (cancel: `cancel_url`, else `return_url`) with
 *   `payment_id=<id>` appended. Once settled, the page only redirects again.
 * - `/instructions/{payment_id}`, a slip payment's `instructions_url`: what the customer needs to pay.
 */

const payments = require('./payments');
const { displayName } = require('./payment-methods');
const { appendQuery, redirectTo, htmlError, page, escapeHtml, HTML_TYPE } = require('./secure-tokens');
const { iso } = require('./state');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').Payment} Payment
 * @typedef {{ status: number, headers: Record<string, string>, body: string }} HtmlResult
 */

const OFFSITE = /^\/offsite\/([^/]+)$/;
const INSTRUCTIONS = /^\/instructions\/([^/]+)$/;
const DECISIONS = ['approve', 'decline', 'cancel'];

/** Is this one of these pages? @param {string} path */
function isPage(path) {
	return OFFSITE.test(path) || INSTRUCTIONS.test(path);
}

/** @param {RegExp} re @param {string} path */
function pathId(re, path) {
	const m = re.exec(path);
	if (!m) return '';
	try {
		return decodeURIComponent(m[1]);
	} catch {
		return '';
	}
}

/** @param {number} status @param {string} title @param {string} inner @returns {HtmlResult} */
function html(status, title, inner) {
	return { status, headers: { 'Content-Type': HTML_TYPE }, body: page(title, inner) };
}

/** Where the customer goes back to once the payment is settled. @param {Payment} p */
function backTo(p) {
	const base = p.status === 'cancelled' && p.cancelUrl !== null ? p.cancelUrl : /** @type {string} */ (p.returnUrl);
	return appendQuery(base, 'payment_id', p.id);
}

/** @param {Payment} p */
function summary(p) {
	return `<p>Amount: <span id="total">${payments.totalOf(p)}</span> ${escapeHtml(p.currency)}. Status: <span id="status">${escapeHtml(p.status)}</span>.</p>`;
}

/** @param {Payment} p @param {string | null} error */
function decisionForm(p, error) {
	const name = displayName(/** @type {import('./state').MethodPayment} */ (p.method).type);
	return html(
		200,
		`${name} - KOMOJU sandbox`,
		`<h1>${escapeHtml(name)}</h1>
<p>KOMOJU sandbox: the customer approves or declines this payment on ${escapeHtml(name)}'s site.</p>
${summary(p)}
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>\n` : ''}<form method="post" action="/offsite/${escapeHtml(encodeURIComponent(p.id))}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="decline">Decline</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>`,
	);
}

/**
 * Settles a pending redirect payment: approve → captured (authorized when created with
 * `capture: false`), decline → failed, cancel → cancelled; each with its event.
 * @param {State} state @param {Payment} p @param {string} decision
 */
function decide(state, p, decision) {
	if (decision === 'approve') {
		const capture = /** @type {import('./state').MethodPayment} */ (p.method).captureOnApproval;
		p.status = capture ? 'captured' : 'authorized';
		if (capture) p.capturedAt = state.clock();
	} else {
		p.status = decision === 'decline' ? 'failed' : 'cancelled';
	}
	payments.changed(state, p, [`payment.${p.status}`]);
}

/** @param {State} state @param {string} method @param {string} id @param {Record<string, unknown>} form @returns {HtmlResult} */
function offsitePage(state, method, id, form) {
	const p = state.payments.get(id);
	// only payments sent here have the page: not those approved in a shop (scanned_code) or by a linked account
	const details = p && p.method ? p.method.details : {};
	if (!p || (details.redirect_url === undefined && details.offsite_url === undefined)) return htmlError(404, 'Unknown payment');
	if (p.status !== 'pending') return redirectTo(backTo(p));
	if (method === 'GET') return decisionForm(p, null);
	const decision = form.decision;
	if (typeof decision !== 'string' || !DECISIONS.includes(decision)) return decisionForm(p, 'Choose Approve, Decline or Cancel.');
	decide(state, p, decision);
	return redirectTo(backTo(p));
}

/** @param {Payment} p */
function instructionLines(p) {
	const d = /** @type {import('./state').MethodPayment} */ (p.method).details;
	/** @type {Array<[string, unknown]>} */
	const lines =
		d.type === 'konbini'
			? [['Store', d.store], ['Receipt number', d.receipt], ['Confirmation code', d.confirmation_code]]
			: d.type === 'bank_transfer'
				? [['Bank', d.bank_name], ['Branch', d.account_branch_name], ['Account type', d.account_type], ['Account number', d.account_number], ['Account name', d.account_name]]
				: [['Collector number', d.bank_id], ['Customer number', d.customer_id], ['Confirmation number', d.confirmation_id]];
	return lines
		.filter(([, v]) => v !== null && v !== undefined)
		.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`)
		.join('\n');
}

/** @param {State} state @param {string} id @returns {HtmlResult} */
function instructionsPage(state, id) {
	const p = state.payments.get(id);
	if (!p || !p.method || p.method.flow !== 'slip') return htmlError(404, 'Unknown payment');
	const name = displayName(p.method.type);
	return html(
		200,
		`${name} payment instructions - KOMOJU sandbox`,
		`<h1>${escapeHtml(name)}: how to pay</h1>
${summary(p)}
<p>Pay by <span id="deadline">${escapeHtml(iso(/** @type {number} */ (p.paymentDeadline)))}</span>.</p>
<dl>
${instructionLines(p)}
</dl>`,
	);
}

/**
 * One of these pages: GET or POST `/offsite/{id}`, GET `/instructions/{id}`; anything else 404.
 * @param {State} state @param {string} method @param {string} path @param {Record<string, unknown>} form
 * @returns {HtmlResult}
 */
function handlePage(state, method, path, form) {
	if (OFFSITE.test(path) && (method === 'GET' || method === 'POST')) return offsitePage(state, method, pathId(OFFSITE, path), form);
	if (INSTRUCTIONS.test(path) && method === 'GET') return instructionsPage(state, pathId(INSTRUCTIONS, path));
	return htmlError(404, 'Not found');
}

module.exports = { isPage, handlePage };
