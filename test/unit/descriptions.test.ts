import { DEFAULT_CONCURRENCY, requestOptionsCollection } from '../../packages/n8n-nodes-komoju/nodes/Komoju/actions/options.shared';
import { DEFAULT_REQUEST_SETTINGS } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport';

describe('the Options collection', () => {
	// n8n's lint wants literal defaults in descriptions: they must still say what the code does.
	it('shows the defaults the code applies when an option is not set', () => {
		const options = requestOptionsCollection([], { idempotency: true }).options as Array<{ name: string; default: unknown }>;
		const byName = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(byName).toMatchObject({
			concurrency: DEFAULT_CONCURRENCY,
			maxRetries: DEFAULT_REQUEST_SETTINGS.maxRetries,
			timeout: DEFAULT_REQUEST_SETTINGS.timeoutMs,
			idempotencyKey: '',
		});
	});
});

describe('the node description', () => {
	// Every number KOMOJU takes is whole (amounts in the smallest unit, counts, seconds): the editor
	// must not offer decimals anywhere, nested collections included (a lint autofix once dropped them).
	it('gives every number field numberPrecision 0', async () => {
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		type Field = { name: string; type?: string; typeOptions?: { numberPrecision?: number }; options?: unknown[]; values?: unknown[] };
		const numbers: Array<[string, number | undefined]> = [];
		const walk = (fields: unknown[] | undefined, path: string) => {
			for (const field of (fields ?? []) as Field[]) {
				if (typeof field !== 'object' || field === null || !('name' in field)) continue;
				if (field.type === 'number') numbers.push([`${path}${field.name}`, field.typeOptions?.numberPrecision]);
				walk(field.options, `${path}${field.name}.`);
				walk(field.values, `${path}${field.name}.`);
			}
		};
		walk(new Komoju().description.properties, '');
		expect(numbers.length).toBeGreaterThan(10);
		expect(numbers.filter(([, precision]) => precision !== 0)).toEqual([]);
	});
});

/**
 * The invariants of what the editor and an AI agent are shown, read from the node's description
 * as n8n gets it. Which operations POST and which move money are written here, independently of
 * the node's code: the method from KOMOJU's contract, the money from what each call does.
 */
describe('the node description’s invariants', () => {
	type Property = {
		name: string;
		type?: string;
		default?: unknown;
		displayOptions?: { show?: Record<string, unknown[]> };
		options?: Array<{ name: string; value?: string; action?: string; description?: string }>;
	};

	/** Each node operation and the contract operation it calls. */
	const CONTRACT_OPERATION: Record<string, string> = {
		'balance.get': 'showBalance',
		'balanceTransaction.get': 'showTransaction',
		'balanceTransaction.getAll': 'balanceTransactions',
		'barcode.get': 'showBarcode',
		'chargeback.accept': 'acceptChargebackRequest',
		'chargeback.get': 'showChargebackRequest',
		'chargeback.getAll': 'listChargebackRequests',
		'customer.create': 'createCustomer',
		'customer.delete': 'deleteCustomer',
		'customer.get': 'showCustomer',
		'customer.getAll': 'listCustomers',
		'customer.update': 'updateCustomer',
		'event.get': 'showEvent',
		'event.getAll': 'listEvents',
		'payment.cancel': 'cancelPayment',
		'payment.capture': 'capturePayment',
		'payment.create': 'createPayment',
		'payment.get': 'showPayment',
		'payment.getAll': 'listPayments',
		'payment.refund': 'refundPayment',
		'payment.refundRequest': 'createRefundRequest',
		'payment.update': 'updatePayment',
		'paymentMethod.getAll': 'listPaymentMethods',
		'secureToken.create': 'createSecureToken',
		'secureToken.get': 'showSecureToken',
		'session.cancel': 'cancelSession',
		'session.create': 'createSession',
		'session.get': 'showSession',
		'settlement.get': 'showSettlement',
		'settlement.getAll': 'listSettlements',
		'settlement.getCsv': 'showSettlementCSV',
		'subscription.create': 'createSubscription',
		'subscription.delete': 'deleteSubscription',
		'subscription.get': 'showSubscription',
		'subscription.getAll': 'listSubscriptions',
		'token.create': 'createToken',
	};
	/** The calls that take or return money: a subscription charges every period, an accepted chargeback gives the money up. */
	const MOVES_MONEY = ['chargeback.accept', 'payment.capture', 'payment.create', 'payment.refund', 'payment.refundRequest', 'subscription.create'];
	/** Those, and a session, which opens a page where the customer pays its amount. */
	const CAPS_AMOUNT = [...MOVES_MONEY, 'session.create'];

	let properties: Property[];
	let operations: Array<{ key: string; option: NonNullable<Property['options']>[number] }>;
	const contract = require('../../sandbox/contract/contract.json') as { operations: Array<{ operationId: string; method: string }> };

	beforeAll(async () => {
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		properties = new Komoju().description.properties as Property[];
		operations = properties
			.filter((property) => property.name === 'operation')
			.flatMap((dropdown) =>
				(dropdown.options ?? []).map((option) => ({ key: `${dropdown.displayOptions?.show?.resource?.[0]}.${option.value}`, option })),
			);
	});

	/** The Options collection's option names shown for one operation. */
	function optionsShownFor(key: string): string[] {
		const [resource, operation] = key.split('.');
		const collections = properties.filter(
			(property) =>
				property.name === 'options' &&
				property.displayOptions?.show?.resource?.includes(resource) &&
				property.displayOptions?.show?.operation?.includes(operation),
		);
		expect(collections).toHaveLength(1);
		return (collections[0].options ?? []).map((option) => option.name);
	}

	it('offers exactly the operations this test knows, each calling an operation of KOMOJU’s contract', () => {
		expect(operations.map(({ key }) => key).sort()).toEqual(Object.keys(CONTRACT_OPERATION).sort());
		const known = new Set(contract.operations.map((operation) => operation.operationId));
		expect(Object.values(CONTRACT_OPERATION).filter((id) => !known.has(id))).toEqual([]);
	});

	it('shows Idempotency Key on every operation that POSTs, and on no other', () => {
		const methodOf = new Map(contract.operations.map((operation) => [operation.operationId, operation.method]));
		for (const { key } of operations) {
			const posts = methodOf.get(CONTRACT_OPERATION[key]) === 'POST';
			expect({ key, showsIdempotencyKey: optionsShownFor(key).includes('idempotencyKey') }).toEqual({ key, showsIdempotencyKey: posts });
		}
	});

	it('tells the AI tool MOVES MONEY exactly where money moves, and caps those with Maximum Amount', () => {
		const saysMovesMoney = operations.filter(({ option }) => option.description?.startsWith('MOVES MONEY')).map(({ key }) => key);
		expect(saysMovesMoney.sort()).toEqual([...MOVES_MONEY].sort());
		const capped = operations.filter(({ key }) => optionsShownFor(key).includes('maximumAmount')).map(({ key }) => key);
		expect(capped.sort()).toEqual([...CAPS_AMOUNT].sort());
	});

	it('gives every operation an action and a description, in dropdowns sorted by name, with a default that exists', () => {
		for (const dropdown of properties.filter((property) => property.name === 'operation' || property.name === 'resource')) {
			const names = (dropdown.options ?? []).map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
			expect((dropdown.options ?? []).map((option) => option.value)).toContain(dropdown.default);
		}
		for (const { key, option } of operations) {
			expect({ key, action: typeof option.action === 'string' && option.action.length > 0 }).toEqual({ key, action: true });
			expect({ key, description: (option.description ?? '').length > 20 }).toEqual({ key, description: true });
		}
	});

	it('shows each field for one resource and one operation only', () => {
		const fields = properties.filter((property) => property.name !== 'resource' && property.name !== 'operation');
		for (const field of fields) {
			const show = field.displayOptions?.show ?? {};
			expect({ field: field.name, resources: show.resource?.length, operations: show.operation?.length }).toEqual({
				field: field.name,
				resources: 1,
				operations: 1,
			});
		}
	});
});

/** The editor's texts that a new user tripped over (issue 13), read as n8n gets them. */
describe('the editor’s texts', () => {
	it('spell authorized as KOMOJU does, everywhere in the node', async () => {
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		expect(JSON.stringify(new Komoju().description)).not.toMatch(/authoris/i);
	});

	it('suggest the name n8n gives a Secure Token → Create node in Get’s placeholder', async () => {
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		type Property = { name: string; displayOptions?: { show?: Record<string, unknown[]> }; options?: Array<{ value?: string; action?: string }>; modes?: Array<{ placeholder?: string }> };
		const properties = new Komoju().description.properties as Property[];
		const dropdown = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('secureToken'))!;
		const createAction = dropdown.options!.find((option) => option.value === 'create')!.action!;
		const idField = properties.find((p) => p.name === 'secureTokenId' && p.displayOptions?.show?.operation?.includes('get'))!;
		expect(idField.modes![0].placeholder).toContain(`$('${createAction}')`);
	});

	it('tell the KOMOJU Trigger’s user about both its Production URL and the Test URL that “Execute step” listens on', async () => {
		const { KomojuTrigger } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/KomojuTrigger.node');
		const notice = new KomojuTrigger().description.properties.find((p) => p.type === 'notice')!;
		expect(notice.displayName).toContain('Production URL');
		expect(notice.displayName).toContain('Test URL');
	});

	it('list trigger events by readable names, KOMOJU’s type kept as the value', async () => {
		const { eventOptions } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/triggers/events');
		expect(eventOptions[0]).toMatchObject({ name: 'All Events', value: '*' });
		expect(eventOptions.find((option) => option.value === 'payment.refund.created')).toMatchObject({ name: 'Payment Refund Created' });
		expect(eventOptions.filter((option) => /[.*]/.test(option.name))).toEqual([]);
	});

	it('explain a publishable key’s 403 in the credential test as well as a wrong key’s 401', async () => {
		const { KomojuApi } = await import('../../packages/n8n-nodes-komoju/credentials/KomojuApi.credentials');
		const rules = new KomojuApi().test.rules as Array<{ properties: { value: number; message: string } }>;
		expect(rules.map((rule) => rule.properties.value)).toEqual([401, 403]);
		expect(rules[1].properties.message).toMatch(/publishable key/);
	});

	// Every field of the node, nested ones included, with the resource/operation it shows for.
	type Field = { name: string; displayName: string; type: string; default?: unknown; required?: boolean; placeholder?: string; displayOptions?: { show?: Record<string, unknown[]>; hide?: Record<string, unknown[]> }; options?: unknown[]; values?: unknown[] };
	const allFields = async (): Promise<Array<{ path: string; field: Field }>> => {
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		const found: Array<{ path: string; field: Field }> = [];
		const walk = (fields: unknown[] | undefined, path: string) => {
			for (const field of (fields ?? []) as Field[]) {
				if (typeof field !== 'object' || field === null || !('name' in field) || !('type' in field)) {
					walk((field as Field | null)?.values, path); // a fixedCollection's group
					continue;
				}
				found.push({ path: `${path}${field.name}`, field });
				walk(field.options, `${path}${field.name}.`);
				walk(field.values, `${path}${field.name}.`);
			}
		};
		walk(new Komoju().description.properties, '');
		return found;
	};
	const optionsOf = async (resource: string, operation: string): Promise<Field[]> => {
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		const collection = (new Komoju().description.properties as Field[]).find(
			(p) => p.name === 'options' && p.displayOptions?.show?.resource?.includes(resource) && p.displayOptions?.show?.operation?.includes(operation),
		)!;
		return collection.options as Field[];
	};

	it('leave the card expiry empty (no 1/2030 sent for a card that has another), still required', async () => {
		const expiries = (await allFields()).filter(({ field }) => ['expiryMonth', 'expiryYear'].includes(field.name));
		expect(expiries.length).toBeGreaterThanOrEqual(4); // secure token, payment, token, customer cards
		for (const { path, field } of expiries) expect({ path, default: field.default, required: field.required, placeholder: typeof field.placeholder }).toEqual({ path, default: null, required: true, placeholder: 'string' });
	});

	it('pre-fill no amount with 0, a value almost never meant; Maximum Amount keeps 0 = no limit', async () => {
		// The sums of money a call moves or caps (Paidy's optional buyer profile, e.g. Customer Last
		// Order Amount, is not one: 0 is a real answer there).
		const amounts = (await allFields()).filter(({ field }) => field.type === 'number' && ['amount', 'taxAmount', 'maximumAmount'].includes(field.name));
		expect(amounts.filter(({ field }) => field.name === 'amount').length).toBeGreaterThanOrEqual(6); // secure token, payment, session (+ line item), subscription, capture, refund
		for (const { path, field } of amounts.filter(({ field }) => field.name !== 'maximumAmount')) {
			expect({ path, default: field.default, placeholder: field.placeholder }).toEqual({ path, default: null, placeholder: expect.stringMatching(/^e\.g\. \d+$/) });
		}
		for (const { field } of amounts.filter(({ field }) => field.name === 'maximumAmount')) expect(field.default).toBe(0);
	});

	it('offer an option that depends on another option of the same collection only once that one is set', async () => {
		const { NodeHelpers } = await import('n8n-workflow');
		// The editor's rule for an option of a collection: displayOptions read its sibling values.
		const shown = (option: Field, siblings: Record<string, unknown>) => NodeHelpers.displayParameter(siblings as never, option as never, null, null);
		const byName = (options: Field[], name: string) => options.find((option) => option.name === name)!;

		const tokenGet = await optionsOf('secureToken', 'get');
		for (const name of ['waitTimeout', 'pollInterval']) {
			const option = byName(tokenGet, name);
			expect([shown(option, {}), shown(option, { waitForFinalStatus: false }), shown(option, { waitForFinalStatus: true })]).toEqual([false, false, true]);
		}
		expect(shown(byName(tokenGet, 'waitForFinalStatus'), {})).toBe(true);

		for (const [resource, operation] of [['payment', 'create'], ['payment', 'capture'], ['payment', 'refund'], ['session', 'create']]) {
			const currency = byName(await optionsOf(resource, operation), 'maximumAmountCurrency');
			expect({ resource, operation, shown: [{}, { maximumAmount: 0 }, { maximumAmount: 5000 }, { maximumAmount: '={{ $json.max }}' }].map((siblings) => shown(currency, siblings)) }).toEqual({
				resource,
				operation,
				shown: [false, false, true, true],
			});
		}

		// Wait Until Ready is on while it is not added: its timeout goes only once it is turned off.
		const barcodeTimeout = byName(await optionsOf('barcode', 'get'), 'waitTimeout');
		expect([shown(barcodeTimeout, {}), shown(barcodeTimeout, { waitUntilReady: true }), shown(barcodeTimeout, { waitUntilReady: false })]).toEqual([true, true, false]);
	});

	it('keep the saved values of dependent options when their parent is set, as n8n reads them to run', async () => {
		const { NodeHelpers } = await import('n8n-workflow');
		const { Komoju } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node');
		const description = new Komoju().description;
		const run = (parameters: Record<string, unknown>) =>
			NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, null, description) as { options: Record<string, unknown> };
		expect(run({ resource: 'secureToken', operation: 'get', options: { waitForFinalStatus: true, waitTimeout: 30, pollInterval: 2 } }).options).toEqual({
			waitForFinalStatus: true,
			waitTimeout: 30,
			pollInterval: 2,
		});
		expect(run({ resource: 'payment', operation: 'refund', options: { maximumAmount: 5000, maximumAmountCurrency: 'USD' } }).options).toEqual({
			maximumAmount: 5000,
			maximumAmountCurrency: 'USD',
		});
		expect(run({ resource: 'barcode', operation: 'get', options: { waitTimeout: 120 } }).options).toEqual({ waitTimeout: 120 });
	});

	it('say in the webhook credential that its Test checks only the secret’s form, KOMOJU not contacted', async () => {
		const { KomojuWebhookApi } = await import('../../packages/n8n-nodes-komoju/credentials/KomojuWebhookApi.credentials');
		const { WEBHOOK_SECRET_NOT_CONTACTED } = await import('../../packages/n8n-nodes-komoju/nodes/Komoju/KomojuTrigger.node');
		const notice = new KomojuWebhookApi().properties.find((p) => p.type === 'notice')!;
		expect(notice.displayName).toMatch(/only checks the secret’s form.*never contacts KOMOJU, even where n8n then says “Connection tested successfully”/);
		expect(WEBHOOK_SECRET_NOT_CONTACTED).toMatch(/Only the form of the secret was checked.*KOMOJU was not contacted/);
	});

	it('let the nodes panel find each node by the topics people search for', () => {
		const { readFileSync } = require('node:fs') as typeof import('node:fs');
		for (const file of ['Komoju', 'KomojuTrigger', 'KomojuEventsTrigger']) {
			const codex = JSON.parse(readFileSync(`${__dirname}/../../packages/n8n-nodes-komoju/nodes/Komoju/${file}.node.json`, 'utf8')) as { alias?: string[] };
			const aliases = (codex.alias ?? []).map((alias) => alias.toLowerCase());
			for (const topic of ['payment', 'konbini', 'paypay', 'jpy']) expect({ file, topic, found: aliases.some((alias) => alias.includes(topic)) }).toEqual({ file, topic, found: true });
		}
		const action = JSON.parse(readFileSync(`${__dirname}/../../packages/n8n-nodes-komoju/nodes/Komoju/Komoju.node.json`, 'utf8')) as { alias: string[] };
		for (const topic of ['3d secure', 'credit card']) expect(action.alias.map((alias) => alias.toLowerCase())).toContain(topic);
	});
});
