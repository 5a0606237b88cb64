/**
 * Headless Debian chromium (playwright-core, no downloaded browser) on the e2e run's `n8n start`,
 * logged in as its owner, and the few editor gestures the UI tests need. Selectors are n8n's own
 * data-test-id attributes (those n8n's Playwright tests use); every wait is bounded by a locator
 * timeout and waits for something visible, never for a fixed time.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { loadState, type E2eState } from '../../e2e/support/state';
import { CREDENTIALS } from '../../e2e/support/workflows';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Long enough for a loaded machine; a missing element fails the test with the selector. */
const TIMEOUT_MS = 30_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface NodeJson {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export const komojuNode = (name: string, parameters: Record<string, unknown>): NodeJson => ({
	name,
	type: 'n8n-nodes-komoju.komoju',
	parameters,
	credentials: { komojuApi: CREDENTIALS.komoju },
});

export class Editor {
	readonly state: E2eState;
	private browser?: Browser;
	private context?: BrowserContext;
	private cookie = '';
	page!: Page;

	constructor() {
		this.state = loadState();
	}

	get base(): string {
		return this.state.n8n.url;
	}

	async start(): Promise<void> {
		if (!existsSync(CHROMIUM)) {
			throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
		}
		const response = await fetch(`${this.base}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: this.state.n8n.owner.email, password: this.state.n8n.owner.password }),
		});
		const match = /n8n-auth=([^;]+)/.exec(response.headers.get('set-cookie') ?? '');
		if (response.status !== 200 || !match) throw new Error(`login: ${response.status} ${await response.text()}`);
		this.cookie = match[1];
		const { chromium } = await import('playwright-core');
		this.browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		this.context = await this.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
		this.context.setDefaultTimeout(TIMEOUT_MS);
		await this.context.addCookies([{ name: 'n8n-auth', value: this.cookie, url: this.base }]);
	}

	/** A new tab for each test: nothing a previous test left open can get in the way. */
	async newPage(): Promise<Page> {
		await this.page?.close().catch(() => undefined);
		this.page = await this.context!.newPage();
		return this.page;
	}

	async stop(): Promise<void> {
		await this.browser?.close().catch(() => undefined);
	}

	/** Saves a screenshot for a failed test; returns its path. */
	async screenshot(name: string): Promise<string> {
		const file = `${this.state.runDir}/${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`;
		await this.page?.screenshot({ path: file }).catch(() => undefined);
		return file;
	}

	async rest(method: string, path: string, body?: unknown): Promise<Json> {
		const response = await fetch(`${this.base}${path}`, {
			method,
			headers: { Cookie: `n8n-auth=${this.cookie}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: Json }).data;
	}

	/**
	 * A new workflow (its own, so no other tab holds its edit lock) with a Manual Trigger first,
	 * so that the nodes panel opened from it lists action nodes.
	 */
	async createWorkflow(nodes: NodeJson[]): Promise<string> {
		const all = [{ name: 'Manual', type: 'n8n-nodes-base.manualTrigger', parameters: {} }, ...nodes];
		const workflow = await this.rest('POST', '/rest/workflows', {
			name: `UI test ${randomUUID().slice(0, 8)}`,
			active: false,
			settings: { executionOrder: 'v1' },
			connections: {},
			nodes: all.map((node, index) => ({ id: randomUUID(), typeVersion: 1, position: [index * 260, 0], ...node })),
		});
		return workflow.id as string;
	}

	async createCredential(type: string, data: Record<string, unknown>): Promise<string> {
		const credential = await this.rest('POST', '/rest/credentials', { name: `UI test ${type} ${randomUUID().slice(0, 8)}`, type, data });
		return credential.id as string;
	}

	async openWorkflow(id: string): Promise<void> {
		await this.newPage();
		await this.page.goto(`${this.base}/workflow/${id}`);
		await this.canvasNode('Manual').waitFor();
	}

	canvasNode(name: string): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	get ndv(): Locator {
		return this.page.locator('[data-test-id="ndv"]');
	}

	async openNode(name: string): Promise<Locator> {
		await this.canvasNode(name).dblclick();
		await this.ndv.waitFor();
		return this.ndv;
	}

	async closeNode(): Promise<void> {
		await this.page.locator('[data-test-id="ndv-close-button"]').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	/** The nodes panel, opened from the canvas's + button, searched for `query`. */
	async searchNodes(query: string): Promise<void> {
		const search = this.page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
		if (!(await search.isVisible())) await this.page.locator('[data-test-id="node-creator-plus-button"]').click();
		await search.fill(query);
	}

	/** The KOMOJU action node's entry in the nodes panel (n8n lists it with its trigger, under its type). */
	komojuPanelItem(): Locator {
		return this.page.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="node"][data-keyboard-nav-id^="n8n-nodes-komoju.komoju-"]');
	}

	/** Adds a KOMOJU node from the nodes panel by its action, as a user does; returns its NDV. */
	async addKomojuAction(action: string): Promise<Locator> {
		await this.searchNodes('KOMOJU');
		await this.komojuPanelItem().click();
		await this.page
			.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="action"] [data-test-id="node-creator-item-name"]')
			.getByText(action, { exact: true })
			.click();
		await this.ndv.waitFor();
		return this.ndv;
	}

	parameter(name: string): Locator {
		return this.ndv.locator(`[data-test-id="parameter-input-${name}"]`);
	}

	/** Picks a value of an options parameter by the name the dropdown shows. */
	async choose(parameter: string, option: string): Promise<void> {
		await this.parameter(parameter).locator('input').first().click();
		await this.page.locator('.el-select-dropdown__item:visible').getByText(option, { exact: true }).click();
		await this.parameter(parameter).locator(`input`).first().waitFor();
	}

	/** What the Options collection's "Add Option" dropdown offers now (then closes it). */
	async offeredOptions(): Promise<string[]> {
		await this.ndv.locator('[data-test-id="collection-parameter-add"]').last().click();
		const offered = this.page.locator('[data-test-id="collection-parameter-option"]:visible');
		await offered.first().waitFor();
		const names = (await offered.allInnerTexts()).map((text) => text.trim());
		await this.page.keyboard.press('Escape');
		await offered.first().waitFor({ state: 'hidden' });
		return names;
	}

	async addOption(name: string): Promise<void> {
		await this.ndv.locator('[data-test-id="collection-parameter-add"]').last().click();
		await this.page.locator('[data-test-id="collection-parameter-option"]:visible').getByText(name, { exact: true }).click();
	}

	/** Turns a boolean parameter on or off and waits until the switch shows it. */
	async setSwitch(name: string, on: boolean): Promise<void> {
		const input = this.parameter(name).locator('input[role="switch"]');
		if ((await input.getAttribute('aria-checked')) !== String(on)) await this.parameter(name).locator('.el-switch').click();
		await this.parameter(name).locator(`input[role="switch"][aria-checked="${on}"]`).waitFor({ state: 'attached' });
	}

	async fillNumber(name: string, value: number): Promise<void> {
		const input = this.parameter(name).locator('input').first();
		await input.fill(String(value));
		await input.press('Tab');
	}
}
