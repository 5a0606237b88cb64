// @ts-check
'use strict';

/**
 * The merchant's money at KOMOJU (contract `SettlementsApi`): a ledger derived from the sandbox's
 * payments, refunds and accepted chargebacks, read as balances and balance transactions; and
 * settlements, which pay out what the ledger holds. The sandbox has no payout schedule: a test
 * makes a settlement with `settle` (the control `POST /__sandbox/settle`).
 *
 * Ledger entries (each its own transaction, so a transaction lookup answers one line item):
 *   payment     + the captured total (amount + tax), when captured
 *   fee         − the processing fee and its tax, when captured
 *   refund      − each refund (tax included, as KOMOJU's refunds count), when made
 *   chargeback  − the disputed amount, when the merchant accepts the chargeback
 *   settlement  − the settlement's amount, when it is made
 */

const crypto = require('node:crypto');
const { invalid, notFound } = require('./errors');
const { CURRENCIES } = require('./validate');
const { newId, iso, nextSeq } = require('./state');
const { recordEvent } = require('./events');
const { present: presentPayment } = require('./payments');
const { findOwned, parseListQuery, listBody, noQuery } = require('./lists');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 * @typedef {import('./state').State} State
 * @typedef {'payment' | 'fee' | 'refund' | 'chargeback' | 'settlement'} EntryType
 * @typedef {{ id: string, type: EntryType, amount: number, currency: string, createdAt: number, seq: number,
 *   paymentId: string | null, fee: number, feeTax: number }} Entry
 * @typedef {{ paymentId: string, capturedAt: number | null, externalOrderNum: string | null, currency: string,
 *   captured: number, refunded: number, chargeback: number, fee: number, feeTax: number }} SettlementRow
 * @typedef {{
 *   id: string, merchant: string, seq: number, reference: string, currency: string, createdAt: number,
 *   entryIds: Set<string>, entries: Entry[], rows: SettlementRow[],
 * }} Settlement
 */

const ENTRY_TYPES = /** @type {const} */ (['payment', 'fee', 'refund', 'chargeback', 'settlement']);
/** The sandbox's card processing fee: 3.6 % of the captured total (in tenths of a percent), plus 10 % tax on it. */
const FEE_PER_MILLE = 36n;
const CSV_COLUMNS = [
	'payment_id', 'captured_at', 'external_order_num', 'currency', 'captured_amount', 'refunded_amount',
	'chargeback_amount', 'fee', 'fee_tax', 'net_amount',
];

/** A ledger entry's id, the same on every read: derived from what it records. @param {EntryType} type @param {string} sourceId */
function entryId(type, sourceId) {
	const digest = crypto.createHash('sha256').update(`${type}:${sourceId}`).digest();
	return BigInt(`0x${digest.toString('hex')}`).toString(36).slice(0, 25).padStart(25, '0');
}

/** The processing fee on a captured total (rounded half up, exact for any safe integer) and its tax (rounded down). @param {number} total */
function feesOn(total) {
	const fee = Number((BigInt(total) * FEE_PER_MILLE + 500n) / 1000n);
	return { fee, feeTax: (fee - (fee % 10)) / 10 };
}

/**
 * Every ledger entry of the merchant, oldest first.
 * @param {State} state @param {string} merchant @returns {Entry[]}
 */
function ledger(state, merchant) {
	/** @type {Array<Omit<Entry, 'seq'>>} */
	const entries = [];
	for (const p of state.payments.values()) {
		if (p.merchant !== merchant || p.capturedAt === null) continue;
		const total = presentPayment(p).total;
		const { fee, feeTax } = feesOn(total);
		const base = { currency: p.currency, paymentId: p.id, fee: 0, feeTax: 0 };
		entries.push({ ...base, id: entryId('payment', p.id), type: 'payment', amount: total, createdAt: p.capturedAt });
		entries.push({ ...base, id: entryId('fee', p.id), type: 'fee', amount: -(fee + feeTax), createdAt: p.capturedAt, fee, feeTax });
		for (const r of p.refunds) entries.push({ ...base, id: entryId('refund', r.id), type: 'refund', amount: -r.amount, createdAt: r.createdAt });
	}
	for (const c of state.chargebacks.values()) {
		if (c.merchant !== merchant || c.acceptedAt === null) continue;
		entries.push({ id: entryId('chargeback', c.id), type: 'chargeback', amount: -c.amount, currency: c.currency, createdAt: c.acceptedAt, paymentId: c.paymentId, fee: 0, feeTax: 0 });
	}
	for (const s of state.settlements.values()) {
		if (s.merchant !== merchant) continue;
		entries.push({ id: entryId('settlement', s.id), type: 'settlement', amount: -sum(s.entries), currency: s.currency, createdAt: s.createdAt, paymentId: null, fee: 0, feeTax: 0 });
	}
	return entries
		.map((e, index) => ({ e, index }))
		.sort((a, b) => a.e.createdAt - b.e.createdAt || a.index - b.index)
		.map(({ e }, index) => ({ ...e, seq: index + 1 }));
}

/** @param {Entry[]} entries */
function sum(entries) {
	return entries.reduce((total, e) => total + e.amount, 0);
}

/** Entries no settlement has paid out yet. @param {State} state @param {Entry[]} entries */
function unsettled(state, entries) {
	const settled = new Set([...state.settlements.values()].flatMap((s) => [...s.entryIds]));
	return entries.filter((e) => e.type !== 'settlement' && !settled.has(e.id));
}

/**
 * The section totals balances and settlements share (the contract's `SharedDetails`): each
 * section's `total_cents` adds up its figures, so deductions are negative; accepted chargebacks
 * are the `corrections`. The sandbox has no other kinds of money, so the rest is 0.
 * @param {Entry[]} entries
 */
function sections(entries) {
	/** @param {EntryType} type */
	const of = (type) => sum(entries.filter((e) => e.type === type));
	const captured = of('payment');
	const fees = of('fee');
	const refunds = of('refund');
	return {
		payments: { captured_amount_total_cents: captured, processing_fees_cents: fees, total_cents: captured + fees },
		refunds: { refunded_amount_total_cents: refunds, refund_processing_fees_cents: 0, refunded_customer_fees_cents: 0, total_cents: refunds },
		corrections: { total_cents: of('chargeback') },
		komoju_card_charges: { total_cents: 0 },
		disbursements: { disbursement_amount_total_cents: 0, disbursement_fee_total_cents: 0, total_cents: 0 },
		misc: {
			clearings_total_cents: 0,
			komoju_card_discount_total_cents: 0,
			chargeback_fixed_fee_total_cents: 0,
			other_fee_adjustments_total_cents: 0,
			total_cents: 0,
		},
	};
}

/** The currency of a `/balances/{currency}` path: one of the 20 codes, else 422. @param {Env & { params: Record<string, string> }} env */
function pathCurrency(env) {
	const currency = env.params.currency;
	if (!CURRENCIES.has(currency)) throw invalid('currency', 'must be one of the supported ISO 4217 codes, upper case');
	return currency;
}

/** `GET /balances/{currency}`: what KOMOJU holds for the merchant, and its unsettled sections. @param {Env & { params: Record<string, string> }} env @returns {Result} */
function showBalance(env) {
	noQuery(env.query);
	const currency = pathCurrency(env);
	const mine = ledger(env.state, env.auth.merchant).filter((e) => e.currency === currency);
	return { status: 200, body: { currency, total_balance_cents: sum(mine), ...sections(unsettled(env.state, mine)) } };
}

/** @param {Entry} e */
function presentEntry(e) {
	return { id: e.id, type: e.type, amount_cents: e.amount, happened_at: iso(e.createdAt) };
}

/** `GET /balances/{currency}/transactions`: the ledger, newest first; `type` filters by entry type. @param {Env & { params: Record<string, string> }} env @returns {Result} */
function balanceTransactions(env) {
	const currency = pathCurrency(env);
	const q = parseListQuery(env.query, ['type']);
	const type = q.params.type;
	if (type !== undefined && !ENTRY_TYPES.includes(/** @type {EntryType} */ (type))) throw invalid('type', `must be one of ${ENTRY_TYPES.join(', ')}`);
	const mine = ledger(env.state, env.auth.merchant).filter((e) => e.currency === currency && (type === undefined || e.type === type));
	return { status: 200, body: listBody(mine, q, presentEntry, 'list', env.state.clock()) };
}

/** `GET /balances/{currency}/transactions/{uuid}`: a bare array of the transaction's line items. @param {Env & { params: Record<string, string> }} env @returns {Result} */
function showTransaction(env) {
	noQuery(env.query);
	const currency = pathCurrency(env);
	const lines = ledger(env.state, env.auth.merchant).filter((e) => e.currency === currency && e.id === env.id);
	if (lines.length === 0) throw notFound('The transaction could not be found.');
	return { status: 200, body: lines.map(presentEntry) };
}

/**
 * Makes a settlement of everything the ledger holds unsettled in one currency (the sandbox
 * control): one row per payment with money in it, fees deducted, paid out at once, and a
 * `settlement.created` event. Refused (SettlementControlError) when nothing is unsettled.
 * @param {State} state @param {{ merchant?: string, currency?: string }} input
 */
function settle(state, input) {
	const merchant = input.merchant ?? 'merchant_1';
	const currency = input.currency ?? 'JPY';
	if (![...state.keys.values()].some((k) => k.merchant === merchant)) throw new SettlementControlError(`No merchant ${merchant}.`);
	if (!CURRENCIES.has(currency)) throw new SettlementControlError(`${currency} is not one of KOMOJU's currencies.`);
	const entries = unsettled(state, ledger(state, merchant)).filter((e) => e.currency === currency);
	if (entries.length === 0) throw new SettlementControlError(`Nothing to settle: ${merchant} has no unsettled ${currency} payments.`);
	const now = state.clock();
	const seq = nextSeq(state);
	/** @type {Settlement} */
	const settlement = {
		id: newId(),
		merchant,
		seq,
		reference: `STL-${iso(now).slice(0, 10).replace(/-/g, '')}-${String(seq).padStart(4, '0')}`,
		currency,
		createdAt: now,
		entryIds: new Set(entries.map((e) => e.id)),
		entries,
		rows: rowsOf(state, entries),
	};
	state.settlements.set(settlement.id, settlement);
	recordEvent(state, merchant, 'settlement.created', presentSettlement(state, settlement));
	return showBody(state, settlement);
}

/** A control request the sandbox refuses (400). */
class SettlementControlError extends Error {}

/** One row per payment, in the order its money first entered the ledger. @param {State} state @param {Entry[]} entries @returns {SettlementRow[]} */
function rowsOf(state, entries) {
	/** @type {Map<string, SettlementRow>} */
	const rows = new Map();
	for (const e of entries) {
		if (e.paymentId === null) continue;
		const payment = state.payments.get(e.paymentId);
		let row = rows.get(e.paymentId);
		if (!row) {
			row = { paymentId: e.paymentId, capturedAt: null, externalOrderNum: payment ? payment.externalOrderNum : null, currency: e.currency, captured: 0, refunded: 0, chargeback: 0, fee: 0, feeTax: 0 };
			rows.set(e.paymentId, row);
		}
		if (e.type === 'payment') {
			row.captured += e.amount;
			row.capturedAt = e.createdAt;
		} else if (e.type === 'refund') row.refunded -= e.amount;
		else if (e.type === 'chargeback') row.chargeback -= e.amount;
		else if (e.type === 'fee') {
			row.fee += e.fee;
			row.feeTax += e.feeTax;
		}
	}
	return [...rows.values()];
}

/** @param {SettlementRow} r */
function netOf(r) {
	return r.captured - r.refunded - r.chargeback - r.fee - r.feeTax;
}

/**
 * The settlement as listed (the contract's `Settlement`): paid at once, no currency exchange
 * (`fx_conversion_rate` a string, as the contract types it) and no bank transfer fee.
 * @param {State} state @param {Settlement} s
 */
function presentSettlement(state, s) {
	const transactions = s.rows.reduce((total, r) => total + r.captured - r.refunded - r.chargeback, 0);
	const fee = s.rows.reduce((total, r) => total + r.fee, 0);
	const feeTax = s.rows.reduce((total, r) => total + r.feeTax, 0);
	const amount = transactions - fee - feeTax;
	return {
		id: s.id,
		resource: 'settlement',
		reference: s.reference,
		status: 'paid',
		merchant_name: `KOMOJU sandbox (${s.merchant})`,
		company_name: null,
		cycle: 'monthly',
		transaction_amount_cents: transactions,
		currency: s.currency,
		fee_amount_cents: fee,
		fee_tax_amount_cents: feeTax,
		settlement_amount_cents: amount,
		fx_currency: s.currency,
		fx_conversion_rate: '1.0',
		fx_conversion_amount_cents: amount,
		bank_transfer_fee_amount_cents: 0,
		remittance_amount_cents: amount,
		cutoff_time: iso(s.createdAt),
		created_at: iso(s.createdAt),
		download: { csv: `${state.baseUrl}/api/v1/settlements/${s.id}/csv`, xls: null },
	};
}

/** `GET /settlements/{id}` (the contract's `SettlementShow`): the settlement and its section totals. @param {State} state @param {Settlement} s */
function showBody(state, s) {
	return { ...presentSettlement(state, s), ...sections(s.entries) };
}

/** @param {Env} env */
function find(env) {
	return findOwned(env.state.settlements, env, 'settlement');
}

/** @param {Env} env @returns {Result} */
function listSettlements(env) {
	const q = parseListQuery(env.query, []);
	const mine = [...env.state.settlements.values()].filter((s) => s.merchant === env.auth.merchant);
	return { status: 200, body: listBody(mine, q, (s) => presentSettlement(env.state, s), 'list', env.state.clock()) };
}

/** @param {Env} env @returns {Result} */
function showSettlement(env) {
	noQuery(env.query);
	return { status: 200, body: showBody(env.state, find(env)) };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. @param {string | number | null} value */
function csvField(value) {
	const text = value === null ? '' : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `GET /settlements/{id}/csv`: the settled payments as CSV (UTF-8, CRLF), one row per payment.
 * The contract models no body; the columns are the sandbox's own.
 * @param {Env} env
 */
function showSettlementCSV(env) {
	noQuery(env.query);
	const s = find(env);
	const lines = [CSV_COLUMNS, ...s.rows.map((r) => [
		r.paymentId, r.capturedAt === null ? null : iso(r.capturedAt), r.externalOrderNum, r.currency,
		r.captured, r.refunded, r.chargeback, r.fee, r.feeTax, netOf(r),
	])];
	return { status: 200, text: lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n', contentType: 'text/csv; charset=utf-8' };
}

/** Sandbox-only view: the settlement as shown, the merchant and its rows. @param {State} state @param {Settlement} s */
function view(state, s) {
	return { ...showBody(state, s), merchant: s.merchant, payments: s.rows.map((r) => r.paymentId) };
}

module.exports = {
	showBalance,
	balanceTransactions,
	showTransaction,
	settle,
	SettlementControlError,
	listSettlements,
	showSettlement,
	showSettlementCSV,
	view,
	CSV_COLUMNS,
};
