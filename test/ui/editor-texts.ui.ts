/**
 * Issue 13, point 4, in the real n8n 2.40.7 editor (headless chromium): what a user sees when
 * they search for the node, add it, set up the trigger and its credentials, and fill in amounts,
 * cards and options. test/unit/descriptions.test.ts ("the editor’s texts") checks the same
 * descriptions without a browser; this checks that n8n's editor shows them as meant.
 */
import { Editor, komojuNode } from './support/editor';
import { CREDENTIALS } from '../e2e/support/workflows';

/** The sandbox's publishable key (sandbox/README.md): GET /payments answers it with 403. */
const PUBLISHABLE_KEY = 'pk_test_sandbox';

const editor = new Editor();

beforeAll(async () => {
	await editor.start();
});

afterAll(async () => {
	await editor.stop();
});

/** A failed test leaves a screenshot of the page in the run folder (KOMOJU_E2E_KEEP=1 keeps it). */
const test = (name: string, body: () => Promise<void>) =>
	it(name, async () => {
		try {
			await body();
		} catch (error) {
			const file = await editor.screenshot(name);
			throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot: ${file})`);
		}
	});

describe('the nodes panel', () => {
	test('finds the KOMOJU node for each topic people search for', async () => {
		await editor.openWorkflow(await editor.createWorkflow([]));
		const found: Record<string, string> = {};
		for (const topic of ['payment', 'konbini', 'paypay', '3d secure', 'credit card', 'jpy']) {
			await editor.searchNodes(topic);
			const item = editor.komojuPanelItem();
			await item.waitFor();
			found[topic] = (await item.locator('[data-test-id="node-creator-item-name"]').innerText()).trim();
		}
		expect(found).toEqual({ payment: 'KOMOJU', konbini: 'KOMOJU', paypay: 'KOMOJU', '3d secure': 'KOMOJU', 'credit card': 'KOMOJU', jpy: 'KOMOJU' });
	});
});

describe('a Secure Token node added from the nodes panel', () => {
	test('gets the name that Get’s placeholder refers to, and an empty Amount and card expiry', async () => {
		await editor.openWorkflow(await editor.createWorkflow([]));
		await editor.addKomojuAction('Create a secure token');
		// No Amount of 0 pre-filled: empty, with an example as placeholder.
		const amount = editor.parameter('amount').locator('input');
		expect({ value: await amount.inputValue(), placeholder: await amount.getAttribute('placeholder') }).toEqual({ value: '', placeholder: 'e.g. 1000' });
		// No pre-filled expiry (it was 1/2030): both empty (still required: the unit test checks it).
		await editor.choose('paymentSource', 'Card Details');
		for (const name of ['expiryMonth', 'expiryYear']) {
			const input = editor.parameter(name).locator('input');
			await input.waitFor();
			expect({ name, value: await input.inputValue() }).toEqual({ name, value: '' });
		}
		await editor.closeNode();
		await editor.canvasNode('Create a secure token').waitFor();

		await editor.addKomojuAction('Get a secure token');
		const idInput = editor.parameter('secureTokenId').locator('input, textarea').first();
		await idInput.waitFor();
		const placeholder = (await idInput.getAttribute('placeholder')) ?? '';
		const referenced = /\$\('([^']+)'\)/.exec(placeholder)?.[1];
		expect({ placeholder, referenced }).toEqual({ placeholder: expect.stringContaining("$('"), referenced: 'Create a secure token' });
		await editor.closeNode();
		// The placeholder's node is the one on the canvas.
		await expect(editor.canvasNode(referenced!).count()).resolves.toBe(1);
	});
});

describe('the KOMOJU Trigger', () => {
	test('tells the user about the Test URL that “Execute step” listens on, as n8n labels it', async () => {
		await editor.openWorkflow(
			await editor.createWorkflow([
				{
					name: 'KOMOJU Trigger',
					type: 'n8n-nodes-komoju.komojuTrigger',
					parameters: { events: ['*'] },
					credentials: { komojuWebhookApi: CREDENTIALS.webhook },
				},
			]),
		);
		const ndv = await editor.openNode('KOMOJU Trigger');
		const notice = ndv.locator('[data-test-id="parameter-input-setupNotice"], .notice').filter({ hasText: 'Production URL' }).first();
		await notice.waitFor();
		const text = await notice.innerText();
		expect(text).toContain('Test URL');
		expect(text).toContain('Execute step');
		// n8n's own webhook panel of the node uses the same words.
		await ndv.getByText('Webhook URLs').first().click();
		await ndv.getByText('Test URL', { exact: true }).first().waitFor();
	});
});

describe('the credential Test', () => {
	const testResult = async (type: string, data: Record<string, unknown>) => {
		const id = await editor.createCredential(type, data);
		await editor.newPage();
		// Opening a saved credential runs its Test.
		await editor.page.goto(`${editor.base}/home/credentials/${id}`);
		const dialog = editor.page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor();
		const success = dialog.locator('[data-test-id="credentials-config-container-test-success"]');
		const details = dialog.getByText('More details', { exact: true });
		// The Test ends in a success banner or in an error whose details are folded away.
		await success.or(details).first().waitFor();
		const succeeded = await success.isVisible();
		if (!succeeded) await details.click();
		const config = dialog.locator('[data-test-id="node-credentials-config-container"]');
		return { success: succeeded, text: await config.innerText() };
	};

	test('explains KOMOJU’s 403 for a publishable key', async () => {
		const result = await testResult('komojuApi', { secretKey: PUBLISHABLE_KEY, baseUrl: editor.state.sandbox.url, apiVersion: '2025-01-28' });
		expect(result.success).toBe(false);
		expect(result.text).toContain('it is probably the publishable key (pk_…). Use the secret key (sk_…)');
	});

	test('explains KOMOJU’s 401 for a wrong key', async () => {
		const result = await testResult('komojuApi', { secretKey: 'sk_test_not_a_key', baseUrl: editor.state.sandbox.url, apiVersion: '2025-01-28' });
		expect(result.success).toBe(false);
		expect(result.text).toContain('KOMOJU rejected the key. Use the secret key (not the publishable key)');
	});

	test('of a webhook secret says, where n8n reports success, that only the secret’s form was checked', async () => {
		const result = await testResult('komojuWebhookApi', { webhookSecret: 'whsec_ui_test' });
		// A correct secret must not look wrong; the credential's notice says what the Test did.
		expect(result.success).toBe(true);
		expect(result.text).toContain('only checks the secret’s form');
		expect(result.text).toContain('never contacts KOMOJU');
	});
});

describe('options that depend on another option of the same Options collection', () => {
	test('Secure Token → Get: Wait Timeout and Poll Interval only once Wait for Final Status is on', async () => {
		await editor.openWorkflow(await editor.createWorkflow([komojuNode('Get', { resource: 'secureToken', operation: 'get' })]));
		await editor.openNode('Get');
		const before = await editor.offeredOptions();
		expect(before).toContain('Wait for Final Status');
		expect(before).not.toContain('Wait Timeout (Seconds)');
		expect(before).not.toContain('Poll Interval (Seconds)');

		await editor.addOption('Wait for Final Status');
		await editor.parameter('waitForFinalStatus').waitFor();
		expect(await editor.offeredOptions()).not.toContain('Poll Interval (Seconds)'); // added, but off
		await editor.setSwitch('waitForFinalStatus', true);
		const on = await editor.offeredOptions();
		expect(on).toEqual(expect.arrayContaining(['Wait Timeout (Seconds)', 'Poll Interval (Seconds)']));

		// Added and then switched off again: the dependent option goes with it.
		await editor.addOption('Poll Interval (Seconds)');
		await editor.parameter('pollInterval').waitFor();
		await editor.setSwitch('waitForFinalStatus', false);
		await editor.parameter('pollInterval').waitFor({ state: 'detached' });
	});

	test('Payment → Create: Maximum Amount Currency only once a Maximum Amount is set', async () => {
		await editor.openWorkflow(await editor.createWorkflow([komojuNode('Pay', { resource: 'payment', operation: 'create' })]));
		await editor.openNode('Pay');
		const before = await editor.offeredOptions();
		expect(before).toContain('Maximum Amount');
		expect(before).not.toContain('Maximum Amount Currency');
		await editor.addOption('Maximum Amount');
		await editor.parameter('maximumAmount').waitFor();
		expect(await editor.offeredOptions()).not.toContain('Maximum Amount Currency'); // 0 = no limit
		await editor.fillNumber('maximumAmount', 5000);
		expect(await editor.offeredOptions()).toContain('Maximum Amount Currency');
	});

	test('Konbini Barcode → Get: Wait Timeout goes once Wait Until Ready is turned off', async () => {
		await editor.openWorkflow(await editor.createWorkflow([komojuNode('Barcode', { resource: 'barcode', operation: 'get' })]));
		await editor.openNode('Barcode');
		// Wait Until Ready is on until it is added and turned off.
		expect(await editor.offeredOptions()).toEqual(expect.arrayContaining(['Wait Until Ready', 'Wait Timeout (Seconds)']));
		await editor.addOption('Wait Until Ready');
		await editor.setSwitch('waitUntilReady', true);
		expect(await editor.offeredOptions()).toContain('Wait Timeout (Seconds)');
		await editor.setSwitch('waitUntilReady', false);
		expect(await editor.offeredOptions()).not.toContain('Wait Timeout (Seconds)');
	});
});

describe('amounts', () => {
	test('no amount field of a money operation is pre-filled with 0', async () => {
		const nodes = [
			komojuNode('Payment', { resource: 'payment', operation: 'create', paymentSource: 'customer', tax: 'amount' }),
			komojuNode('Session', { resource: 'session', operation: 'create' }),
			komojuNode('Subscription', { resource: 'subscription', operation: 'create' }),
			komojuNode('Capture', { resource: 'payment', operation: 'capture', captureType: 'partial' }),
			komojuNode('Refund', { resource: 'payment', operation: 'refund', refundType: 'partial' }),
		];
		await editor.openWorkflow(await editor.createWorkflow(nodes));
		const seen: Record<string, { value: string; placeholder: string | null }> = {};
		for (const [node, fields] of [
			['Payment', ['amount', 'taxAmount']],
			['Session', ['amount']],
			['Subscription', ['amount']],
			['Capture', ['amount']],
			['Refund', ['amount']],
		] as const) {
			await editor.openNode(node);
			for (const field of fields) {
				const input = editor.parameter(field).locator('input').first();
				await input.waitFor();
				seen[`${node}.${field}`] = { value: await input.inputValue(), placeholder: await input.getAttribute('placeholder') };
			}
			await editor.closeNode();
		}
		for (const [field, { value, placeholder }] of Object.entries(seen)) {
			expect({ field, value, placeholder }).toEqual({ field, value: '', placeholder: expect.stringMatching(/^e\.g\. \d+$/) });
		}
	});
});
