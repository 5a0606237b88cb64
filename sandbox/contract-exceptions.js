// @ts-check
'use strict';

/**
 * The one list of what the contract check (sandbox/contract.js) does not judge, and of the
 * places where it deliberately judges differently from contract.json. Each entry says why.
 * Keep it short: anything not listed here is judged against the contract as it is.
 */

const { usesLegacySecureTokenKey } = require('./version');
const { METHODS } = require('./payment-methods');

/**
 * Paths the contract lacks: requests and answers here are not judged (`contract.operation` is null).
 * @type {ReadonlyArray<{ what: string, reason: string, matches: (path: string) => boolean }>}
 */
const UNJUDGED = [
	{
		what: 'GET/POST /three_d_secure_service/offsite',
		reason: "the 3DS page the customer's browser opens (HTML, no API key); KOMOJU's API does not describe it",
		matches: (path) => path === '/three_d_secure_service/offsite',
	},
	{
		what: 'GET/POST /sessions/{id}',
		reason: "the hosted payment page outside /api/v1 (HTML, the customer's browser)",
		matches: (path) => /^\/sessions\/[^/]+$/.test(path),
	},
	{
		what: 'GET/POST /offsite/{payment_id}, GET /instructions/{payment_id}',
		reason:
			"a payment method's own page the customer's browser is sent to (redirect_url: approve or decline) and a slip " +
			"payment's instructions_url (HTML, no API key); KOMOJU's API does not describe them",
		matches: (path) => /^\/offsite\/[^/]+$/.test(path) || /^\/instructions\/[^/]+$/.test(path),
	},
	{
		what: '/__sandbox/*',
		reason: "the sandbox's own test controls",
		matches: (path) => path === '/__sandbox' || path.startsWith('/__sandbox/'),
	},
	{
		what: 'any other path, and /api/v1 routes the contract has no operation for',
		reason: 'nothing to judge against; the sandbox answers them 404 not_found',
		matches: () => false, // decided by the operation lookup in contract.js
	},
	{
		what: 'success answers of operations whose success the contract models without a body (showSettlementCSV, acceptChargebackRequest)',
		reason: 'the SDK models no body there (a CSV file; an empty 204): there is no schema to judge against. Their error answers are judged',
		matches: () => false, // decided in contract.js, which knows the operation
	},
	{
		what: 'answers of injected `status` faults with a body of their own',
		reason: 'the test wrote that body on purpose (e.g. a non-JSON 502); the default fault body is judged',
		matches: () => false, // decided in server.js, which knows the fault
	},
];

/**
 * Deliberate deviations: where the contract is judged with a change, and why. `patch` changes the
 * in-memory copy of contract.json the check compiles (the vendored file stays as KOMOJU's SDK says);
 * `normalize` rewrites an answer of an older API version before it is judged.
 * @typedef {{
 *   id: string,
 *   operations: string[],
 *   where: 'request' | 'answer',
 *   reason: string,
 *   patch?: (schemas: Record<string, any>) => void,
 *   applies?: (version: string) => boolean,
 *   normalize?: (body: unknown) => unknown,
 * }} Deviation
 * @type {ReadonlyArray<Deviation>}
 */
const DEVIATIONS = [
	{
		id: 'legacy-secure-token-id',
		operations: ['showSecureToken'],
		where: 'answer',
		reason:
			'the contract describes API version 2025-01-28; before it (2024-07-15, also the sandbox default without ' +
			'X-KOMOJU-API-VERSION) GET /secure_tokens/{id} names the id `secure_token` (docs §6.7). Such answers are ' +
			'judged with `secure_token` read as `id`; everything else as the contract says',
		applies: (version) => usesLegacySecureTokenKey(version),
		normalize: (body) => {
			if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
			const { secure_token: id, ...rest } = /** @type {Record<string, unknown>} */ (body);
			return id === undefined || 'id' in rest ? body : { id, ...rest };
		},
	},
	{
		id: 'customer-token-id',
		operations: ['createCustomer', 'updateCustomer'],
		where: 'request',
		reason:
			"`payment_details` may be a token id string (KOMOJU's long-term token guide: a one-time token becomes a " +
			"customer's card). The contract allows the id string only on createPayment and paySession (its *Wire schemas)",
		patch: (schemas) => {
			for (const name of ['CreateCustomerRequest', 'UpdateCustomerRequest']) {
				schemas[name].properties.payment_details = {
					anyOf: [{ $ref: '#/schemas/PaymentDetailsOnlyCreditCards' }, { $ref: '#/schemas/PaymentDetailsTokenId' }],
				};
			}
		},
	},
	{
		id: 'event-data',
		operations: ['showEvent', 'listEvents'],
		where: 'answer',
		reason:
			'the contract types Event.data as a Payment only (the SDK has no other event payload); customer.*, ' +
			'subscription.* and settlement.* events carry the Customer, the Subscription and the Settlement, so their ' +
			'data is judged against those, all other events against Payment',
		patch: (schemas) => {
			const event = schemas.Event;
			event.properties.data = { type: 'object' };
			/** @param {string} prefix @param {string} schema @param {object} otherwise */
			const byType = (prefix, schema, otherwise) => ({
				if: { properties: { type: { type: 'string', pattern: `^${prefix}\\.` } }, required: ['type'] },
				then: { properties: { data: { $ref: `#/schemas/${schema}` } } },
				else: otherwise,
			});
			Object.assign(
				event,
				byType('customer', 'Customer', byType('subscription', 'Subscription', byType('settlement', 'Settlement', { properties: { data: { $ref: '#/schemas/Payment' } } }))),
			);
		},
	},
	{
		id: 'null-when-absent',
		operations: ['every operation whose answer holds a Payment (payments, sessions, payment lists, events)'],
		where: 'answer',
		reason:
			'the SDK types these as required and non-null, yet a payment can lack them: `session` (not paid through a ' +
			'session), `statement_descriptor` (none configured), a card\'s `payment_details.email` (none given) and a ' +
			"refund's `description` (none given). The sandbox sends null there rather than invent a value",
		patch: (schemas) => {
			/** @param {any} props @param {string} key */
			const nullable = (props, key) => {
				props[key] = { anyOf: [props[key], { type: 'null' }] };
			};
			nullable(schemas.Payment.properties, 'session');
			nullable(schemas.Payment.properties, 'statement_descriptor');
			nullable(schemas.ResponsePaymentDetailsCreditCard.properties, 'email');
			nullable(schemas.Refund.properties, 'description');
		},
	},
	{
		id: 'method-null-when-absent',
		operations: ['every operation whose answer holds a Payment (payments, sessions, payment lists, events)'],
		where: 'answer',
		reason:
			"the SDK types these as required (or present) non-null strings, yet KOMOJU can have no value: a non-card " +
			"payment's `payment_details.email` when the request gave none (most methods' PaymentDetails* have no email " +
			"field at all, yet their ResponsePaymentDetails* require one), and a refund request's `bank_code` and " +
			"`branch_name`, optional in CreateRefundRequestRequest (the SDK text says bank_code may be null: contract " +
			'deviations). The sandbox sends null there rather than invent a value',
		patch: (schemas) => {
			// the ResponsePaymentDetails* schema of each method the sandbox offers, by ResponsePaymentDetailsAll's type
			for (const branch of schemas.ResponsePaymentDetailsAll.allOf) {
				if (!Object.prototype.hasOwnProperty.call(METHODS, branch.if.properties.type.const)) continue;
				const props = schemas[branch.then.$ref.split('/').pop()].properties;
				if (props.email) props.email = { anyOf: [props.email, { type: 'null' }] };
			}
			for (const key of ['bank_code', 'branch_name']) {
				schemas.RefundRequest.properties[key] = { anyOf: [schemas.RefundRequest.properties[key], { type: 'null' }] };
			}
		},
	},
];

/**
 * contract.json as the check judges it: a copy with the deviations' patches applied.
 * @param {{ schemas: Record<string, any> }} contract
 */
function judgedContract(contract) {
	const copy = JSON.parse(JSON.stringify(contract));
	for (const d of DEVIATIONS) if (d.patch) d.patch(copy.schemas);
	return copy;
}

/**
 * The success answer as judged: legacy-version differences undone.
 * @param {string} operationId @param {string} version @param {unknown} body
 */
function normalizeAnswer(operationId, version, body) {
	let out = body;
	for (const d of DEVIATIONS) {
		if (d.where === 'answer' && d.normalize && d.operations.includes(operationId) && (!d.applies || d.applies(version))) out = d.normalize(out);
	}
	return out;
}

/** The reason a path is not judged, or null. @param {string} path */
function unjudged(path) {
	const hit = UNJUDGED.find((u) => u.matches(path));
	return hit ? hit.reason : null;
}

module.exports = { UNJUDGED, DEVIATIONS, judgedContract, normalizeAnswer, unjudged };
