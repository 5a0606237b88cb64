import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { KomojuErrorBody } from '../helpers/interfaces';
import { redactCardNumbers } from '../helpers/redact';
import { isCardDecline, type AttemptFailure } from './retry';

/*
 * The package's errors: how KOMOJU's answers and failed connections become n8n errors, the
 * fields the package adds to them, and the item Continue On Fail makes of them.
 */

/** An item of a failed run that KOMOJU had already processed. */
export interface ProcessedItem extends IDataObject {
	/** Its position, counted from 1 as n8n shows items. */
	item: number;
	id: string;
	idempotencyKey: string | null;
}

/** The fields the package adds to an n8n error's `context`; only this module names them. */
export interface KomojuErrorFields {
	komojuCode?: string;
	param?: string;
	/** Set when KOMOJU may have processed the POST: repeating it with this key cannot act twice. */
	idempotencyKey?: string;
	processedItems?: ProcessedItem[];
	possiblyProcessedItems?: Array<{ item: number; idempotencyKey: string }>;
}

type PackageError = NodeApiError | NodeOperationError;

function isPackageError(error: unknown): error is PackageError {
	return error instanceof NodeApiError || error instanceof NodeOperationError;
}

export function errorFields(error: unknown): KomojuErrorFields {
	return isPackageError(error) ? (error.context as KomojuErrorFields) : {};
}

function setErrorFields(error: PackageError, fields: KomojuErrorFields): void {
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined) error.context[key] = value as IDataObject[keyof IDataObject];
	}
}

/**
 * Whether KOMOJU may have acted on a request that failed this way: a lost connection, a 5xx or a
 * 409 (still in flight) may hide a processed request; a 429, a 4xx or a card decline did nothing.
 */
export function mayHaveActed(failure: AttemptFailure): boolean {
	if (isCardDecline(failure.komojuCode)) return false;
	const { status } = failure;
	return status === undefined || status === 409 || status >= 500;
}

export interface KomojuErrorDetails {
	code?: string;
	message?: string;
	param?: string;
}

/** Reads KOMOJU's error body, which is `{"error": {...}}`, sometimes `{"error": "text"}`. */
export function parseKomojuError(body: unknown): KomojuErrorDetails {
	if (!body || typeof body !== 'object') return {};
	const error = (body as KomojuErrorBody).error;
	if (typeof error === 'string') return { message: error };
	if (!error || typeof error !== 'object') return {};
	// Redacted here: KOMOJU's code and param reach the error description and Continue On Fail items.
	return {
		code: typeof error.code === 'string' ? redactCardNumbers(error.code) : undefined,
		message: typeof error.message === 'string' ? error.message : undefined,
		param: typeof error.param === 'string' && error.param !== '' ? redactCardNumbers(error.param) : undefined,
	};
}

/** What a person should do about KOMOJU's codes whose meaning does not depend on the status. */
function hintForCode(code: string | undefined): string | undefined {
	if (isCardDecline(code)) {
		return 'The card was declined; nothing was charged and repeating it will not help. Ask the customer for another card or payment method.';
	}
	switch (code) {
		case 'not_capturable':
			return 'Only an authorized payment can be captured. Check its status with Payment → Get: it may be captured, cancelled or expired already.';
		case 'not_refundable':
			return 'This payment cannot be refunded as it is: only captured payments can, and konbini, bank transfer and Pay-easy payments are paid back with Payment → Refund Request instead.';
		case 'not_cancellable':
			return 'Only a pending or authorized payment can be cancelled; refund a captured one instead.';
		case 'invalid_token':
			return 'The token is used, expired or not verified. Create a new one (tokens and secure tokens are single-use and last 24 hours).';
		default:
			return undefined;
	}
}

/** What a person should check, by KOMOJU's code where it says more, else by HTTP status. */
export function hintForStatus(status: number, details: KomojuErrorDetails): string | undefined {
	const byCode = hintForCode(details.code);
	if (byCode) return byCode;
	switch (status) {
		case 400:
			return 'KOMOJU could not read the request. Check the API Version in the credential and the values sent.';
		case 401:
			return 'Check the Secret Key in the KOMOJU credential: it must be a secret key (not the publishable key), and test keys only work with test data, live keys with live data.';
		case 402:
			return 'KOMOJU accepted the request but could not complete it, for example because the card was declined.';
		case 403:
			return 'This key may not make this call. Publishable keys can only do a few things; use the secret key.';
		case 404:
			return 'KOMOJU has no object with this id for this key. Check the id, and that it was created in the same mode (test or live) as the key.';
		case 409:
			return 'KOMOJU is still processing an earlier request with the same idempotency key. Run the item again in a moment: it will get that request’s result.';
		case 422:
			return details.param
				? `Check the value of "${details.param}".`
				: 'Check the values sent: one is missing or not accepted.';
		case 429:
			return 'KOMOJU is limiting the request rate. Lower the number of items per run or add a pause before this node.';
		default:
			return status >= 500
				? 'KOMOJU had a problem and the node’s retries did not get through. Try again later.'
				: undefined;
	}
}

function describe(parts: Array<string | undefined>): string {
	return parts.filter((part): part is string => Boolean(part)).join(' · ');
}

/** A KOMOJU HTTP error as n8n shows it: KOMOJU's message, then code, parameter and a hint. */
export function komojuApiError(
	node: INode,
	status: number,
	body: unknown,
	itemIndex: number,
): NodeApiError {
	const details = parseKomojuError(body);
	const komojuMessage = details.message ? redactCardNumbers(details.message) : undefined;
	const message = komojuMessage
		? `KOMOJU: ${komojuMessage}`
		: `KOMOJU answered HTTP ${status}${typeof body === 'string' && body.trim() ? ' with a body that is not KOMOJU’s JSON' : ''}`;
	const description = describe([
		details.code && `KOMOJU error code: ${details.code}`,
		details.param && `parameter: ${details.param}`,
		hintForStatus(status, details),
	]);
	const error = new NodeApiError(
		node,
		{ httpCode: String(status), komojuCode: details.code ?? null, param: details.param ?? null } as JsonObject,
		{ message, description, httpCode: String(status), itemIndex },
	);
	// Kept on the error so Continue On Fail items can show them as fields.
	setErrorFields(error, { komojuCode: details.code, param: details.param });
	return error;
}

/** Plain words for a network error code; n8n would otherwise swap the whole message for its own text. */
function connectionProblem(networkCode: string | undefined): string {
	switch (networkCode) {
		case 'ECONNREFUSED':
			return 'the connection was refused';
		case 'ECONNRESET':
		case 'EPIPE':
			return 'the connection closed before KOMOJU answered';
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
		case 'ERR_SOCKET_CONNECTION_TIMEOUT':
			return 'no answer within the timeout';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the host name in the Base URL could not be resolved';
		default:
			return 'the request failed before KOMOJU answered';
	}
}

/** The connection failed on every attempt; the request's body (card data) is not attached. */
export function komojuConnectionError(
	node: INode,
	networkCode: string | undefined,
	reason: string,
	attempts: number,
	itemIndex: number,
): NodeApiError {
	const tries = attempts === 1 ? 'once' : `${attempts} times`;
	const detail = networkCode ? `network error: ${networkCode}` : reason && `reason: ${reason}`;
	return new NodeApiError(node, { networkCode: networkCode ?? null } as JsonObject, {
		message: `Could not reach KOMOJU: ${connectionProblem(networkCode)}`,
		description: describe([
			detail && redactCardNumbers(detail),
			`tried ${tries}`,
			'Check the Base URL in the credential and this machine’s network.',
		]),
		itemIndex,
	});
}

/**
 * For a POST that failed without a clear answer (connection lost, 5xx, 409, 429 after the
 * retries): KOMOJU may have acted. Says how to repeat it without acting twice, and keeps the key.
 */
export function markPossiblyProcessed(error: NodeApiError, idempotencyKey: string): NodeApiError {
	setErrorFields(error, { idempotencyKey });
	error.description = describe([
		error.description ?? undefined,
		`KOMOJU may have processed this request. Retry On Fail in this execution reuses its idempotency key (${idempotencyKey}) and cannot act twice; a new execution uses a new key, so check KOMOJU first, or set the Idempotency Key option (e.g. to the order ID).`,
	]);
	return error;
}

/** A DELETE retried after a lost answer that now finds nothing: the first attempt may have done it. */
export function markEarlierAttemptMayHaveDeleted(error: NodeApiError): NodeApiError {
	error.description = describe([
		'An earlier attempt of this delete got no answer and may have succeeded: KOMOJU no longer has the object. Check with Get before treating this as an error.',
		error.description ?? undefined,
	]);
	return error;
}

/** The Base URL answered with a redirect, which the node never follows (nor repeats the request). */
export function redirectError(
	node: INode,
	status: number,
	location: string | undefined,
	requestUrl: string,
	itemIndex: number,
): NodeApiError {
	let target = 'an address it did not name';
	if (location) {
		try {
			target = new URL(location, requestUrl).host || target;
		} catch {
			target = 'an address that is not a valid URL';
		}
	}
	return new NodeApiError(node, { httpCode: String(status) } as JsonObject, {
		message: `KOMOJU’s Base URL redirected the request (HTTP ${status}) to ${target}; the node does not follow redirects`,
		description:
			'Following it would send the secret key, and for card payments the card data, to that address. Nothing was sent there. Set the credential’s Base URL to the address that answers directly (https://komoju.com for KOMOJU).',
		httpCode: String(status),
		itemIndex,
	});
}

/** KOMOJU said 2xx but the body is not the JSON object the node expects. */
export function unexpectedResponseError(
	node: INode,
	status: number,
	what: string,
	itemIndex: number,
): NodeApiError {
	return new NodeApiError(node, { httpCode: String(status) } as JsonObject, {
		message: `KOMOJU returned an unexpected response: ${what}`,
		description:
			'Check that the Base URL in the credential points at KOMOJU (https://komoju.com) and not at another server or a login page.',
		httpCode: String(status),
		itemIndex,
	});
}

/** Two items of one run with the same Idempotency Key option: the later one is not sent. */
export function repeatedIdempotencyKeyError(node: INode, itemIndex: number, earlierItem: number): NodeOperationError {
	return new NodeOperationError(node, `Idempotency Key of item ${itemIndex + 1} is the same as item ${earlierItem + 1}’s`, {
		itemIndex,
		description:
			'KOMOJU would answer this item with the other item’s result instead of acting on it. Give each item its own key, e.g. from a field every item has ({{ $json.orderId }}), or leave the option empty. Nothing was sent for this item.',
	});
}

/** How many items a failure's description lists one by one. */
const LISTED_ITEMS = 20;

function listed<T>(entries: T[], describeEntry: (entry: T) => string): string {
	const shown = entries.slice(0, LISTED_ITEMS).map(describeEntry).join('; ');
	return entries.length > LISTED_ITEMS ? `${shown}; and ${entries.length - LISTED_ITEMS} more` : shown;
}

/**
 * Without Continue On Fail n8n keeps only the error, so the error names the other items KOMOJU
 * already acted on (and those it may have, by their keys): findable in the execution, and a retry
 * of it that sends the same keys gets their results back instead of acting again.
 */
export function reportWorkAlreadyDone(error: unknown, processed: ProcessedItem[], otherFailures: Array<{ itemIndex: number; error: unknown }>): void {
	if (!isPackageError(error)) return;
	const possiblyProcessed = otherFailures.flatMap(({ itemIndex, error: other }) => {
		const { idempotencyKey } = errorFields(other);
		return typeof idempotencyKey === 'string' ? [{ item: itemIndex + 1, idempotencyKey }] : [];
	});
	if (processed.length === 0 && possiblyProcessed.length === 0) return;
	const parts = [error.description ?? ''];
	if (processed.length) {
		parts.push(
			`KOMOJU already processed ${processed.length} other item${processed.length === 1 ? '' : 's'} of this run: ${listed(processed, (entry) => `item ${entry.item} → ${entry.id}${entry.idempotencyKey ? ` (key ${entry.idempotencyKey})` : ''}`)}.`,
		);
	}
	if (possiblyProcessed.length) {
		parts.push(`KOMOJU may also have processed: ${listed(possiblyProcessed, (entry) => `item ${entry.item} (key ${entry.idempotencyKey})`)}.`);
	}
	parts.push('Executions → Retry sends the same idempotency keys, so KOMOJU answers those items with these results instead of acting again.');
	error.description = parts.filter(Boolean).join(' · ');
	setErrorFields(error, { processedItems: processed, possiblyProcessedItems: possiblyProcessed.length ? possiblyProcessed : undefined });
}

/**
 * The error item of Continue On Fail. Its json holds only `error` and `details`, the shape n8n
 * routes to the error output when the node uses "Continue (using error output)".
 */
export function continueOnFailItem(error: unknown, itemIndex: number): INodeExecutionData {
	const { komojuCode, param, idempotencyKey } = errorFields(error);
	const { message, description, httpCode } = error as { message?: string; description?: unknown; httpCode?: unknown };
	const details: IDataObject = {};
	const sources: Array<[string, unknown]> = [
		['description', description],
		['httpCode', httpCode],
		['code', komojuCode],
		['param', param],
		['idempotencyKey', idempotencyKey],
	];
	for (const [key, value] of sources) {
		if (value !== undefined && value !== null && value !== '') details[key] = value as IDataObject[keyof IDataObject];
	}
	return { json: { error: message, details }, pairedItem: { item: itemIndex } };
}

/** The error n8n is given for a failed item: the package's own errors name it, anything else is wrapped. */
export function errorForItem(node: INode, error: unknown, itemIndex: number): PackageError {
	if (isPackageError(error)) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
