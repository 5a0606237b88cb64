/**
 * `npm run soak`: Secure Token Creates through the KOMOJU node at concurrency 10 against the
 * sandbox with random injected faults, then checks that nothing was lost and nothing doubled.
 *
 *   node bench/soak.js [--seed N] [--items 2000] [--concurrency 10] [--timeout-ms 1000] [--retries 2] [--deadline-s 600] [--out bench/results.md|-]
 *
 * The node runs in-process in n8n-core's real engine (test/harness: WorkflowExecute over real
 * HTTP), with Continue On Fail, its Timeout option at 1 s and otherwise its defaults
 * (3 retries). The sandbox gets one fault rule per request, in a seeded random order:
 * pass, 429 (Retry-After 0 or 1 s), 500/502/503/504, a dropped connection, a slow answer
 * (shorter than the timeout, or longer so the node times out and its retry with the same key
 * meets KOMOJU's 409 for the request still in flight), and "failed after processing" (the token
 * is made, then the socket is destroyed or a 500/502 is sent).
 *
 * Then, while items failed, up to --retries execution-level retries: the whole run again with the
 * first execution's custom data, as n8n's Executions → Retry carries it over, so every item sends
 * its first key again; the faults go on. An item already made must come back as that same object.
 *
 * Checks (exit 1 on any violation, after every pass): every input item comes out once, in its place
 * (pairedItem = its index), as a success or an error item; each success has exactly one secure
 * token in the sandbox (matched by its item's unique return_url) and it is the one returned;
 * no item has more than one token; no unhandled rejection or uncaught exception; the run ends
 * before the deadline (exit 2 otherwise).
 */
import { runWorkflow, chain, itemsNode } from '../test/harness';
import { KomojuApi } from '../packages/n8n-nodes-komoju/credentials/KomojuApi.credentials';
import { Komoju } from '../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node';
import { CARDS, cardCreate, komojuNode, NODE_TYPE } from '../test/integration/komoju.fixtures';
import { REPO_ROOT } from '../test/e2e/support/state';
import { writeSection } from './lib/results-file';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox } = require('../sandbox/server');

function arg(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}
const SEED = Number(arg('seed', process.env.SOAK_SEED ?? String(Date.now() % 1_000_000)));
const ITEMS = Number(arg('items', '2000'));
const CONCURRENCY = Number(arg('concurrency', '10'));
const TIMEOUT_MS = Number(arg('timeout-ms', '1000'));
const DEADLINE_S = Number(arg('deadline-s', '600'));
const RETRIES = Number(arg('retries', '2'));
const OUT = arg('out', join(REPO_ROOT, 'bench', 'results.md'));
/** Checks the checker: adds a second token for item 0 behind the node's back; the run must FAIL. */
const INJECT_DUPLICATE = process.argv.includes('--inject-duplicate');

const log = (line: string) => process.stdout.write(`${line}\n`);

const problems: string[] = [];
process.on('unhandledRejection', (reason) => problems.push(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));
process.on('uncaughtException', (error) => problems.push(`uncaught exception: ${error?.stack ?? String(error)}`));

/** mulberry32: small, seeded, good enough to pick faults. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Action = Record<string, unknown>;
interface Kind {
	name: string;
	weight: number;
	action: (rand: () => number) => Action;
}

/** The fault mix, per request. */
const KINDS: Kind[] = [
	{ name: 'pass', weight: 0.66, action: () => ({ delayMs: 0 }) },
	{ name: '429 Retry-After 0', weight: 0.02, action: () => ({ status: 429, retryAfter: 0 }) },
	{ name: '429 Retry-After 1', weight: 0.01, action: () => ({ status: 429, retryAfter: 1 }) },
	{ name: '500', weight: 0.03, action: () => ({ status: 500 }) },
	{ name: '502', weight: 0.03, action: () => ({ status: 502 }) },
	{ name: '503', weight: 0.03, action: () => ({ status: 503 }) },
	{ name: '504', weight: 0.03, action: () => ({ status: 504 }) },
	{ name: 'dropped connection', weight: 0.04, action: () => ({ drop: true }) },
	{ name: 'slow, under the timeout', weight: 0.04, action: (rand) => ({ delayMs: Math.round(TIMEOUT_MS * (0.2 + 0.6 * rand())) }) },
	{ name: 'slow, over the timeout (→ 409 in flight)', weight: 0.04, action: (rand) => ({ delayMs: Math.round(TIMEOUT_MS * (1.5 + 2.5 * rand())) }) },
	{ name: 'failed after processing (socket destroyed)', weight: 0.04, action: () => ({ failAfterProcessing: true }) },
	{ name: 'failed after processing (500)', weight: 0.02, action: () => ({ failAfterProcessing: true, status: 500 }) },
	{ name: 'failed after processing (502)', weight: 0.01, action: () => ({ failAfterProcessing: true, status: 502 }) },
];

function pick(rand: () => number): Kind {
	const total = KINDS.reduce((sum, kind) => sum + kind.weight, 0);
	let x = rand() * total;
	for (const kind of KINDS) {
		x -= kind.weight;
		if (x < 0) return kind;
	}
	return KINDS[0];
}

async function main(): Promise<number> {
	const started = Date.now();
	const deadline = setTimeout(() => {
		log(`soak: DEADLINE of ${DEADLINE_S} s passed with the run still going (a hang): exit 2`);
		process.exit(2);
	}, DEADLINE_S * 1000);
	deadline.unref();
	log(`soak: seed ${SEED} (rerun with --seed ${SEED}), ${ITEMS} Secure Token Creates, concurrency ${CONCURRENCY}, node timeout ${TIMEOUT_MS} ms, deadline ${DEADLINE_S} s`);

	const sandbox = await startSandbox({ latencyMs: 0 });
	const rand = random(SEED);
	const run = `soak-${SEED}`;
	// One rule per request, consumed in arrival order; after the last one, requests pass.
	const planned = Math.ceil(ITEMS * 1.6);
	const plan: Kind[] = [];
	for (let i = 0; i < planned; i++) {
		const kind = pick(rand);
		plan.push(kind);
		sandbox.injectFault({ method: 'POST', path: '/api/v1/secure_tokens', exact: true, times: 1, action: kind.action(rand) });
	}

	const items = Array.from({ length: ITEMS }, (_, i) => ({ i, run }));
	const parameters = cardCreate({
		cardNumber: CARDS.regular,
		returnUrl: '=https://shop.example.com/return?run={{ $json.run }}&item={{ $json.i }}',
		options: { concurrency: CONCURRENCY, timeout: TIMEOUT_MS },
	});
	const runStarted = Date.now();
	const execute = (customData?: Record<string, string>) =>
		runWorkflow({
			nodes: [itemsNode(items), komojuNode(parameters, { onError: 'continueRegularOutput' })],
			connections: chain('Items', 'KOMOJU'),
			nodeTypes: { [NODE_TYPE]: new Komoju() },
			credentialTypes: { komojuApi: new KomojuApi() },
			credentials: { komojuApi: { secretKey: sandbox.secretKey, baseUrl: sandbox.url, apiVersion: '2025-01-28' } },
			customData,
		});
	// Requests the node gave up on (timeouts) may still be processing in the sandbox: wait for them.
	const settle = () => new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 4 + 500));
	let result = await execute();
	await settle();
	const passes = [result];
	const failedIn = (run: typeof result) => (run.status === 'success' ? run.resultOf('KOMOJU').filter((item) => item.json.error !== undefined).length : ITEMS);
	while (passes.length <= RETRIES && failedIn(result) > 0) {
		result = await execute(passes[0].customData);
		await settle();
		passes.push(result);
	}
	const runSeconds = (Date.now() - runStarted) / 1000;
	// An object an earlier pass returned must come back unchanged from every later pass (KOMOJU's replay).
	const madeIn = new Map<number, string>();
	passes.forEach((pass, passIndex) => {
		if (pass.status !== 'success') return;
		pass.resultOf('KOMOJU').forEach((item, position) => {
			if (item.json.error !== undefined) return;
			const id = String(item.json.id);
			const earlier = madeIn.get(position);
			if (earlier === undefined) madeIn.set(position, id);
			else if (earlier !== id) problems.push(`item ${position}: retry ${passIndex} returned ${id}, an earlier pass ${earlier}`);
		});
	});
	const failuresPerPass = passes.map(failedIn);

	if (INJECT_DUPLICATE) {
		await sandbox.clearFaults();
		const response = await fetch(`${sandbox.url}/api/v1/secure_tokens`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}`, 'Content-Type': 'application/json', 'X-KOMOJU-API-VERSION': '2025-01-28' },
			body: JSON.stringify({
				amount: 1000,
				currency: 'JPY',
				return_url: `https://shop.example.com/return?run=${run}&item=0`,
				payment_details: { type: 'credit_card', number: CARDS.regular, month: 12, year: new Date().getUTCFullYear() + 3, verification_value: '123' },
			}),
		});
		log(`soak: --inject-duplicate: made a second token for item 0 (${response.status}); this run must FAIL`);
	}

	// --- checks -------------------------------------------------------------------------
	const output = result.status === 'success' ? result.resultOf('KOMOJU') : [];
	if (result.status !== 'success') problems.push(`workflow status ${result.status}: ${result.error?.message}`);
	if (result.thrown.length) problems.push(`${result.thrown.length} error(s) thrown out of the node: ${String((result.thrown[0].error as Error)?.message)}`);
	if (output.length !== ITEMS) problems.push(`${output.length} output items for ${ITEMS} input items`);

	const tokensPerItem = new Map<number, Array<{ id: string }>>();
	let foreignTokens = 0;
	for (const token of sandbox.secureTokens() as Array<{ id: string; returnUrl: string }>) {
		const url = new URL(token.returnUrl);
		if (url.searchParams.get('run') !== run) {
			foreignTokens++;
			continue;
		}
		const item = Number(url.searchParams.get('item'));
		tokensPerItem.set(item, [...(tokensPerItem.get(item) ?? []), token]);
	}

	let successes = 0;
	let failures = 0;
	let orphans = 0; // failed items whose create did reach KOMOJU (one token, recoverable with the same key)
	let duplicates = 0;
	const errorMessages = new Map<string, number>();
	output.forEach((item, position) => {
		const paired = item.pairedItem as { item: number } | undefined;
		if (paired?.item !== position) problems.push(`output ${position}: pairedItem ${JSON.stringify(item.pairedItem)}`);
		const tokens = tokensPerItem.get(position) ?? [];
		if (tokens.length > 1) {
			duplicates += tokens.length - 1;
			problems.push(`item ${position}: ${tokens.length} secure tokens (duplicate)`);
		}
		if (item.json.error !== undefined) {
			failures++;
			const message = String(item.json.error).replace(/\d+/g, 'N').slice(0, 110);
			errorMessages.set(message, (errorMessages.get(message) ?? 0) + 1);
			if (tokens.length === 1) orphans++;
		} else {
			successes++;
			if (tokens.length === 0) problems.push(`item ${position}: a success (${String(item.json.id)}) without a token in the sandbox`);
			else if (tokens[0].id !== item.json.id) problems.push(`item ${position}: returned ${String(item.json.id)}, the sandbox holds ${tokens[0].id}`);
		}
	});
	for (const item of tokensPerItem.keys()) if (item < 0 || item >= ITEMS) problems.push(`a token for an unknown item ${item}`);
	if (foreignTokens) problems.push(`${foreignTokens} tokens from another run`);

	// --- what happened on the wire ---------------------------------------------------------
	const fired = planned - sandbox.faults().length;
	const firedByKind = new Map<string, number>();
	for (const kind of plan.slice(0, fired)) firedByKind.set(kind.name, (firedByKind.get(kind.name) ?? 0) + 1);
	const statuses = new Map<string, number>();
	let conflicts409 = 0;
	let lost = 0;
	const requests = sandbox.requests as Array<{ kind: string; method: string; path: string; status: number | null; fault: unknown; outcome: string; idempotency: string | null }>;
	let replayed = 0;
	for (const request of requests) {
		if (request.kind !== 'api' || request.method !== 'POST') continue;
		const key = String(request.status ?? request.outcome);
		statuses.set(key, (statuses.get(key) ?? 0) + 1);
		if (request.status === 409) conflicts409++; // no rule injects a 409: each one is KOMOJU's in-flight answer
		if (request.outcome === 'lost') lost++;
		if (request.idempotency === 'replayed') replayed++;
	}
	const seconds = (Date.now() - started) / 1000;

	log('');
	log(`soak: node run ${runSeconds.toFixed(1)} s, total ${seconds.toFixed(1)} s`);
	log(`soak: error items per pass (first run, then execution-level retries with its custom data): ${failuresPerPass.join(' → ')}`);
	log(`soak: ${successes} successes, ${failures} error items (${orphans} of them with a token made before the answer was lost), ${duplicates} duplicate tokens, ${ITEMS - output.length} items lost`);
	log(`soak: fault rules fired ${fired} of ${planned} (one per request while they last):`);
	for (const kind of KINDS) log(`  ${String(firedByKind.get(kind.name) ?? 0).padStart(6)}  ${kind.name}`);
	log(`soak: answers seen by the client (sandbox record, last 5000 requests; ${requests.length} recorded): ${JSON.stringify(Object.fromEntries(statuses))}`);
	log(`soak: real 409 in-flight conflicts ${conflicts409}, idempotent replays ${replayed}, requests whose client was gone ('lost') ${lost}`);
	if (errorMessages.size) {
		log('soak: error items by message:');
		for (const [message, count] of [...errorMessages].sort((a, b) => b[1] - a[1])) log(`  ${String(count).padStart(6)}  ${message}`);
	}
	const verdict = problems.length === 0 ? 'PASS' : 'FAIL';
	log(`soak: ${verdict}${problems.length ? ` — ${problems.length} violation(s):\n  ${problems.slice(0, 20).join('\n  ')}` : ' (nothing lost, nothing doubled, every item in its place, no unhandled rejection, no hang)'}`);

	if (OUT !== '-' && !INJECT_DUPLICATE) {
		const kinds = KINDS.map((kind) => `${kind.name} ${firedByKind.get(kind.name) ?? 0}`).join(', ');
		writeSection(
			OUT,
			`soak-seed-${SEED}`,
			[
				`**Soak, seed ${SEED}** (${new Date().toISOString()}): ${ITEMS} creates, concurrency ${CONCURRENCY}, timeout ${TIMEOUT_MS} ms, up to ${RETRIES} execution-level retries → **${verdict}** in ${runSeconds.toFixed(1)} s (node) / ${seconds.toFixed(1)} s (total).`,
				`Error items per pass: ${failuresPerPass.join(' → ')}; the counts below are the last pass's.`,
				`${successes} successes, ${failures} error items in place (${orphans} with one token made before the answer was lost, recoverable with the same key), ${duplicates} duplicates, ${ITEMS - output.length} lost; ${problems.length} violations.`,
				`Faults fired (${fired} requests took a rule): ${kinds}. Client-side answers: ${JSON.stringify(Object.fromEntries(statuses))}; real 409 in-flight ${conflicts409}, idempotent replays ${replayed}.`,
				errorMessages.size ? `Error items: ${[...errorMessages].map(([m, c]) => `${c}× "${m}"`).join('; ')}.` : '',
			]
				.filter(Boolean)
				.join('\n'),
		);
	}
	await sandbox.close();
	return problems.length === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`soak failed: ${error?.stack ?? error}\n`);
		process.exit(1);
	},
);
