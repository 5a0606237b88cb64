// @ts-check
'use strict';

/**
 * KOMOJU sandbox: a local stand-in for KOMOJU's payment API (see sandbox/README.md).
 *
 *   const { startSandbox } = require('./sandbox/server');
 *   const sandbox = await startSandbox();   // sandbox.url, sandbox.close(), ...
 *
 *   node sandbox/server.js [--port 4180] [--host 127.0.0.1] [--latency-ms N] [--rate-limit N]
 */

const http = require('node:http');
const { ApiError, errorBody, defaultErrorBody, badRequest, notFound, invalid, maskPans } = require('./errors');
const { readBody, parseBody, parseQuery } = require('./body');
const { resolveVersion, API_VERSIONS } = require('./version');
const { readKey, fingerprint } = require('./idempotency');
const { FaultError } = require('./faults');
const { maskBody, maskDeep } = require('./record');
const { createState, resetState, stopDeliveries, iso, DEFAULT_WEBHOOK_CONFIG } = require('./state');
const events = require('./events');
const webhooks = require('./webhooks');
const secureTokens = require('./secure-tokens');
const customers = require('./customers');
const payments = require('./payments');
const tokens = require('./tokens');
const sessions = require('./sessions');
const offsite = require('./offsite');
const slips = require('./slips');
const refundRequests = require('./refund-requests');
const barcodes = require('./barcodes');
const { methodControl, handleMethod } = require('./method-controls');
const subscriptions = require('./subscriptions');
const settlements = require('./settlements');
const chargebacks = require('./chargebacks');
const { ContractJudge } = require('./contract');

/**
 * @typedef {import('./state').State} State
 * @typedef {import('./state').ApiKey} ApiKey
 * @typedef {import('./state').SandboxConfig} SandboxConfig
 * @typedef {import('./record').RecordedRequest} RecordedRequest
 * @typedef {import('./faults').FaultRule} FaultRule
 * @typedef {import('./faults').FaultRuleInput} FaultRuleInput
 * @typedef {import('./faults').FaultAction} FaultAction
 * @typedef {ReturnType<typeof secureTokens.view>} SecureTokenView
 * @typedef {ReturnType<typeof customers.view>} CustomerView
 * @typedef {ReturnType<typeof payments.view>} PaymentView
 * @typedef {ReturnType<typeof sessions.view>} SessionView
 * @typedef {ReturnType<typeof tokens.view>} TokenView
 * @typedef {ReturnType<typeof payments.present>} PaymentObject
 * @typedef {ReturnType<typeof subscriptions.view>} SubscriptionView
 * @typedef {ReturnType<typeof settlements.view>} SettlementView
 * @typedef {ReturnType<typeof chargebacks.view>} ChargebackView
 * @typedef {import('./state').KomojuEvent} KomojuEvent
 * @typedef {import('./webhooks').WebhookConfig} WebhookConfig
 * @typedef {import('./webhooks').WebhookView} WebhookView
 * @typedef {import('./webhooks').DeliveryAttempt} DeliveryAttempt
 * @typedef {import('./webhooks').SignatureMode} SignatureMode
 * @typedef {{ url: string, secret: string, events: string[], merchant?: string }} WebhookInput
 * @typedef {{ url: string, secret: string, event: Record<string, unknown>, signature?: SignatureMode, pretty?: boolean }} SendWebhookInput
 *
 * @typedef {Object} SandboxOptions
 * @property {number} [port] default 0 (a free port)
 * @property {string} [host] default 127.0.0.1
 * @property {string[]} [secretKeys] default ['sk_test_sandbox']
 * @property {string[]} [publishableKeys] default ['pk_test_sandbox']; publishableKeys[i] belongs to the merchant of secretKeys[i]
 * @property {number} [latencyMs] delay added to every API request, default 0
 * @property {number} [rateLimitPerSecond] API requests allowed per rolling second, default 0 (off)
 * @property {string} [defaultApiVersion] version used without X-KOMOJU-API-VERSION, default '2024-07-15'
 * @property {string} [publicUrl] base URL put in authentication_url, default the listening URL
 * @property {() => number} [now] clock in epoch ms, default Date.now
 * @property {Partial<WebhookConfig>} [webhooks] delivery settings, default { maxAttempts: 4, retryDelayMs: 1000, timeoutMs: 5000 }
 * @property {import('./contract').ContractMode} [contract] 'strict' (default): a request that breaks KOMOJU's contract is
 *   answered 400 contract_violation; 'observe': it is processed and counted as a probe. Answers are judged in both modes.
 *
 * @typedef {Object} SandboxHandle
 * @property {string} url e.g. http://127.0.0.1:PORT
 * @property {number} port
 * @property {string} secretKey the first secret key
 * @property {string} publishableKey the first publishable key
 * @property {() => Promise<void>} close
 * @property {() => void} reset forgets resources, idempotency keys, faults, requests, config changes and clock offset
 * @property {RecordedRequest[]} requests live array of recorded requests
 * @property {() => void} clearRequests
 * @property {() => SecureTokenView[]} secureTokens
 * @property {() => CustomerView[]} customers
 * @property {() => PaymentView[]} payments sandbox views of payments, in creation order
 * @property {() => SessionView[]} sessions
 * @property {() => TokenView[]} tokens
 * @property {() => SubscriptionView[]} subscriptions
 * @property {() => SettlementView[]} settlements
 * @property {() => ChargebackView[]} chargebacks
 * @property {(id: string) => ReturnType<typeof subscriptions.billSubscription>} billSubscription bills the period due (throws for an unknown or inactive subscription)
 * @property {(input?: { merchant?: string, currency?: string }) => ReturnType<typeof settlements.settle>} settle settles what the ledger holds unsettled in one currency (default JPY)
 * @property {(input: { payment: string, reasonCode?: string, reason?: string, dueInDays?: number }) => ReturnType<typeof chargebacks.openChargeback>} openChargeback opens a pending chargeback on a captured payment
 * @property {(id: string) => string} sessionPageUrl the hosted page of a session on the listening URL
 * @property {(id: string) => string} offsitePageUrl a redirect payment's page (its redirect_url) on the listening URL
 * @property {(id: string) => PaymentObject} payAtStore the customer pays an authorized slip payment: captured; throws when refused
 * @property {(id: string) => PaymentObject} expireNow an authorized slip payment's deadline is now: expired; throws when refused
 * @property {(id: string) => PaymentObject} completeRefundRequest KOMOJU refunds a pending refund request; throws when refused
 * @property {(id: string) => PaymentObject} rejectRefundRequest KOMOJU rejects a pending refund request; throws when refused
 * @property {(rule: FaultRuleInput) => FaultRule} injectFault
 * @property {() => void} clearFaults
 * @property {() => FaultRule[]} faults active rules
 * @property {(patch: Partial<SandboxConfig>) => SandboxConfig} configure change latencyMs / rateLimitPerSecond
 * @property {(ms: number) => void} advanceClock move the sandbox clock forward (or back); slip payments past their deadline expire
 * @property {() => number} now the sandbox clock, epoch ms
 * @property {() => KomojuEvent[]} events every merchant's events, newest first, as the API shows them
 * @property {(input: WebhookInput) => WebhookView} registerWebhook registers an endpoint and sends it a ping; throws on invalid input
 * @property {() => WebhookView[]} webhooks registered endpoints (the secret is never shown)
 * @property {(id?: string) => boolean} removeWebhooks removes one endpoint, or all without an id; false for an unknown id
 * @property {() => DeliveryAttempt[]} deliveries live array of delivery attempts, oldest first
 * @property {() => void} clearDeliveries empties the attempt log (recorded deliveries stay redeliverable)
 * @property {(deliveryId: string) => Promise<DeliveryAttempt>} redeliver same bytes, X-Komoju-ID and signature, once; rejects for an unknown id
 * @property {(input: SendWebhookInput) => Promise<DeliveryAttempt>} sendWebhook sends an arbitrary event once
 * @property {(timeoutMs?: number) => Promise<void>} waitForDeliveries resolves when no delivery is in flight or waiting to be retried
 * @property {(patch: Partial<WebhookConfig>) => WebhookConfig} configureWebhooks change maxAttempts / retryDelayMs / timeoutMs
 * @property {() => import('./contract').ContractReport} contractReport what the contract check counted (kept across reset())
 * @property {() => void} clearContractReport
 *
 * @typedef {{
 *   state: State,
 *   req: import('node:http').IncomingMessage,
 *   res: import('node:http').ServerResponse,
 *   method: string,
 *   path: string,
 *   rawQuery: string,
 *   query: Record<string, string | string[]>,
 *   raw: Buffer,
 *   record: RecordedRequest,
 *   fault: FaultRule | null,
 *   kind: 'api' | '3ds' | 'session' | 'offsite' | 'other',
 *   delaysApplied: boolean,
 *   started: number,
 *   verdict: import('./contract').RequestVerdict,
 *   judgeAnswer: boolean,
 * }} Ctx
 */

const JSON_TYPE = 'application/json';

/**
 * A route's segments are literal, or `:name` for a path parameter (the handler gets `params`, and
 * `:id` also as `id`). A handler answers JSON (`body`), or `text` of its `contentType` (a CSV; an
 * empty 204).
 * @typedef {{ method: string, segments: string[], publishable?: boolean, scenario?: boolean,
 *   handler: (env: any) => { status: number, body?: unknown, text?: string, contentType?: string } }} Route
 * @type {Route[]}
 */
const ROUTES = [
	{ method: 'POST', segments: ['secure_tokens'], publishable: true, handler: secureTokens.createSecureToken },
	{ method: 'GET', segments: ['secure_tokens', ':id'], publishable: true, handler: secureTokens.getSecureToken },
	{ method: 'POST', segments: ['tokens'], publishable: true, handler: tokens.createToken },
	{ method: 'POST', segments: ['customers'], scenario: true, handler: customers.createCustomer },
	{ method: 'GET', segments: ['customers'], handler: customers.listCustomers },
	{ method: 'GET', segments: ['customers', ':id'], handler: customers.getCustomer },
	{ method: 'PATCH', segments: ['customers', ':id'], handler: customers.updateCustomer },
	{ method: 'DELETE', segments: ['customers', ':id'], handler: customers.deleteCustomer },
	{ method: 'POST', segments: ['payments'], scenario: true, handler: payments.createPayment },
	{ method: 'GET', segments: ['payments'], handler: payments.listPayments },
	{ method: 'GET', segments: ['payments', ':id'], handler: payments.getPayment },
	{ method: 'PATCH', segments: ['payments', ':id'], handler: payments.updatePayment },
	{ method: 'POST', segments: ['payments', ':id', 'capture'], handler: payments.capturePayment },
	{ method: 'POST', segments: ['payments', ':id', 'refund'], handler: payments.refundPayment },
	{ method: 'POST', segments: ['payments', ':id', 'cancel'], handler: payments.cancelPayment },
	{ method: 'POST', segments: ['payments', ':id', 'refund_request'], handler: refundRequests.createRefundRequest },
	{ method: 'GET', segments: ['barcodes', ':id'], handler: barcodes.showBarcode },
	{ method: 'GET', segments: ['payment_methods'], handler: payments.listPaymentMethods },
	{ method: 'POST', segments: ['sessions'], scenario: true, handler: sessions.createSession },
	{ method: 'GET', segments: ['sessions', ':id'], handler: sessions.getSession },
	{ method: 'POST', segments: ['sessions', ':id', 'cancel'], handler: sessions.cancelSession },
	{ method: 'GET', segments: ['events'], handler: events.listEvents },
	{ method: 'GET', segments: ['events', ':id'], handler: events.getEvent },
	{ method: 'POST', segments: ['subscriptions'], handler: subscriptions.createSubscription },
	{ method: 'GET', segments: ['subscriptions'], handler: subscriptions.listSubscriptions },
	{ method: 'GET', segments: ['subscriptions', ':id'], handler: subscriptions.getSubscription },
	{ method: 'DELETE', segments: ['subscriptions', ':id'], handler: subscriptions.deleteSubscription },
	{ method: 'GET', segments: ['settlements'], handler: settlements.listSettlements },
	{ method: 'GET', segments: ['settlements', ':id'], handler: settlements.showSettlement },
	{ method: 'GET', segments: ['settlements', ':id', 'csv'], handler: settlements.showSettlementCSV },
	{ method: 'GET', segments: ['balances', ':currency'], handler: settlements.showBalance },
	{ method: 'GET', segments: ['balances', ':currency', 'transactions'], handler: settlements.balanceTransactions },
	{ method: 'GET', segments: ['balances', ':currency', 'transactions', ':id'], handler: settlements.showTransaction },
	{ method: 'GET', segments: ['chargeback_requests'], handler: chargebacks.listChargebackRequests },
	{ method: 'GET', segments: ['chargeback_requests', ':id'], handler: chargebacks.showChargebackRequest },
	{ method: 'POST', segments: ['chargeback_requests', ':id', 'accept'], handler: chargebacks.acceptChargebackRequest },
];

// ---------------------------------------------------------------------------
// helpers

/** @param {State} state @param {number} ms */
function sleep(state, ms) {
	return new Promise((resolve) => {
		const t = setTimeout(() => {
			state.timers.delete(t);
			resolve(undefined);
		}, ms);
		state.timers.add(t);
	});
}

/** Applies latency (API only) and an injected delay, once per request. @param {Ctx} ctx */
async function applyDelays(ctx) {
	if (ctx.delaysApplied) return;
	ctx.delaysApplied = true;
	let ms = ctx.kind === 'api' ? ctx.state.config.latencyMs : 0;
	if (ctx.fault && ctx.fault.kind === 'delay') ms += /** @type {{ delayMs: number }} */ (ctx.fault.action).delayMs;
	if (ms > 0) await sleep(ctx.state, ms);
}

/** @param {Ctx} ctx @param {'answered' | 'dropped' | 'lost'} outcome @param {number | null} status */
function finishRecord(ctx, outcome, status) {
	ctx.record.outcome = outcome;
	ctx.record.status = status;
	ctx.record.durationMs = Date.now() - ctx.started;
}

/**
 * Sends a response (after the delays), unless a failAfterProcessing fault replaces it.
 * @param {Ctx} ctx
 * @param {number} status
 * @param {Record<string, string>} headers
 * @param {string} body
 */
async function send(ctx, status, headers, body) {
	await applyDelays(ctx);
	ctx.record.processedStatus = status;
	const fault = ctx.fault;
	if (fault && fault.kind === 'failAfterProcessing') {
		const replacement = /** @type {{ status?: number }} */ (fault.action).status;
		if (replacement === undefined) {
			ctx.req.socket.destroy();
			finishRecord(ctx, 'lost', null);
			return;
		}
		write(ctx, replacement, { 'Content-Type': JSON_TYPE }, JSON.stringify(defaultErrorBody(replacement)));
		return;
	}
	write(ctx, status, headers, body);
}

/** @param {Ctx} ctx @param {number} status @param {Record<string, string>} headers @param {string} body */
function write(ctx, status, headers, body) {
	if (ctx.res.destroyed || ctx.res.headersSent) return;
	checkAnswer(ctx, status, body);
	const buf = Buffer.from(body, 'utf8');
	ctx.res.writeHead(status, { ...headers, 'Content-Length': String(buf.length) });
	ctx.res.end(ctx.method === 'HEAD' ? undefined : buf);
	finishRecord(ctx, 'answered', status);
}

/**
 * Judges an API answer against the contract before it is sent (once per request; answers the
 * test wrote itself, in a status fault, are not judged).
 * @param {Ctx} ctx @param {number} status @param {string} body
 */
function checkAnswer(ctx, status, body) {
	const operation = ctx.verdict.operation;
	if (!ctx.judgeAnswer || operation === null) return;
	ctx.judgeAnswer = false;
	const version = ctx.record.apiVersion || ctx.state.defaultApiVersion;
	const violations = ctx.state.contract.answer({ operation, method: ctx.method, path: ctx.path, status, body, version }, iso(ctx.state.clock()));
	ctx.record.contract.answerViolations = violations.map((v) => maskPans(v.message));
}

/** A strict-mode answer to a request that breaks the contract. @param {import('./contract').RequestVerdict} verdict */
function contractViolation(verdict) {
	const messages = verdict.violations.map((v) => v.message);
	return new ApiError(400, 'contract_violation', `The request breaks KOMOJU's API contract: ${messages.join('; ')}`, verdict.violations[0].param, {
		violations: messages,
	});
}

/** @param {Ctx} ctx @param {number} status @param {unknown} value @param {Record<string, string>} [extra] */
function sendJson(ctx, status, value, extra = {}) {
	return send(ctx, status, { 'Content-Type': JSON_TYPE, ...extra }, JSON.stringify(value));
}

/** @param {ApiError} e */
function errorJson(e) {
	return errorBody(e.code, e.message, e.param, e.details);
}

/** @param {import('node:http').IncomingHttpHeaders} headers @param {string} name */
function header(headers, name) {
	return headers[name.toLowerCase()];
}

// ---------------------------------------------------------------------------
// API pipeline

/**
 * Counts this request in the rolling one-second window (rejected ones count too).
 * Returns 0 when allowed, else the Retry-After seconds.
 * @param {State} state
 */
function takeRateSlot(state) {
	const limit = state.config.rateLimitPerSecond;
	if (!limit) return 0;
	const now = state.clock();
	const w = state.rateWindow;
	while (w.length && w[0] <= now - 1000) w.shift();
	const limited = w.length >= limit;
	w.push(now);
	if (!limited) return 0;
	return Math.max(1, Math.ceil((w[w.length - limit] + 1000 - now) / 1000));
}

/**
 * HTTP Basic: the key is the username, the password must be empty.
 * @param {State} state
 * @param {string | undefined} value
 * @returns {ApiKey}
 */
function authenticate(state, value) {
	/** @param {string} message */
	const fail = (message) => new ApiError(401, 'unauthorized', message);
	if (!value) throw fail('No API key given. Use HTTP Basic auth with the API key as the username and an empty password.');
	const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(value);
	if (!m) throw fail('The Authorization header must use HTTP Basic auth with the API key as the username.');
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) throw fail('The Basic credentials must have the form "<API key>:" (key as username, empty password).');
	if (decoded.slice(colon + 1) !== '') throw fail('The Basic auth password must be empty; the API key is the username.');
	const key = state.keys.get(decoded.slice(0, colon));
	if (!key) throw fail('The API key is invalid.');
	return key;
}

/**
 * @param {string} method
 * @param {string} path
 * @returns {{ route: Route, id: string, params: Record<string, string> }}
 */
function matchRoute(method, path) {
	const rest = path.slice('/api/v1/'.length);
	const parts = path.startsWith('/api/v1/') ? rest.split('/') : [];
	for (const route of ROUTES) {
		if (route.segments.length !== parts.length) continue;
		/** @type {Record<string, string>} */
		const params = {};
		let ok = true;
		for (let i = 0; i < parts.length && ok; i++) {
			const seg = route.segments[i];
			if (seg.startsWith(':')) {
				if (parts[i] === '') ok = false;
				else {
					try {
						params[seg.slice(1)] = decodeURIComponent(parts[i]);
					} catch {
						throw badRequest('The path has invalid percent-encoding.');
					}
				}
			} else if (seg !== parts[i]) ok = false;
		}
		// A known path with another method is answered like an unknown route (404).
		if (ok && route.method === method) return { route, id: params.id ?? '', params };
	}
	throw notFound('No such API endpoint.');
}

/**
 * `Komoju-Scenario` (docs §7.3): only `insufficient_funds`, on POST /customers, /payments and /sessions.
 * @param {string | string[] | undefined} value
 * @param {Route} route
 */
function readScenario(value, route) {
	if (value === undefined) return null;
	if (!route.scenario) {
		throw badRequest('The sandbox supports Komoju-Scenario only on POST /api/v1/customers, /api/v1/payments and /api/v1/sessions.', 'Komoju-Scenario');
	}
	if (value !== 'insufficient_funds') throw badRequest('The sandbox supports only the insufficient_funds scenario.', 'Komoju-Scenario');
	return value;
}

/** @param {Ctx} ctx */
async function handleApi(ctx) {
	const { state, req } = ctx;
	/** @type {import('./idempotency').Claim | null} */
	let claim = null;
	try {
		const retryAfter = takeRateSlot(state);
		if (retryAfter) {
			throw Object.assign(new ApiError(429, 'too_many_requests', 'Too many requests. Retry after the time given in Retry-After.'), { retryAfter });
		}
		const auth = authenticate(state, req.headers.authorization);
		ctx.record.apiKey = auth.key;
		ctx.record.keyKind = auth.kind;
		const version = resolveVersion(header(req.headers, 'X-KOMOJU-API-VERSION'), state.defaultApiVersion);
		ctx.record.apiVersion = version;
		const { route, id, params } = matchRoute(ctx.method, ctx.path);
		if (auth.kind === 'publishable' && !route.publishable) {
			throw new ApiError(403, 'forbidden', 'A publishable key may only create and read secure tokens; use the secret key.');
		}
		const scenario = readScenario(header(req.headers, 'Komoju-Scenario'), route);
		const idemKey = readKey(header(req.headers, 'X-KOMOJU-IDEMPOTENCY'), ctx.method);
		ctx.record.idempotencyKey = idemKey;

		/** @type {Record<string, unknown>} */
		let body = {};
		if (ctx.method === 'POST' || ctx.method === 'PATCH') {
			const firstQuery = Object.keys(ctx.query)[0];
			if (firstQuery !== undefined) throw invalid(firstQuery, `${ctx.method} parameters must be sent in the request body`);
			body = parseBody(ctx.raw, req.headers['content-type']);
		}
		// Strict mode: a request that breaks the contract is refused here, before the idempotency
		// key is stored and before the endpoint runs.
		if (state.contract.mode === 'strict' && ctx.verdict.violations.length) throw contractViolation(ctx.verdict);

		if (idemKey !== null) {
			try {
				claim = state.idempotency.claim(auth.key, idemKey, fingerprint(ctx.method, ctx.path, req.headers['content-type'], ctx.raw));
			} catch (e) {
				ctx.record.idempotency = e instanceof ApiError && e.status === 409 ? 'conflict' : 'mismatch';
				throw e;
			}
			if (claim.type === 'replay') {
				ctx.record.idempotency = 'replayed';
				const stored = claim.result;
				claim = null;
				await send(ctx, stored.status, { 'Content-Type': stored.contentType ?? JSON_TYPE }, stored.body);
				return;
			}
			ctx.record.idempotency = 'stored';
		}

		await applyDelays(ctx);
		/** @type {{ status: number, body: string, contentType?: string }} */
		let result;
		try {
			const r = route.handler({ state, auth, version, body, query: ctx.query, id, params, scenario });
			result = r.text === undefined ? { status: r.status, body: JSON.stringify(r.body) } : { status: r.status, body: r.text, contentType: r.contentType };
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			result = { status: e.status, body: JSON.stringify(errorJson(e)) };
		}
		if (claim && claim.type === 'new') {
			state.idempotency.complete(claim, result);
			claim = null;
		}
		await send(ctx, result.status, { 'Content-Type': result.contentType ?? JSON_TYPE }, result.body);
	} catch (e) {
		if (claim && claim.type === 'new') state.idempotency.release(claim);
		if (e instanceof ApiError) {
			const retryAfter = /** @type {{ retryAfter?: number }} */ (e).retryAfter;
			await sendJson(ctx, e.status, errorJson(e), retryAfter ? { 'Retry-After': String(retryAfter) } : {});
			return;
		}
		process.stderr.write(`komoju sandbox: internal error: ${maskPans(e instanceof Error && e.stack ? e.stack : String(e))}\n`);
		await sendJson(ctx, 500, defaultErrorBody(500));
	}
}

/**
 * The customer-facing pages: the 3DS page and a session's hosted page.
 * @param {Ctx} ctx
 */
async function handlePage(ctx) {
	/** @type {Record<string, unknown>} */
	let form = {};
	if (ctx.method === 'POST') {
		try {
			form = parseBody(ctx.raw, ctx.req.headers['content-type']);
		} catch {
			await send(ctx, 400, { 'Content-Type': 'text/html; charset=utf-8' }, '<!doctype html><p>Bad request</p>\n');
			return;
		}
	}
	const r =
		ctx.kind === 'session'
			? sessions.hostedPage(ctx.state, ctx.method, sessionPageId(ctx.path), ctx.query, form)
			: ctx.kind === 'offsite'
				? offsite.handlePage(ctx.state, ctx.method, ctx.path, form)
				: secureTokens.offsite(ctx.state, ctx.method, ctx.query, form);
	await send(ctx, r.status, r.headers, r.body);
}

/** The session id of a hosted-page path `/sessions/{id}`, or '' when it is not one. @param {string} path */
function sessionPageId(path) {
	const m = /^\/sessions\/([^/]+)$/.exec(path);
	if (!m) return '';
	try {
		return decodeURIComponent(m[1]);
	} catch {
		return '';
	}
}

// ---------------------------------------------------------------------------
// request entry

/**
 * @param {State} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handleRequest(state, req, res) {
	const started = Date.now();
	const method = (req.method || 'GET').toUpperCase();
	const target = req.url || '/';
	const q = target.indexOf('?');
	const path = q < 0 ? target : target.slice(0, q);
	const rawQuery = q < 0 ? '' : target.slice(q + 1);
	// deadlines pass on their own at KOMOJU: whatever this request sees, they have been applied
	slips.expireDue(state);

	if (path === '/__sandbox' || path.startsWith('/__sandbox/')) {
		await handleControl(state, req, res, method, path);
		return;
	}

	const raw = await readBody(req);
	const query = parseQuery(rawQuery);
	/** @type {Ctx['kind']} */
	const kind =
		path === '/api/v1' || path.startsWith('/api/v1/')
			? 'api'
			: path === '/three_d_secure_service/offsite'
				? '3ds'
				: sessionPageId(path)
					? 'session'
					: offsite.isPage(path)
						? 'offsite'
						: 'other';

	/** @type {unknown} */
	let recordedBody = null;
	/** @type {string | null} */
	let bodyError = null;
	let cardNumberSent = false;
	let verificationValueSent = false;
	if (raw === null) bodyError = 'The request body is too large.';
	else if (raw.length > 0) {
		try {
			const masked = maskBody(parseBody(raw, req.headers['content-type']));
			recordedBody = masked.body;
			cardNumberSent = masked.cardNumberSent;
			verificationValueSent = masked.verificationValueSent;
		} catch (e) {
			bodyError = e instanceof Error ? e.message : 'unparseable body';
		}
	}

	const verdict =
		kind === 'api'
			? state.contract.request({ method, path, query, raw, contentType: req.headers['content-type'] }, iso(state.clock()))
			: { operation: null, violations: [] };

	const record = state.log.add({
		time: iso(state.clock()),
		startedAtMs: started,
		kind,
		method,
		path: maskPans(path),
		query: /** @type {Record<string, string | string[]>} */ (maskDeep(query)),
		headers: { ...req.headers },
		body: recordedBody,
		bodyError,
		cardNumberSent,
		verificationValueSent,
		apiKey: null,
		keyKind: null,
		apiVersion: null,
		idempotencyKey: null,
		idempotency: null,
		fault: null,
		status: null,
		processedStatus: null,
		outcome: 'pending',
		durationMs: null,
		contract: { operation: verdict.operation, requestViolations: verdict.violations.map((v) => maskPans(v.message)), answerViolations: [] },
	});

	const fault = state.faults.take(method, path);
	/** @type {Ctx} */
	const ctx = {
		state, req, res, method, path, rawQuery, query, raw: raw || Buffer.alloc(0), record, fault, kind, delaysApplied: false, started, verdict, judgeAnswer: true,
	};
	if (fault) record.fault = { id: fault.id, kind: fault.kind, action: fault.action };
	// A barrier fault holds the request until its round is full (sandbox/faults.js); a broken one answers 408.
	const held = fault && fault.kind === 'barrier' ? await state.faults.hold(fault) : null;
	if (held) return write(ctx, held.status, { 'Content-Type': JSON_TYPE }, JSON.stringify(held.body));

	if (fault && fault.kind === 'drop') {
		req.socket.destroy();
		finishRecord(ctx, 'dropped', null);
		return;
	}
	if (fault && fault.kind === 'status') {
		const a = /** @type {import('./faults').StatusAction} */ (fault.action);
		/** @type {Record<string, string>} */
		const headers = {};
		if (a.retryAfter !== undefined) headers['Retry-After'] = String(a.retryAfter);
		let body;
		if (a.body === undefined) {
			body = JSON.stringify(defaultErrorBody(a.status));
			headers['Content-Type'] = a.contentType || JSON_TYPE;
		} else if (typeof a.body === 'string') {
			body = a.body;
			headers['Content-Type'] = a.contentType || 'text/plain; charset=utf-8';
		} else {
			body = JSON.stringify(a.body);
			headers['Content-Type'] = a.contentType || JSON_TYPE;
		}
		ctx.judgeAnswer = a.body === undefined && a.contentType === undefined;
		write(ctx, a.status, headers, body);
		return;
	}
	if (raw === null) {
		await sendJson(ctx, 400, errorBody('bad_request', 'The request body is too large.'));
		return;
	}

	if (kind === 'api') await handleApi(ctx);
	else if (kind === '3ds' || kind === 'session' || kind === 'offsite') await handlePage(ctx);
	else await sendJson(ctx, 404, errorJson(notFound()));
}

// ---------------------------------------------------------------------------
// test controls (/__sandbox)

/**
 * @param {State} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {string} method
 * @param {string} path
 */
async function handleControl(state, req, res, method, path) {
	/** @param {number} status @param {unknown} [value] */
	const reply = (status, value) => {
		if (value === undefined) {
			res.writeHead(status);
			res.end();
			return;
		}
		const buf = Buffer.from(JSON.stringify(value), 'utf8');
		res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(buf.length) });
		res.end(buf);
	};
	/** @param {string} message */
	const bad = (message) => reply(400, errorBody('bad_request', message));

	const raw = await readBody(req);
	/** @type {unknown} */
	let body = {};
	if (raw && raw.length) {
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			bad('The control body must be JSON.');
			return;
		}
	}
	const route = `${method} ${path.replace(/\/$/, '')}`;
	try {
		const methodAnswer = methodControl(state, route);
		if (methodAnswer) return reply(methodAnswer.status, methodAnswer.body);
		const redeliverMatch = /^POST \/__sandbox\/deliveries\/([^/]+)\/redeliver$/.exec(route);
		if (redeliverMatch) {
			const attempt = webhooks.redeliver(state, decodeURIComponent(redeliverMatch[1]));
			if (!attempt) return reply(404, errorBody('not_found', 'No such delivery.'));
			return reply(200, await attempt);
		}
		const billMatch = /^POST \/__sandbox\/subscriptions\/([^/]+)\/bill$/.exec(route);
		if (billMatch) return reply(200, subscriptions.billSubscription(state, decodeURIComponent(billMatch[1])));
		const webhookMatch = /^DELETE \/__sandbox\/webhooks\/([^/]+)$/.exec(route);
		if (webhookMatch) {
			if (!webhooks.removeWebhooks(state, decodeURIComponent(webhookMatch[1]))) return reply(404, errorBody('not_found', 'No such webhook.'));
			return reply(204);
		}
		switch (route) {
			case 'GET /__sandbox/events':
				return reply(200, events.allEvents(state));
			case 'POST /__sandbox/settle':
				return reply(201, settlements.settle(state, controlObject(body)));
			case 'POST /__sandbox/chargebacks':
				return reply(201, chargebacks.openChargeback(state, controlObject(body)));
			case 'GET /__sandbox/webhooks':
				return reply(200, webhooks.listWebhooks(state));
			case 'POST /__sandbox/webhooks':
				return reply(201, webhooks.registerWebhook(state, body));
			case 'DELETE /__sandbox/webhooks':
				webhooks.removeWebhooks(state);
				return reply(204);
			case 'POST /__sandbox/webhooks/send':
				return reply(200, await webhooks.sendWebhook(state, body));
			case 'GET /__sandbox/webhooks/config':
				return reply(200, { ...state.webhookConfig });
			case 'POST /__sandbox/webhooks/config':
				return reply(200, webhooks.configureWebhooks(state, body));
			case 'GET /__sandbox/deliveries':
				return reply(200, state.deliveryLog);
			case 'DELETE /__sandbox/deliveries':
				state.deliveryLog.length = 0;
				return reply(204);
			case 'GET /__sandbox/contract':
				return reply(200, state.contract.contractReport());
			case 'DELETE /__sandbox/contract':
				state.contract.clear();
				return reply(204);
			case 'GET /__sandbox/requests':
				return reply(200, state.log.items);
			case 'DELETE /__sandbox/requests':
				state.log.clear();
				return reply(204);
			case 'POST /__sandbox/reset':
				resetState(state);
				return reply(204);
			case 'GET /__sandbox/state':
				return reply(200, {
					counts: {
						secureTokens: state.secureTokens.size,
						customers: state.customers.size,
						payments: state.payments.size,
						sessions: state.sessions.size,
						tokens: state.tokens.size,
					},
					...views(state),
					config: { ...state.config },
					now: iso(state.clock()),
				});
			case 'GET /__sandbox/faults':
				return reply(200, state.faults.list());
			case 'POST /__sandbox/faults':
				return reply(201, Array.isArray(body) ? body.map((r) => state.faults.add(r)) : state.faults.add(body));
			case 'DELETE /__sandbox/faults':
				state.faults.clear();
				return reply(204);
			case 'GET /__sandbox/config':
				return reply(200, { ...state.config });
			case 'POST /__sandbox/config':
				return reply(200, configure(state, body));
			case 'POST /__sandbox/clock': {
				const advance = body && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body).advanceMs : undefined;
				if (typeof advance !== 'number' || !Number.isFinite(advance)) return bad('Send {"advanceMs": <number>}.');
				state.clockOffset += advance;
				slips.expireDue(state);
				return reply(200, { now: iso(state.clock()), offsetMs: state.clockOffset });
			}
			default:
				return reply(404, errorBody('not_found', 'No such sandbox control endpoint.'));
		}
	} catch (e) {
		if (e instanceof subscriptions.SubscriptionControlError) return reply(e.status, errorBody(e.status === 404 ? 'not_found' : 'bad_request', e.message));
		if (
			e instanceof FaultError ||
			e instanceof ConfigError ||
			e instanceof webhooks.WebhookInputError ||
			e instanceof settlements.SettlementControlError ||
			e instanceof chargebacks.ChargebackControlError
		) {
			return bad(e.message);
		}
		throw e;
	}
}

class ConfigError extends Error {}

/** A control's JSON object body (an empty body is `{}`). @param {unknown} body @returns {Record<string, unknown>} */
function controlObject(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ConfigError('The control body must be a JSON object.');
	return /** @type {Record<string, unknown>} */ (body);
}

/** Sandbox views of every resource (never a card number). @param {State} state */
function views(state) {
	return {
		secureTokens: [...state.secureTokens.values()].map(secureTokens.view),
		customers: [...state.customers.values()].map(customers.view),
		payments: [...state.payments.values()].map(payments.view),
		sessions: [...state.sessions.values()].map((s) => sessions.view(state, s)),
		tokens: [...state.tokens.values()].map(tokens.view),
		subscriptions: [...state.subscriptions.values()].map((s) => subscriptions.view(state, s)),
		settlements: [...state.settlements.values()].map((s) => settlements.view(state, s)),
		chargebacks: [...state.chargebacks.values()].map((c) => chargebacks.view(state, c)),
	};
}

/**
 * @param {State} state
 * @param {unknown} patch
 * @returns {SandboxConfig}
 */
function configure(state, patch) {
	if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new ConfigError('The config must be an object.');
	const p = /** @type {Record<string, unknown>} */ (patch);
	for (const k of Object.keys(p)) {
		if (k !== 'latencyMs' && k !== 'rateLimitPerSecond') throw new ConfigError(`Unknown config field: ${k}`);
	}
	const next = { ...state.config };
	if (p.latencyMs !== undefined) {
		if (typeof p.latencyMs !== 'number' || !(p.latencyMs >= 0) || !Number.isFinite(p.latencyMs)) throw new ConfigError('latencyMs must be a non-negative number.');
		next.latencyMs = p.latencyMs;
	}
	if (p.rateLimitPerSecond !== undefined) {
		if (typeof p.rateLimitPerSecond !== 'number' || !Number.isInteger(p.rateLimitPerSecond) || p.rateLimitPerSecond < 0) {
			throw new ConfigError('rateLimitPerSecond must be a non-negative integer (0 = off).');
		}
		next.rateLimitPerSecond = p.rateLimitPerSecond;
		state.rateWindow.length = 0;
	}
	state.config = next;
	return { ...next };
}

// ---------------------------------------------------------------------------
// start / stop

/**
 * Starts a sandbox server.
 * @param {SandboxOptions} [options]
 * @returns {Promise<SandboxHandle>}
 */
async function startSandbox(options = {}) {
	const host = options.host || '127.0.0.1';
	const secretKeys = options.secretKeys || ['sk_test_sandbox'];
	const publishableKeys = options.publishableKeys || ['pk_test_sandbox'];
	if (!Array.isArray(secretKeys) || secretKeys.length === 0) throw new Error('secretKeys must be a non-empty array');
	if (!Array.isArray(publishableKeys)) throw new Error('publishableKeys must be an array');
	const defaultApiVersion = options.defaultApiVersion || API_VERSIONS[0];
	if (!(/** @type {readonly string[]} */ (API_VERSIONS).includes(defaultApiVersion))) {
		throw new Error(`defaultApiVersion must be one of ${API_VERSIONS.join(', ')}`);
	}
	const state = createState({
		secretKeys,
		publishableKeys,
		defaultApiVersion,
		config: { latencyMs: 0, rateLimitPerSecond: 0 },
		now: options.now,
		webhookConfig: DEFAULT_WEBHOOK_CONFIG,
		contract: new ContractJudge(options.contract === undefined ? 'strict' : options.contract),
	});
	state.initialWebhookConfig = webhooks.configureWebhooks(state, options.webhooks || {});
	const initial = configure(state, {
		latencyMs: options.latencyMs || 0,
		rateLimitPerSecond: options.rateLimitPerSecond || 0,
	});
	state.initialConfig = { ...initial };

	const server = http.createServer((req, res) => {
		handleRequest(state, req, res).catch((e) => {
			process.stderr.write(`komoju sandbox: ${maskPans(e instanceof Error && e.stack ? e.stack : String(e))}\n`);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'Content-Type': JSON_TYPE });
				res.end(JSON.stringify(defaultErrorBody(500)));
			}
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const port = address.port;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	state.baseUrl = (options.publicUrl || url).replace(/\/+$/, '');

	let closed = false;
	/** @type {SandboxHandle} */
	const handle = {
		url,
		port,
		secretKey: secretKeys[0],
		publishableKey: publishableKeys[0] || '',
		close() {
			if (closed) return Promise.resolve();
			closed = true;
			for (const t of state.timers) clearTimeout(t);
			state.timers.clear();
			stopDeliveries(state);
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
		reset: () => resetState(state),
		get requests() {
			return state.log.items;
		},
		clearRequests: () => state.log.clear(),
		secureTokens: () => views(state).secureTokens,
		customers: () => views(state).customers,
		payments: () => views(state).payments,
		sessions: () => views(state).sessions,
		tokens: () => views(state).tokens,
		subscriptions: () => views(state).subscriptions,
		settlements: () => views(state).settlements,
		chargebacks: () => views(state).chargebacks,
		billSubscription: (id) => subscriptions.billSubscription(state, id),
		settle: (input = {}) => settlements.settle(state, input),
		openChargeback: (input) => chargebacks.openChargeback(state, input),
		sessionPageUrl: (id) => `${url}/sessions/${encodeURIComponent(id)}`,
		offsitePageUrl: (id) => `${url}/offsite/${encodeURIComponent(id)}`,
		payAtStore: handleMethod(state, slips.payAtStore),
		expireNow: handleMethod(state, slips.expireNow),
		completeRefundRequest: handleMethod(state, refundRequests.completeRefundRequest),
		rejectRefundRequest: handleMethod(state, refundRequests.rejectRefundRequest),
		injectFault: (rule) => state.faults.add(rule),
		clearFaults: () => state.faults.clear(),
		faults: () => state.faults.list(),
		configure: (patch) => configure(state, patch),
		advanceClock: (ms) => {
			state.clockOffset += ms;
			slips.expireDue(state);
		},
		now: () => state.clock(),
		events: () => events.allEvents(state),
		registerWebhook: (input) => webhooks.registerWebhook(state, input),
		webhooks: () => webhooks.listWebhooks(state),
		removeWebhooks: (id) => webhooks.removeWebhooks(state, id),
		deliveries: () => state.deliveryLog,
		clearDeliveries: () => {
			state.deliveryLog.length = 0;
		},
		redeliver: (deliveryId) => webhooks.redeliver(state, deliveryId) || Promise.reject(new Error(`No such delivery: ${deliveryId}`)),
		sendWebhook: (input) => webhooks.sendWebhook(state, input),
		waitForDeliveries: (timeoutMs) => webhooks.waitForDeliveries(state, timeoutMs),
		configureWebhooks: (patch) => webhooks.configureWebhooks(state, patch),
		contractReport: () => state.contract.contractReport(),
		clearContractReport: () => state.contract.clear(),
	};
	return handle;
}

// ---------------------------------------------------------------------------
// command line

const USAGE = `Usage: node sandbox/server.js [--port N] [--host H] [--latency-ms N] [--rate-limit N]
                             [--secret-key K]... [--publishable-key K]... [--public-url URL] [--api-version YYYY-MM-DD]
                             [--contract strict|observe]`;

/** @param {string[]} argv @returns {SandboxOptions} */
function parseArgs(argv) {
	/** @type {SandboxOptions} */
	const opts = {};
	/** @type {string[]} */
	const secret = [];
	/** @type {string[]} */
	const publishable = [];
	for (let i = 0; i < argv.length; i++) {
		let flag = argv[i];
		/** @type {string | undefined} */
		let value;
		const eq = flag.indexOf('=');
		if (flag.startsWith('--') && eq > 0) {
			value = flag.slice(eq + 1);
			flag = flag.slice(0, eq);
		}
		if (flag === '--help' || flag === '-h') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		}
		if (value === undefined) {
			i += 1;
			value = argv[i];
		}
		if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
		/** @param {string} v */
		const num = (v) => {
			if (!/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer`);
			return Number(v);
		};
		switch (flag) {
			case '--port': opts.port = num(value); break;
			case '--host': opts.host = value; break;
			case '--latency-ms': opts.latencyMs = num(value); break;
			case '--rate-limit': opts.rateLimitPerSecond = num(value); break;
			case '--secret-key': secret.push(value); break;
			case '--publishable-key': publishable.push(value); break;
			case '--public-url': opts.publicUrl = value; break;
			case '--api-version': opts.defaultApiVersion = value; break;
			case '--contract':
				if (value !== 'strict' && value !== 'observe') throw new Error(`--contract must be strict or observe\n${USAGE}`);
				opts.contract = value;
				break;
			default: throw new Error(`Unknown option ${flag}\n${USAGE}`);
		}
	}
	if (secret.length) opts.secretKeys = secret;
	if (publishable.length) opts.publishableKeys = publishable;
	return opts;
}

async function main() {
	const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
	process.stdout.write(`KOMOJU sandbox listening: url=${sandbox.url} secret_key=${sandbox.secretKey} publishable_key=${sandbox.publishableKey}\n`);
	const stop = () => {
		sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	});
}

module.exports = { startSandbox, parseArgs, ROUTES };
