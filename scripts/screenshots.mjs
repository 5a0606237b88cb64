#!/usr/bin/env node
// Takes the README screenshots in a real n8n: `npm run screenshots`
// (= `npm run build && node scripts/screenshots.mjs`).
//
// Self-contained and throwaway: a temporary n8n user folder with this package installed the way
// n8n installs community packages (scripts/n8n/install-package.sh), the KOMOJU sandbox in this
// process with two saved customers, a "KOMOJU Sandbox" credential and a demo workflow
// (Manual Trigger → Code: two orders → KOMOJU Create → KOMOJU Get), an env-managed owner, and
// `n8n start` on a free port. Headless Chromium (Debian's `chromium` package) logs in, runs the
// workflow from the editor and saves into docs/screenshots/:
//   nodes-panel.png        the nodes panel searched for "KOMOJU"
//   create-parameters.png  the Create node open: its parameters, with input and output
//   executed-workflow.png  the executed workflow on the canvas
// Everything it starts is stopped at the end, also on failure or Ctrl-C.
//
// Needs: n8n from scripts/n8n/tools.sh (run here if missing: 6-9 min once), a build (dist/),
// /usr/bin/chromium (`apt-get install chromium`) or CHROMIUM_PATH.
// Env: SCREENSHOTS_DIR (default docs/screenshots), KEEP_RUNNING=1 (leave n8n up until Ctrl-C,
// to look around in a browser), SCREENSHOTS_DEBUG=1 (keep the user folder and n8n's log).

import { spawn, execFileSync } from 'node:child_process';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const outDir = path.resolve(root, process.env.SCREENSHOTS_DIR || 'docs/screenshots');
const keepRunning = process.env.KEEP_RUNNING === '1';
const debug = process.env.SCREENSHOTS_DEBUG === '1';

const OWNER = {
	email: 'owner@example.com',
	password: 'KomojuSandbox1',
	firstName: 'Demo',
	lastName: 'Owner',
};
const CREDENTIAL = { id: 'komojuSandbox', name: 'KOMOJU Sandbox' };
const WORKFLOW_ID = 'komojuScreenshots1';
const VIEWPORT = { width: 1440, height: 900 };

const t0 = Date.now();
const log = (msg) =>
	console.log(`[screenshots ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started registers its stop function here; run once, in reverse order.

const cleanups = [];
let cleaning;
let failed = false;
let interrupted = false;
function cleanup() {
	cleaning ??= (async () => {
		for (const fn of cleanups.reverse()) {
			try {
				await fn();
			} catch (e) {
				console.error(`cleanup: ${e instanceof Error ? e.message : e}`);
			}
		}
	})();
	return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		interrupted = true;
		log(`${signal}: stopping`);
		void cleanup().then(() => process.exit(130));
	});
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** `count` distinct free ports (all held open while picking, so they differ). */
async function freePorts(count) {
	const servers = [];
	try {
		for (let i = 0; i < count; i++) {
			const s = createServer();
			servers.push(s);
			await new Promise((resolve, reject) => {
				s.once('error', reject);
				s.listen(0, '127.0.0.1', resolve);
			});
		}
		return servers.map((s) => s.address().port);
	} finally {
		await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion; rejects with its output on a non-zero exit. */
function run(cmd, args, { env, quiet = true } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: root,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			if (!quiet) process.stdout.write(d);
		});
		child.stderr.on('data', (d) => {
			out += d;
			if (!quiet) process.stderr.write(d);
		});
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve(out)
				: reject(
						new Error(
							`${path.basename(cmd)} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`,
						),
					),
		);
	});
}

/** Stops a detached child and everything in its process group (n8n starts a task runner). */
async function stopGroup(child, name) {
	// Alive = some process of the group exists and is not a zombie (on Linux, read from /proc).
	const groupAlive = () => {
		try {
			process.kill(-child.pid, 0);
		} catch {
			return false;
		}
		if (!existsSync('/proc/self/stat')) return true;
		return readdirSync('/proc').some((pid) => {
			if (!/^\d+$/.test(pid)) return false;
			try {
				// "pid (comm) state ppid pgrp ...": comm may contain spaces, so split after ")".
				const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
				return Number(pgrp) === child.pid && state !== 'Z';
			} catch {
				return false;
			}
		});
	};
	const signal = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			/* already gone */
		}
	};
	if (!groupAlive()) return;
	signal('SIGTERM');
	// n8n stops in 0.3-1.6 s; wait for the whole group (the leader can exit before its runner).
	for (const until = Date.now() + 15_000; Date.now() < until; ) {
		if (!groupAlive()) return;
		await sleep(200);
	}
	log(`${name} did not stop within 15 s: SIGKILL`);
	signal('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// The demo workflow

function demoWorkflow(customerIds) {
	const orders = [
		{ orderId: 'A-1001', amount: 1500, currency: 'JPY', customerId: customerIds[0] },
		{ orderId: 'A-1002', amount: 4200, currency: 'JPY', customerId: customerIds[1] },
	];
	const jsCode =
		'// Two orders waiting for 3D Secure. The customers were saved in KOMOJU with their cards.\n' +
		`return ${JSON.stringify(orders, null, 2)}.map((order) => ({ json: order }));\n`;
	const credentials = { komojuApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	return {
		id: WORKFLOW_ID,
		name: 'KOMOJU: 3D Secure for two orders',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '0f3c2a8e-1d4b-4b0e-9a51-5c1a7e000001',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '0f3c2a8e-1d4b-4b0e-9a51-5c1a7e000002',
				name: 'Orders',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: { jsCode },
			},
			{
				id: '0f3c2a8e-1d4b-4b0e-9a51-5c1a7e000003',
				name: 'Create secure token',
				type: 'n8n-nodes-komoju.komoju',
				typeVersion: 1,
				position: [480, 0],
				parameters: {
					resource: 'secureToken',
					operation: 'create',
					amount: '={{ $json.amount }}',
					currency: 'JPY',
					returnUrl: '=https://shop.example.com/3ds/return?order={{ $json.orderId }}',
					paymentSource: 'customer',
					customerId: '={{ $json.customerId }}',
					options: { idempotencyKey: '=token-{{ $json.orderId }}' },
				},
				credentials,
			},
			{
				id: '0f3c2a8e-1d4b-4b0e-9a51-5c1a7e000004',
				name: 'Get secure token',
				type: 'n8n-nodes-komoju.komoju',
				typeVersion: 1,
				position: [720, 0],
				parameters: {
					resource: 'secureToken',
					operation: 'get',
					secureTokenId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					options: {},
				},
				credentials,
			},
		],
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: 'Orders', type: 'main', index: 0 }]] },
			Orders: { main: [[{ node: 'Create secure token', type: 'main', index: 0 }]] },
			'Create secure token': { main: [[{ node: 'Get secure token', type: 'main', index: 0 }]] },
		},
	};
}

/** Saves two KOMOJU customers with 3DS test cards in the sandbox; returns their IDs. */
async function createCustomers(sandbox) {
	const auth = 'Basic ' + Buffer.from(`${sandbox.secretKey}:`).toString('base64');
	const year = new Date().getUTCFullYear() + 3;
	const people = [
		{ email: 'taro@example.com', name: 'Taro Yamada', number: '4100000000000100' },
		{ email: 'hanako@example.com', name: 'Hanako Suzuki', number: '3528000000000106' },
	];
	const ids = [];
	for (const p of people) {
		const res = await fetch(`${sandbox.url}/api/v1/customers`, {
			method: 'POST',
			headers: { authorization: auth, 'content-type': 'application/json' },
			body: JSON.stringify({
				email: p.email,
				payment_details: {
					type: 'credit_card',
					number: p.number,
					month: 8,
					year,
					verification_value: '123',
					name: p.name,
				},
			}),
		});
		const body = await res.json();
		if (!res.ok) throw new Error(`sandbox POST /customers: ${res.status} ${JSON.stringify(body)}`);
		ids.push(body.id);
	}
	return ids;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
	if (!existsSync(chromiumPath)) {
		console.error(
			`Chromium not found at ${chromiumPath}.\n` +
				"Install Debian's package (e.g. `sudo apt-get update && sudo apt-get install -y chromium`)\n" +
				'or point CHROMIUM_PATH at a Chromium/Chrome binary. This script does not download browsers.',
		);
		process.exitCode = 1;
		return;
	}
	if (!existsSync(path.join(root, 'packages/n8n-nodes-komoju/dist/nodes/Komoju/Komoju.node.js'))) {
		console.error('packages/n8n-nodes-komoju/dist/ is missing: run `npm run build` first (`npm run screenshots` does).');
		process.exitCode = 1;
		return;
	}
	const { chromium } = await import('playwright-core');

	// n8n + Node 24 in the cache (idempotent; 0.01 s once installed).
	log('checking n8n (scripts/n8n/tools.sh)');
	await run(path.join(root, 'scripts/n8n/tools.sh'), [], { quiet: false });
	const n8nHome = execFileSync(
		'bash',
		['-c', 'source scripts/n8n/env.sh && printf %s "$KOMOJU_N8N_HOME"'],
		{
			cwd: root,
			encoding: 'utf8',
		},
	);

	// Throwaway n8n user folder with the package installed.
	const userFolder = mkdtempSync(path.join(tmpdir(), 'komoju-screenshots-'));
	const logFile = path.join(userFolder, 'n8n.log');
	cleanups.push(() => {
		if (failed && existsSync(logFile)) {
			const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
			console.error(`--- last lines of n8n's log ---\n${lines.slice(-40).join('\n')}\n---`);
		}
		if (debug) log(`kept ${userFolder}`);
		else rmSync(userFolder, { recursive: true, force: true });
	});
	log(`user folder ${userFolder}: installing the package`);
	await run(path.join(root, 'scripts/n8n/install-package.sh'), [userFolder]);

	// The KOMOJU sandbox, in this process.
	const { startSandbox } = require(path.join(root, 'sandbox/server.js'));
	const sandbox = await startSandbox();
	cleanups.push(() => sandbox.close());
	const customerIds = await createCustomers(sandbox);
	log(`sandbox on ${sandbox.url}, customers ${customerIds.join(', ')}`);

	// Owner managed from the environment, hashed with n8n's own bcryptjs.
	const bcrypt = createRequire(path.join(n8nHome, 'node_modules/n8n/package.json'))('bcryptjs');
	// Our own pair: n8n.sh would pick a free broker port itself, and could pick N8N_PORT,
	// which n8n has not opened yet when the broker starts ("Task Broker's port … in use").
	const [port, brokerPort] = await freePorts(2);
	const n8nEnv = {
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
	};
	const n8nSh = path.join(root, 'scripts/n8n/n8n.sh');

	// Credential and workflow, imported with fixed IDs.
	const creds = path.join(userFolder, 'credentials.json');
	writeFileSync(
		creds,
		JSON.stringify([
			{
				...CREDENTIAL,
				type: 'komojuApi',
				data: { secretKey: sandbox.secretKey, baseUrl: sandbox.url, apiVersion: '2025-01-28' },
			},
		]),
	);
	const wf = path.join(userFolder, 'workflow.json');
	writeFileSync(wf, JSON.stringify(demoWorkflow(customerIds), null, 2));
	log(
		'importing the credential and the workflow (n8n import:*; the first one creates the database)',
	);
	await run(n8nSh, [userFolder, 'import:credentials', `--input=${creds}`], { env: n8nEnv });
	await run(n8nSh, [userFolder, 'import:workflow', `--input=${wf}`], { env: n8nEnv });

	// n8n start, in its own process group so that its task runner stops with it.
	const n8nLog = createWriteStream(logFile);
	log(`starting n8n on http://127.0.0.1:${port}`);
	const n8n = spawn(n8nSh, [userFolder, 'start'], {
		cwd: root,
		env: { ...process.env, ...n8nEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	n8n.stdout.pipe(n8nLog);
	n8n.stderr.pipe(n8nLog);
	cleanups.push(() => stopGroup(n8n, 'n8n'));
	const base = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 180_000; // the first start after an install can be slow
	for (;;) {
		if (n8n.exitCode !== null) throw new Error(`n8n exited with ${n8n.exitCode}`);
		const ok = await fetch(`${base}/healthz/readiness`).then(
			(r) => r.ok,
			() => false,
		);
		if (ok) break;
		if (Date.now() > deadline) throw new Error('n8n not ready after 180 s');
		await sleep(500);
	}
	log('n8n is ready');

	// Log in over REST; the browser gets the same n8n-auth cookie.
	const login = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	const authCookie = login.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
	if (!login.ok || !authCookie)
		throw new Error(`login failed: ${login.status} ${await login.text()}`);

	if (keepRunning) {
		console.log(
			`\nn8n: ${base}  (${OWNER.email} / ${OWNER.password}), workflow ${base}/workflow/${WORKFLOW_ID}`,
		);
		console.log('KEEP_RUNNING=1: Ctrl-C to stop.');
		await new Promise(() => {});
	}

	const browser = await chromium.launch({
		executablePath: chromiumPath,
		// Playwright's own handlers would exit the process before n8n is stopped: ours close all.
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	cleanups.push(() => browser.close());
	const context = await browser.newContext({
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
	});
	await context.addCookies([
		{ name: 'n8n-auth', value: authCookie.split(';')[0].slice('n8n-auth='.length), url: base },
	]);
	const page = await context.newPage();
	page.setDefaultTimeout(30_000);

	mkdirSync(outDir, { recursive: true });
	try {
		await takeScreenshots(page, base);
	} catch (e) {
		if (interrupted) throw e;
		const file = path.join(tmpdir(), 'komoju-screenshots-failure.png');
		await page.screenshot({ path: file }).then(
			() => console.error(`The page when it failed: ${file}`),
			() => {},
		);
		throw e;
	}
	log(
		`done in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${path.relative(process.cwd(), outDir) || '.'}/`,
	);
}

async function takeScreenshots(page, base) {
	const shot = async (name) => {
		await page.waitForTimeout(500); // let transitions finish
		const file = path.join(outDir, name);
		await page.screenshot({ path: file });
		log(`saved ${path.relative(root, file)}`);
	};
	const node = (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	const closeToasts = async () => {
		for (const button of await page.locator('.el-notification .el-notification__closeBtn').all()) {
			await button.click().catch(() => {});
		}
	};

	log('opening the workflow in the editor');
	await page.goto(`${base}/workflow/${WORKFLOW_ID}`);
	await node('Get secure token').waitFor();

	// 1. The nodes panel searched for "KOMOJU". Scroll the canvas left first, so that the panel
	//    (on the right) does not cover the workflow.
	await page.mouse.move(VIEWPORT.width / 2, 300);
	await page.mouse.wheel(290, 0);
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	const search = page.locator(
		'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
	);
	await search.first().fill('KOMOJU');
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: /^\s*KOMOJU\s*$/ })
		.first()
		.waitFor();
	await shot('nodes-panel.png');
	await page.keyboard.press('Escape');
	await page
		.locator('[data-test-id="node-creator-search-bar"]')
		.first()
		.waitFor({ state: 'hidden' });

	// 2. Run the workflow from the editor, as a user would.
	log('executing the workflow');
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	await node('Get secure token').locator('[data-test-id="canvas-node-status-success"]').waitFor();
	for (const name of ['Orders', 'Create secure token']) {
		await node(name).locator('[data-test-id="canvas-node-status-success"]').waitFor();
	}
	await closeToasts();

	// 3. The Create node open: input (the orders), parameters, output (the tokens).
	await node('Create secure token').dblclick();
	await page.locator('[data-test-id="ndv"] [data-test-id="parameter-input-customerId"]').waitFor();
	await page.locator('[data-test-id="ndv"] [data-test-id="node-run-status-success"]').waitFor();
	await closeToasts();
	await shot('create-parameters.png');
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });

	// 4. The executed workflow, fitted, with the logs panel showing the last node's output.
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(400);
	await page.locator('[data-test-id="logs-panel"]').getByText('Logs', { exact: true }).click();
	await page
		.locator('[data-test-id="logs-overview-body"]')
		.getByText('Get secure token', { exact: true })
		.click();
	await page
		.locator('[data-test-id="log-details-header"]')
		.getByText('Get secure token', { exact: true })
		.waitFor();
	await page.locator('[data-test-id="log-details-output"]').waitFor();
	await page.mouse.move(VIEWPORT.width / 2, 150); // no hover effect on a node or a button
	await closeToasts();
	await shot('executed-workflow.png');
}

try {
	await main();
} catch (e) {
	failed = !interrupted;
	if (!interrupted) console.error(`screenshots failed: ${e instanceof Error ? e.stack : e}`);
	process.exitCode = 1;
} finally {
	await cleanup();
}
