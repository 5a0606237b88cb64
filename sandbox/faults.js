// @ts-check
'use strict';

/**
 * Fault injection rules. A rule matches a request by method (optional) and path
 * (optional: exact, or a prefix at a `/` boundary unless `exact` is set). Rules are
 * checked in the order they were added; the first match fires, counts down its
 * `times`, and is removed when it reaches 0.
 */

/**
 * @typedef {{ status: number, body?: unknown, retryAfter?: number, contentType?: string }} StatusAction
 * @typedef {{ delayMs: number }} DelayAction
 * @typedef {{ drop: true }} DropAction
 * @typedef {{ failAfterProcessing: true, status?: number }} FailAfterAction
 * @typedef {StatusAction | DelayAction | DropAction | FailAfterAction} FaultAction
 * @typedef {{ method?: string, path?: string, exact?: boolean, times?: number, action: FaultAction }} FaultRuleInput
 * @typedef {{ id: number, method: string | null, path: string | null, exact: boolean, times: number,
 *   kind: 'status' | 'delay' | 'drop' | 'failAfterProcessing', action: FaultAction }} FaultRule
 */

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
	if (action.failAfterProcessing !== undefined) {
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
		throw new FaultError('action needs one of: status, delayMs, drop, failAfterProcessing.');
	}
	return {
		id,
		method: method === undefined ? null : method.toUpperCase(),
		path: path === undefined ? null : path,
		exact: exact === true,
		times: times === undefined ? 1 : times,
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

class Faults {
	constructor() {
		/** @type {FaultRule[]} */
		this.rules = [];
		this.nextId = 1;
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

	/** @returns {FaultRule[]} */
	list() {
		return this.rules.map((r) => ({ ...r }));
	}

	clear() {
		this.rules = [];
	}
}

module.exports = { Faults, FaultError };
