// @ts-check
'use strict';

/**
 * The contract check ("Contract check" in sandbox/README.md): every `/api/v1` request the sandbox
 * receives and every answer it gives is judged against KOMOJU's contract
 * (sandbox/contract/contract.json: KOMOJU's Node SDK 1.0.0 restated as JSON Schemas, draft 2020-12).
 *
 * - The operation is found by method and path template (`/api/v1/payments/{id}/capture`).
 * - Request: the query (strings coerced; a parameter the operation does not list is a violation),
 *   the body (JSON, against `requestBody.schema`), and, stricter than the contract on purpose,
 *   unknown keys in the body at every object level (the contract's objects are open).
 * - Answer: 2xx against `responses.success.schema`, anything else against `APIError`. Unknown keys
 *   in answers are not flagged.
 * - sandbox/contract-exceptions.js lists what is not judged and the deliberate deviations.
 *
 * The schemas are compiled once per process, on first use (ajv is a dev dependency; the sandbox
 * is dev-only). Every judge also adds to a process-wide tally, which the jest guard
 * (test/contract/guard.ts) reads after each test.
 */

const fs = require('node:fs');
const path = require('node:path');
const { maskPans } = require('./errors');
const exceptions = require('./contract-exceptions');

const CONTRACT_REF = 'contract.json#/schemas/';
const ERROR_REF = `${CONTRACT_REF}APIError`;
const MODES = /** @type {const} */ (['strict', 'observe']);
const MAX_STORED_VIOLATIONS = 1000;
/** Fields whose values a message never quotes. */
const SECRET_FIELDS = new Set(['number', 'verification_value']);

/**
 * @typedef {'strict' | 'observe'} ContractMode
 * @typedef {{ message: string, param: string }} Violation
 * @typedef {{ operation: string | null, violations: Violation[] }} RequestVerdict
 * @typedef {{ seq: number, operation: string, where: 'request' | 'answer', message: string, method: string, path: string, time: string }} ReportedViolation
 * @typedef {{ requestsChecked: number, answersChecked: number, probes: number, violationCount: number,
 *   violations: ReportedViolation[] }} ContractReport
 * @typedef {{ props: Map<string, any[]>, open: boolean, name: string | null, sources: Array<{ name: string, depth: number }> }} Collected
 * @typedef {import('ajv').ValidateFunction} ValidateFunction
 * @typedef {import('ajv').ErrorObject} ErrorObject
 * @typedef {{ op: any, parts: string[], statics: number }} OperationEntry
 * @typedef {{ ajv: import('ajv').default, queryAjv: import('ajv').default, contract: any,
 *   operations: OperationEntry[], byId: Map<string, OperationEntry>, inline: WeakMap<object, ValidateFunction>,
 *   queryValidators: Map<string, ValidateFunction> }} Compiled
 */

// ---------------------------------------------------------------------------
// compiling (once per process)

/** @type {Compiled | null} */
let compiledCache = null;

/** @returns {Compiled} */
function compiled() {
	if (compiledCache) return compiledCache;
	const Ajv2020 = require('ajv/dist/2020').default;
	// contract.json with the deliberate deviations of contract-exceptions.js patched in (read, not
	// required: the type checker need not infer a type for 550 kB of JSON)
	const contract = exceptions.judgedContract(JSON.parse(fs.readFileSync(path.join(__dirname, 'contract', 'contract.json'), 'utf8')));
	// strict: false because the contract carries x-* annotations and non-schema keys (operations, ...)
	// inlineRefs: false compiles each schema once (Payment is inside Session, Event, lists, ...): half the time
	const ajv = new Ajv2020({ strict: false, allErrors: true, inlineRefs: false });
	ajv.addSchema(contract);
	const queryAjv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true, inlineRefs: false });
	queryAjv.addSchema(contract);
	for (const [name, schema] of Object.entries(contract.schemas)) {
		if (Array.isArray(/** @type {any} */ (schema).enum)) enumNames.set(/** @type {any} */ (schema).enum, name);
	}
	/** @type {OperationEntry[]} */
	const operations = contract.operations.map((/** @type {any} */ op) => {
		const parts = String(op.path).split('/');
		return { op, parts, statics: parts.filter((p) => !p.startsWith('{')).length };
	});
	compiledCache = {
		ajv,
		queryAjv,
		contract,
		operations,
		byId: new Map(operations.map((e) => [e.op.operationId, e])),
		inline: new WeakMap(),
		queryValidators: new Map(),
	};
	return compiledCache;
}

/** @param {string} ref @returns {string} an absolute ref */
function absolute(ref) {
	return ref.startsWith('#/') ? `contract.json${ref}` : ref;
}

/**
 * The validator of a `{ $ref }` or an inline schema (cached).
 * @param {Compiled} c @param {any} schema @returns {ValidateFunction}
 */
function validatorFor(c, schema) {
	if (typeof schema === 'string') {
		const v = c.ajv.getSchema(absolute(schema));
		if (!v) throw new Error(`contract check: unknown schema ${schema}`);
		return v;
	}
	if (schema && typeof schema.$ref === 'string' && Object.keys(schema).length === 1) return validatorFor(c, schema.$ref);
	let v = c.inline.get(schema);
	if (!v) {
		// inline schemas come from inside contract.json: their `#/schemas/X` refs point into it
		const rebased = JSON.parse(JSON.stringify(schema), (key, value) => (key === '$ref' && typeof value === 'string' ? absolute(value) : value));
		v = c.ajv.compile(rebased);
		c.inline.set(schema, v);
	}
	return v;
}

/**
 * The schema a ref names, and its name.
 * @param {Compiled} c @param {string} ref @returns {{ name: string, schema: any }}
 */
function deref(c, ref) {
	const abs = absolute(ref);
	const hash = abs.indexOf('#');
	const doc = abs.slice(0, hash);
	const pointer = abs.slice(hash + 1).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
	/** @type {any} */
	let node = doc === 'contract.json' ? c.contract : undefined;
	for (const p of pointer) node = node === undefined ? undefined : node[p];
	if (node === undefined) throw new Error(`contract check: unknown schema ${ref}`);
	return { name: pointer[pointer.length - 1] || doc, schema: node };
}

/**
 * The operation of a request, by method and path template; null when the contract has none.
 * A template with more literal segments wins (`/disbursements/report` over `/disbursements/{id}`).
 * @param {string} method @param {string} path @returns {any | null}
 */
function findOperation(method, path) {
	const c = compiled();
	const parts = path.split('/');
	/** @type {OperationEntry | null} */
	let best = null;
	for (const e of c.operations) {
		if (e.op.method !== method || e.parts.length !== parts.length) continue;
		if (best && best.statics >= e.statics) continue;
		const ok = e.parts.every((t, i) => (t.startsWith('{') ? parts[i] !== '' : t === parts[i]));
		if (ok) best = e;
	}
	return best ? best.op : null;
}

// ---------------------------------------------------------------------------
// messages

/** @param {string} pointer JSON pointer @returns {string[]} */
function segments(pointer) {
	return pointer === '' ? [] : pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** @param {unknown} data @param {string[]} path */
function valueAt(data, path) {
	/** @type {any} */
	let node = data;
	for (const p of path) node = node !== null && typeof node === 'object' ? node[p] : undefined;
	return node;
}

/** `(got …)` for a message; never a card number or CVC. @param {unknown} value @param {string[]} path */
function got(value, path) {
	if (SECRET_FIELDS.has(path[path.length - 1])) return '';
	if (value === undefined) return '';
	if (value === null) return ' (got null)';
	if (Array.isArray(value)) return ' (got an array)';
	if (typeof value === 'object') return ' (got an object)';
	let s = JSON.stringify(value);
	if (s.length > 40) s = `${s.slice(0, 37)}...`;
	return ` (got ${maskPans(s)})`;
}

/** @param {string} where e.g. "body" @param {string[]} path */
function fieldName(where, path) {
	return [where, ...path].join('.');
}

/** Names of the contract's enums, by the enum array itself (Ajv's error params hold that array). @type {WeakMap<object, string>} */
const enumNames = new WeakMap();

/**
 * Turns Ajv's errors into one violation per field. Summary errors (anyOf, if, …) are dropped; a
 * type error at a field is dropped when a deeper error shows which branch the value took; type,
 * enum and const errors at one field are merged (`must be integer or "auto"`).
 * @param {string} operationId @param {string} where @param {ErrorObject[]} errors @param {unknown} data
 * @returns {Violation[]}
 */
function render(operationId, where, errors, data) {
	/** @param {ErrorObject} e */
	const pathOf = (e) => {
		const base = segments(e.instancePath);
		if (e.keyword === 'required') return [...base, String(/** @type {any} */ (e.params).missingProperty)];
		return base;
	};
	const kept = errors.filter((e) => {
		if (['anyOf', 'if', 'allOf', '$ref', 'not'].includes(e.keyword)) return false;
		if (e.keyword === 'oneOf') return Array.isArray(/** @type {any} */ (e.params).passingSchemas);
		return true;
	});
	const shallow = new Set(['type', 'enum', 'const']);
	const deep = kept.filter((e) => {
		if (!shallow.has(e.keyword)) return true;
		const here = pathOf(e).join('\u0000');
		return !kept.some((o) => {
			const p = pathOf(o);
			return p.length > pathOf(e).length && p.slice(0, pathOf(e).length).join('\u0000') === here;
		});
	});
	/** @type {Map<string, { path: string[], types: string[], values: string[], raw: unknown[], others: string[] }>} */
	const byField = new Map();
	for (const e of deep) {
		const path = pathOf(e);
		const key = path.join('\u0000');
		let f = byField.get(key);
		if (!f) {
			f = { path, types: [], values: [], raw: [], others: [] };
			byField.set(key, f);
		}
		const params = /** @type {any} */ (e.params);
		/** @param {string[]} list @param {string} item */
		const add = (list, item) => {
			if (!list.includes(item)) list.push(item);
		};
		if (e.keyword === 'type') {
			for (const t of String(params.type).split(',')) add(f.types, t);
		} else if (e.keyword === 'enum') {
			const allowed = /** @type {unknown[]} */ (params.allowedValues);
			f.raw.push(...allowed);
			const name = enumNames.get(allowed);
			if (allowed.length > 8) add(f.values, name ? `one of the ${allowed.length} ${name} values` : `one of ${allowed.length} values`);
			else for (const v of allowed) add(f.values, JSON.stringify(v));
		} else if (e.keyword === 'const') {
			f.raw.push(params.allowedValue);
			add(f.values, JSON.stringify(params.allowedValue));
		} else if (e.keyword === 'required') {
			add(f.others, 'is required');
		} else if (e.keyword === 'oneOf') {
			add(f.others, `must match exactly one schema of its oneOf (it matches ${params.passingSchemas.length})`);
		} else {
			add(f.others, String(e.message));
		}
	}
	/** @type {Violation[]} */
	const out = [];
	for (const f of byField.values()) {
		const name = fieldName(where, f.path);
		const param = f.path.join('.');
		// a type every allowed value has says nothing more: `"ja" or "en" or "ko"`, not `string or "ja" …`
		const types = f.types.filter((t) => f.raw.length === 0 || !f.raw.every((r) => typeAllows(t, r)));
		const alternatives = [...types, ...f.values];
		if (alternatives.length) out.push({ message: `${operationId}: ${name} must be ${alternatives.join(' or ')}${got(valueAt(data, f.path), f.path)}`, param });
		for (const o of f.others) out.push({ message: `${operationId}: ${name} ${o}${o === 'is required' ? '' : got(valueAt(data, f.path), f.path)}`, param });
	}
	return out;
}

/**
 * Validates `data` against a schema ref. When the schema is a oneOf / anyOf of refs (e.g.
 * CreatePaymentRequestWire, CreateSessionRequest), the branch closest to the data is reported.
 * @param {Compiled} c @param {string} operationId @param {string} where @param {string} ref @param {unknown} data
 * @returns {Violation[]}
 */
function validate(c, operationId, where, ref, data) {
	const v = validatorFor(c, ref);
	if (v(data)) return [];
	const all = render(operationId, where, v.errors || [], data);
	const { schema } = deref(c, ref);
	const branches = /** @type {any[] | undefined} */ (schema.oneOf || schema.anyOf);
	if (!branches || !branches.every((b) => typeof b.$ref === 'string')) return all;
	const results = branches.map((b) => {
		const bv = validatorFor(c, b.$ref);
		const ok = bv(data);
		return { name: deref(c, b.$ref).name, ok, violations: ok ? [] : render(operationId, where, bv.errors || [], data) };
	});
	const passing = results.filter((r) => r.ok);
	if (schema.oneOf && passing.length > 1) {
		return [{ message: `${operationId}: ${where} must match exactly one of ${results.map((r) => r.name).join(', ')} (it matches ${passing.map((r) => r.name).join(' and ')})`, param: '' }];
	}
	if (passing.length) return all;
	// The branch closest to the data: fewest missing top-level required fields (they tell the
	// branches apart, e.g. `customer` / `payment_details`, `mode`), then fewest violations.
	/** @param {{ violations: Violation[] }} r */
	const missing = (r) => r.violations.filter((v) => v.param !== '' && !v.param.includes('.') && / is required$/.test(v.message)).length;
	/** @param {{ violations: Violation[] }} r */
	const score = (r) => missing(r) * 1000 + r.violations.length;
	const fewest = Math.min(...results.map(score));
	const best = results.filter((r) => score(r) === fewest);
	// e.g. neither `customer` nor `payment_details`: one missing field per branch
	if (best.length > 1 && best.every((r) => r.violations.length === 1 && missing(r) === 1)) {
		const fields = best.map((r) => fieldName(where, r.violations[0].param.split('.')));
		return [{ message: `${operationId}: ${fields.join(' or ')} is required`, param: best[0].violations[0].param }];
	}
	return best[0].violations;
}

// ---------------------------------------------------------------------------
// unknown keys in request bodies (stricter than the contract, on purpose)

/** @param {unknown} type @param {unknown} data */
function typeAllows(type, data) {
	if (type === undefined) return true;
	const types = Array.isArray(type) ? type : [type];
	const actual = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
	return types.some((t) => t === actual || (t === 'integer' && actual === 'number' && Number.isInteger(data)) || (t === 'number' && actual === 'number'));
}

/**
 * Gathers the property names a schema allows for `data` (an object), through $ref, allOf, the
 * anyOf / oneOf branches whose type fits, and the if/then/else branch that applies. An object
 * schema without properties (e.g. `metadata: { type: object }`) allows any key.
 * `acc.sources` notes which named schema gave properties at which depth, to name the object in messages.
 * @param {Compiled} c @param {any} schema @param {unknown} data
 * @param {Collected} acc @param {number} depth @param {string | null} current the nearest schema name
 */
function collect(c, schema, data, acc, depth, current) {
	if (!schema || typeof schema !== 'object' || depth > 40) return;
	if (!typeAllows(schema.type, data)) return;
	if (typeof schema.title === 'string') current = schema.title;
	if (!acc.name && current) acc.name = current;
	let structural = false;
	if (typeof schema.$ref === 'string') {
		structural = true;
		const target = deref(c, schema.$ref);
		if (!acc.name) acc.name = target.name;
		collect(c, target.schema, data, acc, depth + 1, target.name);
	}
	if (schema.properties) {
		structural = true;
		if (current) acc.sources.push({ name: current, depth });
		for (const [k, s] of Object.entries(schema.properties)) {
			const list = acc.props.get(k) || [];
			list.push(s);
			acc.props.set(k, list);
		}
	}
	for (const s of schema.allOf || []) {
		structural = true;
		collect(c, s, data, acc, depth + 1, current);
	}
	for (const s of schema.anyOf || schema.oneOf || []) {
		structural = true;
		if (branchFits(c, s, data)) collect(c, s, data, acc, depth + 1, current);
	}
	if (schema.if) {
		structural = true;
		const next = validatorFor(c, schema.if)(data) ? schema.then : schema.else;
		if (next) collect(c, next, data, acc, depth + 1, current);
	}
	if (!structural) acc.open = true;
}

/**
 * The name of the object in messages: the deepest schema that gave properties (PaymentDetailsCreditCard
 * inside PaymentDetailsAll), or the outer name when union branches at one depth gave them.
 * @param {Collected} acc @param {string} fallback
 */
function objectName(acc, fallback) {
	if (acc.sources.length === 0) return acc.name || fallback;
	const deepest = Math.max(...acc.sources.map((s) => s.depth));
	const atDeepest = [...new Set(acc.sources.filter((s) => s.depth === deepest).map((s) => s.name))];
	return atDeepest.length === 1 ? atDeepest[0] : acc.name || fallback;
}

/** Does a union branch take values of this type? @param {Compiled} c @param {any} schema @param {unknown} data */
function branchFits(c, schema, data) {
	let s = schema;
	for (let i = 0; i < 20 && s && typeof s.$ref === 'string' && s.type === undefined; i++) s = deref(c, s.$ref).schema;
	if (!s || !typeAllows(s.type, data)) return false;
	if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).some((/** @type {any} */ b) => branchFits(c, b, data));
	return true;
}

/**
 * The item schemas of array schemas (through $ref, allOf and union branches).
 * @param {Compiled} c @param {any} schema @param {unknown[]} data @param {any[]} out @param {number} depth
 */
function collectItems(c, schema, data, out, depth) {
	if (!schema || typeof schema !== 'object' || depth > 40 || !typeAllows(schema.type, data)) return;
	if (typeof schema.$ref === 'string') collectItems(c, deref(c, schema.$ref).schema, data, out, depth + 1);
	if (schema.items) out.push(schema.items);
	for (const s of [...(schema.allOf || []), ...(schema.anyOf || []), ...(schema.oneOf || [])]) collectItems(c, s, data, out, depth + 1);
}

/**
 * @param {Compiled} c @param {string} operationId @param {any[]} schemas @param {unknown} data
 * @param {string[]} path @param {string} fallbackName @param {Violation[]} out
 */
function walkUnknown(c, operationId, schemas, data, path, fallbackName, out) {
	if (Array.isArray(data)) {
		/** @type {any[]} */
		const items = [];
		for (const s of schemas) collectItems(c, s, data, items, 0);
		if (items.length) data.forEach((d, i) => walkUnknown(c, operationId, items, d, [...path, String(i)], `${fallbackName}[]`, out));
		return;
	}
	if (data === null || typeof data !== 'object') return;
	/** @type {Collected} */
	const acc = { props: new Map(), open: false, name: null, sources: [] };
	for (const s of schemas) collect(c, s, data, acc, 0, null);
	const name = objectName(acc, fallbackName);
	for (const [k, v] of Object.entries(data)) {
		const child = acc.props.get(k);
		if (!child) {
			if (!acc.open && acc.props.size > 0) {
				out.push({ message: `${operationId}: ${fieldName('body', [...path, k])} is not a field of ${name}`, param: [...path, k].join('.') });
			}
			continue;
		}
		if (v !== null && typeof v === 'object') walkUnknown(c, operationId, child, v, [...path, k], `${name}.${k}`, out);
	}
}

// ---------------------------------------------------------------------------
// judging

/**
 * @param {Compiled} c @param {any} op @param {Record<string, string | string[]>} query @param {Violation[]} out
 */
function judgeQuery(c, op, query, out) {
	const params = /** @type {any[]} */ (op.queryParams || []);
	const known = new Set(params.map((p) => p.name));
	for (const k of Object.keys(query)) {
		if (!known.has(k)) out.push({ message: `${op.operationId}: query.${k} is not a parameter of ${op.operationId}`, param: k });
	}
	if (params.length === 0) return;
	let v = c.queryValidators.get(op.operationId);
	if (!v) {
		v = c.queryAjv.compile({
			type: 'object',
			properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
			required: params.filter((p) => p.required).map((p) => p.name),
		});
		c.queryValidators.set(op.operationId, v);
	}
	/** @type {Record<string, unknown>} */
	const copy = {};
	for (const [k, val] of Object.entries(query)) if (known.has(k)) copy[k] = Array.isArray(val) ? [...val] : val;
	const original = { ...copy };
	if (!v(copy)) out.push(...render(op.operationId, 'query', v.errors || [], original));
}

/** Media type without parameters. @param {string | undefined} header */
function mediaType(header) {
	return (header || '').split(';')[0].trim().toLowerCase();
}

/**
 * @param {Compiled} c @param {any} op @param {Buffer} raw @param {string | undefined} contentType @param {Violation[]} out
 */
function judgeBody(c, op, raw, contentType, out) {
	const id = op.operationId;
	if (raw.length === 0) {
		if (op.requestBody && op.requestBody.required) judgeParsed(c, op, {}, out);
		return;
	}
	const type = mediaType(contentType);
	if (type !== 'application/json') {
		out.push({ message: `${id}: the body must be application/json (got ${type ? `Content-Type ${type}` : 'no Content-Type'})`, param: 'Content-Type' });
		return;
	}
	/** @type {unknown} */
	let body;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		out.push({ message: `${id}: the body is not valid JSON`, param: '' });
		return;
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		out.push({ message: `${id}: the body must be a JSON object`, param: '' });
		return;
	}
	judgeParsed(c, op, /** @type {Record<string, unknown>} */ (body), out);
}

/** @param {Compiled} c @param {any} op @param {Record<string, unknown>} body @param {Violation[]} out */
function judgeParsed(c, op, body, out) {
	const id = op.operationId;
	if (!op.requestBody) {
		for (const k of Object.keys(body)) out.push({ message: `${id}: body.${k} is not a field: ${id} takes no body`, param: k });
		return;
	}
	const ref = op.requestBody.schema.$ref;
	out.push(...validate(c, id, 'body', ref, body));
	/** @type {Violation[]} */
	const unknown = [];
	walkUnknown(c, id, [{ $ref: ref }], body, [], deref(c, ref).name, unknown);
	out.push(...unknown);
}

/**
 * Judges one request. Pure: nothing is counted here.
 * @param {{ method: string, path: string, query: Record<string, string | string[]>, raw: Buffer | null, contentType?: string }} req
 * @returns {RequestVerdict}
 */
function judgeRequest(req) {
	if (exceptions.unjudged(req.path) !== null) return { operation: null, violations: [] };
	const op = findOperation(req.method, req.path);
	if (!op) return { operation: null, violations: [] };
	const c = compiled();
	/** @type {Violation[]} */
	const violations = [];
	judgeQuery(c, op, req.query, violations);
	if (req.raw !== null) judgeBody(c, op, req.raw, req.contentType, violations);
	return { operation: op.operationId, violations };
}

/**
 * Judges one answer of an operation. Pure.
 * @param {string} operationId @param {number} status @param {string} text the body sent
 * @param {string} version the API version the request was served with
 * @returns {Violation[]}
 */
function judgeAnswer(operationId, status, text, version) {
	const c = compiled();
	const entry = c.byId.get(operationId);
	if (!entry) throw new Error(`contract check: unknown operation ${operationId}`);
	const op = entry.op;
	const ok = status >= 200 && status < 300;
	const where = `answer (HTTP ${status})`;
	const success = op.responses && op.responses.success && op.responses.success.schema;
	const ref = success && success.$ref;
	// The contract models no success body here (a settlement's CSV, an accept's empty 204): nothing to judge.
	if (ok && !ref) return [];
	/** @type {unknown} */
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		return [{ message: `${operationId}: ${where} is not JSON`, param: '' }];
	}
	if (!ok) return validate(c, operationId, 'answer', ERROR_REF, body).map((v) => ({ ...v, message: `${v.message} (HTTP ${status})` }));
	const judged = exceptions.normalizeAnswer(operationId, version, body);
	return validate(c, operationId, 'answer', ref, judged).map((v) => ({ ...v, message: `${v.message} (HTTP ${status})` }));
}

// ---------------------------------------------------------------------------
// tallies

/** @returns {ContractReport} */
function emptyTally() {
	return { requestsChecked: 0, answersChecked: 0, probes: 0, violationCount: 0, violations: [] };
}

/** Everything every judge of this process counted (the jest guard reads it). */
const processTally = emptyTally();
/** Numbers the violations of this process in order (the guard asks for those after a test began). */
let violationSeq = 0;

/** Counts a violation; the list keeps the latest MAX_STORED_VIOLATIONS. @param {ContractReport} t @param {ReportedViolation} v */
function addViolation(t, v) {
	t.violationCount += 1;
	t.violations.push(v);
	if (t.violations.length > MAX_STORED_VIOLATIONS) t.violations.splice(0, t.violations.length - MAX_STORED_VIOLATIONS);
}

/** @param {ContractReport} t @returns {ContractReport} */
function copyTally(t) {
	return { ...t, violations: t.violations.map((v) => ({ ...v })) };
}

/** One sandbox's judge: its mode and its own tally (kept across reset()). */
class ContractJudge {
	/** @param {unknown} mode */
	constructor(mode = 'strict') {
		if (!MODES.includes(/** @type {any} */ (mode))) throw new Error(`contract must be one of ${MODES.join(', ')}`);
		/** @type {ContractMode} */
		this.mode = /** @type {ContractMode} */ (mode);
		this.tally = emptyTally();
	}

	/**
	 * Judges and counts a request. In strict mode its violations are violations; in observe mode a
	 * request with violations is a probe.
	 * @param {{ method: string, path: string, query: Record<string, string | string[]>, raw: Buffer | null, contentType?: string }} req
	 * @param {string} time
	 * @returns {RequestVerdict}
	 */
	request(req, time) {
		const verdict = judgeRequest(req);
		if (verdict.operation === null) return verdict;
		for (const t of [this.tally, processTally]) {
			t.requestsChecked += 1;
			if (verdict.violations.length && this.mode === 'observe') t.probes += 1;
		}
		if (this.mode === 'strict') {
			for (const v of verdict.violations) this.report({ operation: verdict.operation, where: 'request', message: v.message, method: req.method, path: req.path, time });
		}
		return verdict;
	}

	/**
	 * Judges and counts an answer; its violations are violations in both modes (sandbox bugs).
	 * @param {{ operation: string, method: string, path: string, status: number, body: string, version: string }} a
	 * @param {string} time
	 * @returns {Violation[]}
	 */
	answer(a, time) {
		const violations = judgeAnswer(a.operation, a.status, a.body, a.version);
		this.tally.answersChecked += 1;
		processTally.answersChecked += 1;
		for (const v of violations) this.report({ operation: a.operation, where: 'answer', message: v.message, method: a.method, path: a.path, time });
		return violations;
	}

	/** @param {Omit<ReportedViolation, 'seq'>} v */
	report(v) {
		violationSeq += 1;
		const masked = { ...v, seq: violationSeq, message: maskPans(v.message), path: maskPans(v.path) };
		addViolation(this.tally, masked);
		addViolation(processTally, { ...masked });
	}

	/** @returns {ContractReport} */
	contractReport() {
		return copyTally(this.tally);
	}

	clear() {
		this.tally = emptyTally();
	}
}

/** The process-wide tally (every sandbox judge of this process, across clears and resets). */
function processReport() {
	return copyTally(processTally);
}

/**
 * Takes violations out of the process-wide tally (not out of the sandbox's own report). Only for
 * tests that break the contract on purpose in strict mode, to check the check itself
 * (test/sandbox/contract.test.ts); everything else must leave the tally alone.
 * @param {number[]} seqs
 */
function withdrawViolations(seqs) {
	const out = new Set(seqs);
	const before = processTally.violations.length;
	processTally.violations = processTally.violations.filter((v) => !out.has(v.seq));
	processTally.violationCount -= before - processTally.violations.length;
}

/** The one-line summary printed after a test run. @param {{ requestsChecked: number, answersChecked: number, probes: number, violationCount: number }} t */
function summaryLine(t) {
	return (
		`KOMOJU contract: ${t.requestsChecked} requests and ${t.answersChecked} answers checked against contract.json, ` +
		`${t.probes} deliberate probes, ${t.violationCount} violation${t.violationCount === 1 ? '' : 's'}`
	);
}

module.exports = { ContractJudge, judgeRequest, judgeAnswer, findOperation, processReport, withdrawViolations, summaryLine, MODES };
