// @ts-check
'use strict';

/**
 * Fault injection rules. A rule matches a request by method (optional) and path
 * (optional: exact, or a prefix at a `/` boundary unless `exact` is set). Rules are
 * checked in the order they were added; the first match fires, counts down its
 * `times`, and is removed when it reaches 0.
 *
 * A `barrier` rule holds the requests it matches, before anything else happens to them, until
 * `barrier` of them have arrived; then it lets them all go on at once, in arrival order. A test
 * that must see N requests in flight together gets exactly that, whatever the machine's load:
 * the barrier opens only when N are there. A round that is not full within `timeoutMs` of its
 * first arrival breaks: its waiting requests are answered 408 `barrier_timeout` (a status the
 * node does not retry) with a message saying how many arrived, and the rule is removed, so a
 * client that sends fewer than N at a time fails with that message instead of hanging.
 */

/**
 * @typedef {{ status: number, body?: unknown, retryAfter?: number, contentType?: string }} StatusAction
 * @typedef {{ delayMs: number }} DelayAction
 * @typedef {{ drop: true }} DropAction
 * @typedef {{ failAfterProcessing: true, status?: number }} FailAfterAction
 * @typedef {{ barrier: number, timeoutMs?: number }} BarrierAction
 * @typedef {StatusAction | DelayAction | DropAction | FailAfterAction | BarrierAction} FaultAction
 * @typedef {{ method?: string, path?: string, exact?: boolean, times?: number, action: FaultAction }} FaultRuleInput
 * @typedef {{ id: number, method: string | null, path: string | null, exact: boolean, times: number,
 *   kind: 'status' | 'delay' | 'drop' | 'failAfterProcessing' | 'barrier', action: FaultAction, waiting?: number }} FaultRule
 * @typedef {{ status: number, body: { error: { code: string, message: string, param: unknown, details: unknown } } }} BarrierAnswer
 * @typedef {{ count: number, timeoutMs: number, waiting: Array<(answer: BarrierAnswer | null) => void>,
 *   timer: NodeJS.Timeout }} BarrierRound
 */

/** How long a barrier waits for its round to fill unless the rule says otherwise. */
const DEFAULT_BARRIER_TIMEOUT_MS = 10_000;

const { errorBody } = require('./errors');

class FaultError extends Error {}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** @param {unknown} v */
function isStatus(v) {
	return typeof v === 'number' && Number.isInteger(v) && v >= 200 && v <= 599;
}

/**
 * Validates a rule; throws FaultError with a readable message.
 * @param {unknown} input
 * @param {number} id
 * @returns {FaultRule}
 */
function normaliseRule(input, id) {
	if (!isObject(input)) throw new FaultError('A fault rule must be an object.');
	for (const k of Object.keys(input)) {
		if (!['method', 'path', 'exact', 'times', 'action'].includes(k)) throw new FaultError(`Unknown fault rule field: ${k}`);
	}
	const { method, path, exact, times, action } = input;
	if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) throw new FaultError('method must be an HTTP method name.');
	if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) throw new FaultError('path must start with "/".');
	if (exact !== undefined && typeof exact !== 'boolean') throw new FaultError('exact must be a boolean.');
	if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) throw new FaultError('times must be a positive integer.');
	if (!isObject(action)) throw new FaultError('action must be an object.');

	const keys = Object.keys(action).sort().join(',');
	/** @type {FaultRule['kind']} */
	let kind;
	if (action.barrier !== undefined) {
		const { barrier, timeoutMs } = action;
		if (typeof barrier !== 'number' || !Number.isInteger(barrier) || barrier < 1) throw new FaultError('barrier must be a positive integer (the number of requests to wait for).');
		if (keys !== 'barrier' && keys !== 'barrier,timeoutMs') throw new FaultError('barrier combines only with timeoutMs.');
		if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs))) throw new FaultError('timeoutMs must be a positive number of milliseconds.');
		if (times !== undefined && times % barrier !== 0) throw new FaultError('times must be a multiple of barrier: every round must be able to fill.');
		kind = 'barrier';
	} else if (action.failAfterProcessing !== undefined) {
		if (action.failAfterProcessing !== true) throw new FaultError('failAfterProcessing must be true.');
		if (keys !== 'failAfterProcessing' && keys !== 'failAfterProcessing,status') throw new FaultError('failAfterProcessing combines only with status.');
		if (action.status !== undefined && !isStatus(action.status)) throw new FaultError('status must be an integer from 200 to 599.');
		kind = 'failAfterProcessing';
	} else if (action.drop !== undefined) {
		if (action.drop !== true || keys !== 'drop') throw new FaultError('drop must be true and used alone.');
		kind = 'drop';
	} else if (action.delayMs !== undefined) {
		if (typeof action.delayMs !== 'number' || !(action.delayMs >= 0) || keys !== 'delayMs') throw new FaultError('delayMs must be a non-negative number and used alone.');
		kind = 'delay';
	} else if (action.status !== undefined) {
		if (!isStatus(action.status)) throw new FaultError('status must be an integer from 200 to 599.');
		for (const k of Object.keys(action)) {
			if (!['status', 'body', 'retryAfter', 'contentType'].includes(k)) throw new FaultError(`Unknown field for a status action: ${k}`);
		}
		if (action.retryAfter !== undefined && (typeof action.retryAfter !== 'number' || !(action.retryAfter >= 0))) throw new FaultError('retryAfter must be a non-negative number of seconds.');
		if (action.contentType !== undefined && typeof action.contentType !== 'string') throw new FaultError('contentType must be a string.');
		kind = 'status';
	} else {
		throw new FaultError('action needs one of: status, delayMs, drop, failAfterProcessing, barrier.');
	}
	return {
		id,
		method: method === undefined ? null : method.toUpperCase(),
		path: path === undefined ? null : path,
		exact: exact === true,
		// A barrier's default is one round.
		times: times !== undefined ? times : kind === 'barrier' ? /** @type {number} */ (action.barrier) : 1,
		kind,
		action: /** @type {FaultAction} */ (JSON.parse(JSON.stringify(action))),
	};
}

/**
 * @param {FaultRule} rule
 * @param {string} method
 * @param {string} path
 */
function matches(rule, method, path) {
	if (rule.method && rule.method !== method) return false;
	if (rule.path === null) return true;
	if (path === rule.path) return true;
	if (rule.exact) return false;
	const prefix = rule.path.endsWith('/') ? rule.path : `${rule.path}/`;
	return path.startsWith(prefix);
}

/**
 * The answer to a request whose barrier broke, in the sandbox's usual error body.
 * @param {string} message
 * @returns {BarrierAnswer}
 */
function barrierAnswer(message) {
	return { status: 408, body: /** @type {BarrierAnswer['body']} */ (errorBody('barrier_timeout', message)) };
}

class Faults {
	constructor() {
		/** @type {FaultRule[]} */
		this.rules = [];
		this.nextId = 1;
		/**
		 * The round each barrier rule is filling, by rule id. Kept apart from the rules: the
		 * last round of a rule is still waiting after the rule has counted down to 0.
		 * @type {Map<number, BarrierRound>}
		 */
		this.rounds = new Map();
	}

	/** @param {unknown} input @returns {FaultRule} */
	add(input) {
		const rule = normaliseRule(input, this.nextId);
		this.nextId += 1;
		this.rules.push(rule);
		return { ...rule };
	}

	/**
	 * Finds the first matching rule, counts it down and returns a copy (times = left after this one).
	 * @param {string} method
	 * @param {string} path
	 * @returns {FaultRule | null}
	 */
	take(method, path) {
		const i = this.rules.findIndex((r) => matches(r, method, path));
		if (i < 0) return null;
		const rule = this.rules[i];
		rule.times -= 1;
		if (rule.times <= 0) this.rules.splice(i, 1);
		return { ...rule };
	}

	/**
	 * Holds a request that matched a barrier rule (the copy `take` returned) until its round is
	 * full. Resolves null when the round opens, or with the answer to send when it broke.
	 * @param {FaultRule} rule
	 * @returns {Promise<BarrierAnswer | null>}
	 */
	hold(rule) {
		const { barrier: count, timeoutMs = DEFAULT_BARRIER_TIMEOUT_MS } = /** @type {BarrierAction} */ (rule.action);
		let round = this.rounds.get(rule.id);
		if (!round) {
			const timer = setTimeout(() => {
				const r = this.rounds.get(rule.id);
				if (!r) return;
				// A broken barrier holds nothing more: later requests pass, the test sees the 408s.
				this.rules = this.rules.filter((other) => other.id !== rule.id);
				this.breakRound(
					rule.id,
					`Sandbox barrier (fault ${rule.id}) timed out: ${r.waiting.length} of ${count} requests arrived within ${timeoutMs} ms.`,
				);
			}, timeoutMs);
			timer.unref();
			round = { count, timeoutMs, waiting: [], timer };
			this.rounds.set(rule.id, round);
		}
		const current = round;
		return new Promise((resolve) => {
			current.waiting.push(resolve);
			if (current.waiting.length < count) return;
			clearTimeout(current.timer);
			this.rounds.delete(rule.id);
			for (const release of current.waiting) release(null);
		});
	}

	/** @param {number} id @param {string} message */
	breakRound(id, message) {
		const round = this.rounds.get(id);
		if (!round) return;
		clearTimeout(round.timer);
		this.rounds.delete(id);
		for (const release of round.waiting) release(barrierAnswer(message));
	}

	/** @returns {FaultRule[]} */
	list() {
		return this.rules.map((r) => {
			const round = this.rounds.get(r.id);
			return r.kind === 'barrier' ? { ...r, waiting: round ? round.waiting.length : 0 } : { ...r };
		});
	}

	/** Removes every rule; requests waiting at a barrier are answered 408 at once. */
	clear() {
		this.rules = [];
		for (const [id, round] of [...this.rounds]) {
			this.breakRound(id, `Sandbox barrier (fault ${id}) was cleared (reset or clearFaults) with ${round.waiting.length} of ${round.count} requests waiting.`);
		}
	}
}

module.exports = { Faults, FaultError, DEFAULT_BARRIER_TIMEOUT_MS };
