import { NodeApiError, NodeOperationError, type IBinaryData, type IDataObject } from 'n8n-workflow';

import { apiRequests, CARDS, FUTURE_YEAR, komojuCall, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
/** Payments made in this test so far: their order numbers are ORD-1, ORD-2, … */
let orders = 0;
beforeEach(() => {
	sandbox = sandboxOf();
	orders = 0;
});

const card = { type: 'credit_card', number: CARDS.regular, month: 8, year: FUTURE_YEAR };

/** Captured card payments without tax, so that each total is its amount. */
async function captured(amounts: number[], currency = 'JPY'): Promise<IDataObject[]> {
	const payments: IDataObject[] = [];
	for (const amount of amounts) {
		payments.push(await komojuCall(sandbox, 'POST', '/payments', { amount, currency, tax: 0, payment_details: card, external_order_num: `ORD-${++orders}` }));
	}
	return payments;
}

/** Three payments, one of them refunded in part, settled: what Settlement → Get CSV reports. */
async function settledMonth() {
	const payments = await captured([10000, 2500, 800]);
	await komojuCall(sandbox, 'POST', `/payments/${payments[1].id}/refund`, { amount: 500 });
	const settlement = sandbox.settle();
	sandbox.clearRequests();
	return { payments, settlement };
}

/** A CSV as rows of fields (the sandbox quotes no field of these tests). */
function csvRows(binary: IBinaryData): string[][] {
	const text = Buffer.from(binary.data, 'base64').toString('utf8');
	expect(text.endsWith('\r\n')).toBe(true);
	return text.trimEnd().split('\r\n').map((line) => line.split(','));
}

describe('Settlement → Get Many, Get', () => {
	it('lists settlements newest first, and sends the time filters', async () => {
		await captured([1000]);
		const first = sandbox.settle();
		await captured([2000]);
		const second = sandbox.settle();
		sandbox.clearRequests();
		const result = await runKomoju(sandbox, {
			resource: 'settlement',
			operation: 'getAll',
			returnAll: true,
			filters: { startTime: '2020-01-01T00:00:00Z' },
		});
		expect(result.resultOf('KOMOJU').map((item) => [item.json.id, item.json.settlement_amount_cents])).toEqual([
			[second.id, second.settlement_amount_cents],
			[first.id, first.settlement_amount_cents],
		]);
		expect(apiRequests(sandbox, 'GET', '/api/v1/settlements').map((request) => request.query)).toEqual([
			{ page: '1', per_page: '100', start_time: '2020-01-01T00:00:00Z' },
		]);
	});

	it('gets one settlement with its fees and section totals', async () => {
		const { settlement } = await settledMonth();
		const result = await runKomoju(sandbox, { resource: 'settlement', operation: 'get', settlementId: settlement.id });
		const [item] = result.resultOf('KOMOJU');
		// 3.6 % fees, rounded, plus 10 % tax on them: 360 + 36, 90 + 9, 29 + 2.
		expect(item.json).toMatchObject({
			id: settlement.id,
			resource: 'settlement',
			currency: 'JPY',
			transaction_amount_cents: 12800,
			fee_amount_cents: 479,
			fee_tax_amount_cents: 47,
			settlement_amount_cents: 12274,
			payments: { captured_amount_total_cents: 13300, processing_fees_cents: -526, total_cents: 12774 },
			refunds: { refunded_amount_total_cents: -500, total_cents: -500 },
		});
	});
});

describe('Settlement → Get CSV', () => {
	it('outputs the settlement as JSON and its CSV as binary data: one row per settled payment', async () => {
		const { payments, settlement } = await settledMonth();
		const result = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: '={{ $json.id }}' }, { items: [{ id: settlement.id }] });
		expect(result.status).toBe('success');
		const [item] = result.resultOf('KOMOJU');
		expect(item.json).toMatchObject({ id: settlement.id, resource: 'settlement' });
		expect(item.pairedItem).toEqual({ item: 0 });
		const file = item.binary!.data;
		expect(file).toMatchObject({ fileName: `settlement-${settlement.id}.csv`, mimeType: 'text/csv' });
		const [header, ...rows] = csvRows(file);
		expect(header).toEqual(['payment_id', 'captured_at', 'external_order_num', 'currency', 'captured_amount', 'refunded_amount', 'chargeback_amount', 'fee', 'fee_tax', 'net_amount']);
		expect(rows.map((row) => [row[0], row[2], row[4], row[5], row[9]])).toEqual([
			[payments[0].id, 'ORD-1', '10000', '0', '9604'],
			[payments[1].id, 'ORD-2', '2500', '500', '1901'],
			[payments[2].id, 'ORD-3', '800', '0', '769'],
		]);
		expect(apiRequests(sandbox, 'GET', '/api/v1/settlements/').map((request) => request.path)).toEqual([
			`/api/v1/settlements/${settlement.id}`,
			`/api/v1/settlements/${settlement.id}/csv`,
		]);
	});

	it('puts the file under the field it is told, the same bytes KOMOJU sent', async () => {
		const { settlement } = await settledMonth();
		const result = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: settlement.id, binaryPropertyName: 'report' });
		const [item] = result.resultOf('KOMOJU');
		expect(Object.keys(item.binary ?? {})).toEqual(['report']);
		const direct = await fetch(`${sandbox.url}/api/v1/settlements/${settlement.id}/csv`, {
			headers: { Authorization: `Basic ${Buffer.from(`${sandbox.secretKey}:`).toString('base64')}` },
		});
		expect(Buffer.from(item.binary!.report.data, 'base64').equals(Buffer.from(await direct.arrayBuffer()))).toBe(true);
	});

	it('retries a 503 of the CSV, as any GET', async () => {
		const { settlement } = await settledMonth();
		sandbox.injectFault({ method: 'GET', path: `/api/v1/settlements/${settlement.id}/csv`, action: { status: 503 } });
		const result = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: settlement.id });
		expect(result.status).toBe('success');
		expect(csvRows(result.resultOf('KOMOJU')[0].binary!.data)).toHaveLength(4);
		expect(apiRequests(sandbox, 'GET', `/api/v1/settlements/${settlement.id}/csv`).map((request) => request.status)).toEqual([503, 200]);
	});

	it('maps KOMOJU’s error for the CSV like any other, and never follows a redirect', async () => {
		const { settlement } = await settledMonth();
		sandbox.injectFault({
			method: 'GET',
			path: `/api/v1/settlements/${settlement.id}/csv`,
			action: { status: 404, body: { error: { code: 'not_found', message: 'No CSV for this settlement.', param: '', details: {} } } },
		});
		const missing = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: settlement.id });
		expect(missing.thrown[0].error).toBeInstanceOf(NodeApiError);
		expect((missing.thrown[0].error as NodeApiError).message).toBe('KOMOJU: No CSV for this settlement.');

		sandbox.injectFault({ method: 'GET', path: `/api/v1/settlements/${settlement.id}/csv`, action: { status: 302 } });
		const redirected = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: settlement.id });
		expect((redirected.thrown[0].error as NodeApiError).message).toMatch(/redirected the request \(HTTP 302\).*does not follow redirects/);
		expect(apiRequests(sandbox, 'GET', `/api/v1/settlements/${settlement.id}/csv`)).toHaveLength(2);
	});

	it.each([
		['a web page (a login page in front of KOMOJU)', '<html><body>Please sign in</body></html>', 'text/html; charset=utf-8'],
		['JSON', '{"url":"https://files.example.com/settlement.csv"}', 'application/json'],
	])('refuses %s where the CSV belongs', async (_name, body, contentType) => {
		const { settlement } = await settledMonth();
		sandbox.injectFault({ method: 'GET', path: `/api/v1/settlements/${settlement.id}/csv`, action: { status: 200, body, contentType } });
		const result = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: settlement.id }, { settings: { onError: 'continueRegularOutput' } });
		const [item] = result.resultOf('KOMOJU');
		expect(item.json.error).toBe(`KOMOJU returned an unexpected response: a body of type ${contentType} where a file belongs`);
		expect(item.binary).toBeUndefined();
	});

	it('refuses an empty output field name before anything is sent', async () => {
		const result = await runKomoju(sandbox, { resource: 'settlement', operation: 'getCsv', settlementId: 'stl', binaryPropertyName: ' ' });
		expect(result.thrown[0].error).toBeInstanceOf(NodeOperationError);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Balance → Get', () => {
	it('gets the balance of one currency, identified by its currency, and what is not settled yet', async () => {
		await settledMonth();
		await captured([3000]);
		await captured([1500], 'USD');
		sandbox.clearRequests();
		const result = await runKomoju(sandbox, { resource: 'balance', operation: 'get', currency: '={{ $json.currency }}' }, { items: [{ currency: 'JPY' }, { currency: 'USD' }, { currency: 'EUR' }] });
		const balances = result.resultOf('KOMOJU').map((item) => item.json);
		// Only the ¥3,000 payment is unsettled: 3000 − 108 fee − 10 fee tax.
		expect(balances.map((balance) => [balance.currency, balance.total_balance_cents])).toEqual([
			['JPY', 2882],
			['USD', 1500 - 54 - 5],
			['EUR', 0],
		]);
		expect(balances[0]).toMatchObject({ payments: { captured_amount_total_cents: 3000, processing_fees_cents: -118 } });
		expect(apiRequests(sandbox, 'GET', '/api/v1/balances/').map((request) => request.path).sort()).toEqual([
			'/api/v1/balances/EUR',
			'/api/v1/balances/JPY',
			'/api/v1/balances/USD',
		]);
	});

	it('refuses a currency KOMOJU does not take before anything is sent', async () => {
		const result = await runKomoju(sandbox, { resource: 'balance', operation: 'get', currency: 'XXX' });
		expect((result.thrown[0].error as NodeOperationError).message).toBe('KOMOJU does not take the currency XXX');
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Balance Transaction → Get Many, Get', () => {
	it('lists the ledger of one currency newest first, filtered by type, and gets one transaction’s line items', async () => {
		const { payments, settlement } = await settledMonth();
		const all = await runKomoju(sandbox, { resource: 'balanceTransaction', operation: 'getAll', currency: 'JPY', returnAll: true });
		const entries = all.resultOf('KOMOJU').map((item) => item.json);
		expect(entries.map((entry) => entry.type)).toEqual(['settlement', 'refund', 'fee', 'payment', 'fee', 'payment', 'fee', 'payment']);
		expect(entries[0].amount_cents).toBe(-(settlement.settlement_amount_cents as number));
		expect(entries.reduce((sum, entry) => sum + (entry.amount_cents as number), 0)).toBe(0);

		const onlyPayments = await runKomoju(sandbox, {
			resource: 'balanceTransaction',
			operation: 'getAll',
			currency: 'JPY',
			returnAll: false,
			limit: 2,
			filters: { type: 'payment', endTime: '2099-01-01T00:00:00Z' },
		});
		expect(onlyPayments.resultOf('KOMOJU').map((item) => item.json.amount_cents)).toEqual([payments[2].total, payments[1].total]);
		expect(apiRequests(sandbox, 'GET', '/api/v1/balances/JPY/transactions').map((request) => request.query)).toEqual([
			{ page: '1', per_page: '100' },
			{ page: '1', per_page: '2', type: 'payment', end_time: '2099-01-01T00:00:00Z' },
		]);

		const one = await runKomoju(sandbox, { resource: 'balanceTransaction', operation: 'get', currency: 'JPY', transactionId: entries[1].id });
		expect(one.resultOf('KOMOJU').map((item) => item.json)).toEqual([entries[1]]);
		const unknown = await runKomoju(sandbox, { resource: 'balanceTransaction', operation: 'get', currency: 'JPY', transactionId: 'zzzzzzzzzzzzzzzzzzzzzzzzz' });
		expect((unknown.thrown[0].error as NodeApiError).httpCode).toBe('404');
	});
});
