import {
	NodeOperationError,
	sleep,
	type NodeApiError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	komojuApiError,
	komojuConnectionError,
	markEarlierAttemptMayHaveDeleted,
	markPossiblyProcessed,
	mayHaveActed,
	parseKomojuError,
	redirectError,
	unexpectedResponseError,
} from './errors';
import { rateLimitGateFor } from './rate-limit';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type AttemptFailure } from './retry';

export const API_PREFIX = '/api/v1';

/** The n8n contexts that call KOMOJU: the action node, its dropdowns, and the events poller. */
export type KomojuRequestContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

interface RequestTarget {
	/** Path below /api/v1, built with apiPath() so ids are encoded. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/** A request to KOMOJU. A POST must carry an idempotency key: KOMOJU replays the first result for a repeated key. */
export type KomojuRequest =
	| (RequestTarget & { method: 'POST'; idempotencyKey: string })
	| (RequestTarget & { method: Exclude<IHttpRequestMethods, 'POST'>; idempotencyKey?: never });

export interface RequestSettings {
	itemIndex: number;
	maxRetries: number;
	timeoutMs: number;
}

/** The Max Retries and Timeout every caller uses unless the node's options say otherwise. */
export const DEFAULT_REQUEST_SETTINGS = { maxRetries: 3, timeoutMs: 30_000 } as const;

interface FullResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** How a 2xx answer's body is read: as KOMOJU's JSON, or as the bytes of a file (a settlement's CSV). */
type BodyKind = 'json' | 'file';

interface ConnectionSettings {
	baseUrl: string;
	apiVersion: string;
	/**
	 * The credential as read here, handed to n8n with the request so that n8n does not load and
	 * decrypt it a second time. Undefined when the node holds no saved credential id.
	 */
	credential?: { id: string; name: string; data: ICredentialDataDecryptedObject };
}

/** Joins path segments below /api/v1, URL-encoding each one (ids may hold any character). */
export function apiPath(...segments: string[]): string {
	return `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}

// An action node's context lives for one run of the node, so its settings are read once per run
// (loading and decrypting the credential is n8n's largest cost per request). A poller's context
// outlives many polls and a dropdown's is short: those read the credential every time, so an
// edited credential is never missed.
const settingsPerRun = new WeakMap<object, Promise<ConnectionSettings>>();

function isActionRun(context: KomojuRequestContext): context is IExecuteFunctions {
	return typeof (context as IExecuteFunctions).getInputData === 'function';
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The credential's Base URL, refused unless it is https (plain http only on this machine, e.g. a
 * test sandbox): over http the secret key, and card data, would cross the network unencrypted.
 */
function requireSafeBaseUrl(context: KomojuRequestContext, value: unknown): string {
	const text = String(value || 'https://komoju.com').trim().replace(/\/+$/, '');
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	const refuse = (message: string, description: string) => {
		throw new NodeOperationError(context.getNode(), message, { description });
	};
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
		return refuse('The KOMOJU credential’s Base URL is not an http(s) URL', 'Set it to https://komoju.com.');
	}
	if (url.username || url.password) {
		return refuse(
			'The KOMOJU credential’s Base URL must not contain a user name or password',
			'The secret key is sent as the Authorization header; remove the part before "@".',
		);
	}
	if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
		return refuse(
			'The KOMOJU credential’s Base URL must start with https://',
			'Over http:// the secret key and any card data would travel unencrypted. Plain http is allowed only for a server on this machine (localhost, 127.0.0.1, [::1]), such as a test sandbox.',
		);
	}
	return text;
}

async function readConnectionSettings(context: KomojuRequestContext): Promise<ConnectionSettings> {
	const credentials = await context.getCredentials('komojuApi');
	const chosen = context.getNode().credentials?.komojuApi;
	return {
		baseUrl: requireSafeBaseUrl(context, credentials.baseUrl),
		apiVersion: String(credentials.apiVersion ?? '').trim(),
		...(chosen?.id && { credential: { id: chosen.id, name: chosen.name, data: credentials } }),
	};
}

async function connectionSettings(context: KomojuRequestContext): Promise<ConnectionSettings> {
	if (!isActionRun(context)) return await readConnectionSettings(context);
	let settings = settingsPerRun.get(context);
	if (!settings) {
		settings = readConnectionSettings(context);
		settingsPerRun.set(context, settings);
		// A failed read (e.g. a credential that cannot be decrypted) is not kept for later items.
		settings.catch(() => settingsPerRun.delete(context));
	}
	return await settings;
}

function headerValue(headers: IDataObject, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return value === undefined || value === null ? undefined : String(value);
}

/** n8n wraps transport failures; the network code sits on the wrapped axios error. */
function networkCodeOf(error: unknown): string | undefined {
	const candidates = [error as IDataObject, (error as { cause?: IDataObject })?.cause];
	for (const candidate of candidates) {
		const code = candidate?.code;
		if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return code;
	}
	return undefined;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

interface Answer {
	status: number;
	/** Parsed JSON (or text that is not JSON); for a file, the bytes as sent. */
	body: unknown;
	headers: IDataObject;
}

type Attempt = Answer | { failure: AttemptFailure; toError: (attempts: number) => NodeApiError };

/** Sends the request once. HTTP and connection errors come back as a failure, never thrown. */
async function sendOnce(
	context: KomojuRequestContext,
	options: IHttpRequestOptions,
	itemIndex: number,
	credential: ConnectionSettings['credential'],
): Promise<Attempt> {
	// n8n copies the node on every getNode(): only a failure needs it.
	const node = () => context.getNode();
	// A copy per request: n8n may merge a pre-authentication token into the data it is given.
	const credentialsDecrypted: ICredentialsDecrypted | undefined = credential && { ...credential, type: 'komojuApi', data: { ...credential.data } };
	let response: FullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			'komojuApi',
			options,
			credentialsDecrypted && { credentialsDecrypted },
		)) as FullResponse;
	} catch (error) {
		// Never rethrown as it is: n8n's error keeps the request, card data included, as its cause.
		const networkCode = networkCodeOf(error);
		const reason = String((error as Error)?.message ?? '');
		return {
			failure: { networkCode },
			toError: (attempts) => komojuConnectionError(node(), networkCode, reason, attempts, itemIndex),
		};
	}

	const { statusCode } = response;
	const headers = response.headers ?? {};
	// A file is kept as bytes (a CSV may not be UTF-8); an error answer to it is still KOMOJU's JSON.
	if (statusCode >= 200 && statusCode < 300 && Buffer.isBuffer(response.body)) return { status: statusCode, body: response.body, headers };
	const body = parseBody(Buffer.isBuffer(response.body) ? response.body.toString('utf8') : response.body);
	if (statusCode >= 200 && statusCode < 300) return { status: statusCode, body, headers };
	if (statusCode >= 300 && statusCode < 400) {
		const location = headerValue(headers, 'location');
		return { failure: { status: statusCode }, toError: () => redirectError(node(), statusCode, location, options.url, itemIndex) };
	}
	return {
		failure: {
			status: statusCode,
			retryAfter: headerValue(headers, 'retry-after'),
			komojuCode: parseKomojuError(body).code,
		},
		toError: () => komojuApiError(node(), statusCode, body, itemIndex),
	};
}

/**
 * The only code in the package that sends to KOMOJU. It adds the API version and idempotency
 * headers, retries what is safe to repeat (see retryDelayMs), and turns every failure into a
 * NodeApiError that names the item and never carries the request body.
 */
async function sendWithRetries(
	context: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
	bodyKind: BodyKind = 'json',
): Promise<Answer> {
	const { baseUrl, apiVersion, credential } = await connectionSettings(context);
	const headers: IDataObject = {};
	if (apiVersion) headers['X-KOMOJU-API-VERSION'] = apiVersion;
	if (request.idempotencyKey) headers['X-KOMOJU-IDEMPOTENCY'] = request.idempotencyKey;
	const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries };
	const route = `${request.method} ${API_PREFIX}${request.path}`;
	const gate = rateLimitGateFor(context);
	let anEarlierAttemptMayHaveActed = false;

	for (let retriesSoFar = 0; ; retriesSoFar++) {
		const startedAt = await gate.passThrough();
		const attempt = await sendOnce(
			context,
			{
				method: request.method,
				url: `${baseUrl}${API_PREFIX}${request.path}`,
				headers: { ...headers },
				qs: request.qs,
				body: request.body,
				...(bodyKind === 'json' ? { json: true } : { json: false, encoding: 'arraybuffer' as const }),
				timeout: settings.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// A redirect would carry the secret key, and a POST's card data, to another address.
				disableFollowRedirect: true,
			},
			settings.itemIndex,
			credential,
		);
		const answeredWith = 'body' in attempt ? attempt.status : attempt.failure.status;
		if (answeredWith !== undefined && answeredWith !== 429) gate.answered(startedAt);
		if ('body' in attempt) return attempt;

		const delay = retryDelayMs(attempt.failure, {
			method: request.method,
			hasIdempotencyKey: Boolean(request.idempotencyKey),
			retriesSoFar,
			policy,
		});
		if (delay === undefined) {
			const error = attempt.toError(retriesSoFar + 1);
			if (request.idempotencyKey && mayHaveActed(attempt.failure)) throw markPossiblyProcessed(error, request.idempotencyKey);
			// A repeated DELETE that finds nothing may have lost the answer of its own first attempt.
			if (request.method === 'DELETE' && attempt.failure.status === 404 && anEarlierAttemptMayHaveActed) {
				throw markEarlierAttemptMayHaveDeleted(error);
			}
			throw error;
		}
		anEarlierAttemptMayHaveActed ||= mayHaveActed(attempt.failure);
		const reason = attempt.failure.status ?? attempt.failure.networkCode;
		context.logger.debug(`KOMOJU ${route} failed (${reason}); retry ${retriesSoFar + 1} in ${delay} ms`);
		if (attempt.failure.status === 429) gate.closeFor(delay, startedAt);
		else await sleep(delay);
	}
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeBody(body: unknown): string {
	if (body === undefined) return 'an empty body';
	return typeof body === 'string' ? 'a body that is not JSON' : 'JSON of an unexpected shape';
}

/** A KOMOJU call answered with one JSON object (almost every endpoint). */
export async function komojuApiRequest(
	this: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
): Promise<IDataObject> {
	const { status, body } = await sendWithRetries(this, request, settings);
	if (!isObject(body)) {
		const error = unexpectedResponseError(this.getNode(), status, describeBody(body), settings.itemIndex);
		// Something answered 2xx: a POST may have been processed before a proxy replaced the answer.
		throw request.idempotencyKey ? markPossiblyProcessed(error, request.idempotencyKey) : error;
	}
	return body;
}

/** A KOMOJU call answered with a bare JSON array of objects (`GET /payment_methods`). */
export async function komojuApiRequestArray(
	this: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
): Promise<IDataObject[]> {
	const { status, body } = await sendWithRetries(this, request, settings);
	if (!Array.isArray(body) || !body.every(isObject)) {
		throw unexpectedResponseError(this.getNode(), status, describeBody(body), settings.itemIndex);
	}
	return body;
}

/**
 * A KOMOJU call answered with a file (`GET /settlements/{id}/csv`): its bytes as sent, never
 * parsed. A web page or JSON in its place (a login page, a proxy's answer) is refused.
 */
export async function komojuApiRequestFile(
	this: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
): Promise<Buffer> {
	const { status, body, headers } = await sendWithRetries(this, request, settings, 'file');
	const contentType = headerValue(headers, 'content-type');
	if (!Buffer.isBuffer(body) || /^\s*(text\/html|application\/json)\b/i.test(contentType ?? '')) {
		throw unexpectedResponseError(this.getNode(), status, `a body of type ${contentType ?? 'unknown'} where a file belongs`, settings.itemIndex);
	}
	return body;
}

/**
 * A KOMOJU call whose success has no body (`POST /chargeback_requests/{id}/accept` answers 204,
 * `POST /payments/{id}/refund_request` nothing the node reads).
 * JSON is accepted too; text that is not JSON is not KOMOJU's answer.
 */
export async function komojuApiRequestNoContent(
	this: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
): Promise<void> {
	const { status, body } = await sendWithRetries(this, request, settings);
	if (typeof body === 'string') {
		const error = unexpectedResponseError(this.getNode(), status, describeBody(body), settings.itemIndex);
		throw request.idempotencyKey ? markPossiblyProcessed(error, request.idempotencyKey) : error;
	}
}
