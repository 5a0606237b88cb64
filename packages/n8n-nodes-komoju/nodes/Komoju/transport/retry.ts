import type { IHttpRequestMethods } from 'n8n-workflow';

/** Statuses KOMOJU (or a proxy in front of it) uses for "try again": 409 means the same idempotency key is still in flight. */
export const RETRYABLE_STATUS_CODES = [409, 429, 500, 502, 503, 504];

/** Connection failures where the request may not have reached KOMOJU, or its answer was lost. */
export const RETRYABLE_NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
];

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A longer Retry-After than this is not waited for: the error is reported instead. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxRetries'> = {
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 60_000,
};

/**
 * KOMOJU's card decline codes. KOMOJU's own plugins treat them as final whatever the HTTP
 * status (declines may come as 502 as well as 402): repeating a declined card never helps.
 */
export const CARD_DECLINE_CODES = [
	'bad_verification_value',
	'card_declined',
	'card_expired',
	'exceeds_limit',
	'insufficient_funds',
];

export function isCardDecline(komojuCode: string | undefined): boolean {
	return komojuCode !== undefined && CARD_DECLINE_CODES.includes(komojuCode);
}

export interface AttemptFailure {
	status?: number;
	networkCode?: string;
	retryAfter?: string;
	/** KOMOJU's error code from the body, when it sent one. */
	komojuCode?: string;
}

export interface RetryContext {
	method: IHttpRequestMethods;
	hasIdempotencyKey: boolean;
	/** Retries already made (0 after the first attempt). */
	retriesSoFar: number;
	policy: RetryPolicy;
	random?: () => number;
	now?: number;
}

/**
 * The one retry decision: how long to wait before trying again, or undefined to give up.
 * A request is repeated only when repeating it cannot act twice: GET and DELETE always,
 * POST only with an idempotency key (KOMOJU then replays the first result), PATCH never.
 */
export function retryDelayMs(failure: AttemptFailure, context: RetryContext): number | undefined {
	const { method, policy, retriesSoFar } = context;
	if (retriesSoFar >= policy.maxRetries) return undefined;
	if (!isSafeToRepeat(method, context.hasIdempotencyKey)) return undefined;
	if (isCardDecline(failure.komojuCode)) return undefined;
	const retryable =
		(failure.status !== undefined && RETRYABLE_STATUS_CODES.includes(failure.status)) ||
		(failure.networkCode !== undefined && RETRYABLE_NETWORK_CODES.includes(failure.networkCode));
	if (!retryable) return undefined;

	const random = context.random ?? Math.random;
	const retryAfterMs = parseRetryAfter(failure.retryAfter, context.now ?? Date.now());
	if (retryAfterMs !== undefined) {
		if (retryAfterMs > policy.maxRetryAfterMs) return undefined;
		// A little jitter keeps parallel requests from returning in the same instant.
		return Math.round(retryAfterMs + random() * Math.min(250, retryAfterMs * 0.1 + 50));
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesSoFar);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function isSafeToRepeat(method: IHttpRequestMethods, hasIdempotencyKey: boolean): boolean {
	if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'PUT') return true;
	return method === 'POST' && hasIdempotencyKey;
}

/** Retry-After is either whole seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}
