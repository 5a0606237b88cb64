/**
 * Money through n8n's own recovery paths, in the running `n8n start`: an execution that failed
 * is retried from n8n's Executions list (POST /rest/executions/<id>/retry, with the original
 * workflow and with the saved one), and KOMOJU must not charge again. The workflow charges a
 * batch of orders posted to its production webhook (Webhook → Code → Payment Create).
 */
import { e2eContext } from './support/context';
import { nodeOutput, sleep, type Execution, type N8nApi } from './support/n8n';
import { IDS, RECOVERY_WEBHOOK_PATH } from './support/workflows';

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;

beforeAll(async () => {
	n8n = await e2e.n8n();
	await n8n.publish(IDS.recovery);
});

beforeEach(async () => {
	await sandbox.clearFaults();
	await sandbox.clearRequests();
});

/** Posts orders to the workflow and returns its finished execution. */
async function charge(orders: Array<{ customer: string; amount: number }>): Promise<Execution> {
	const before = new Set(await n8n.executionIds(IDS.recovery));
	const response = await fetch(`${e2e.state.n8n.url}/webhook/${RECOVERY_WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ orders }),
	});
	expect(response.status).toBe(200);
	const deadline = Date.now() + 30_000;
	for (;;) {
		const started = (await n8n.executionIds(IDS.recovery)).find((id) => !before.has(id));
		if (started) return await n8n.finishedExecution(started);
		if (Date.now() > deadline) throw new Error('the webhook started no execution within 30 s');
		await sleep(200);
	}
}

/** Executions → Retry, as the editor calls it; returns the new execution once it has finished. */
async function retry(executionId: string, loadWorkflow: boolean): Promise<Execution> {
	const retried = await n8n.data('POST', `/rest/executions/${executionId}/retry`, { loadWorkflow });
	expect(retried.retryOf ?? executionId).toBe(executionId);
	return await n8n.finishedExecution(String(retried.id));
}

async function paymentsOf(amount: number) {
	return (await sandbox.payments()).filter((payment) => payment.amount === amount);
}

const errorDescription = (execution: Execution): string =>
	String((execution.data as { resultData?: { error?: { description?: string } } }).resultData?.error?.description ?? '');

describe('Executions → Retry never charges twice', () => {
	it.each([
		['with the original workflow', false, 4101],
		['with the currently saved workflow', true, 4102],
	])('a Payment Create whose answer was lost, retried %s, leaves exactly one payment', async (_mode, loadWorkflow, amount) => {
		await sandbox.injectFault({ method: 'POST', path: '/api/v1/payments', exact: true, times: 1, action: { failAfterProcessing: true } });
		const failed = await charge([{ customer: e2e.state.fixtures.customerId, amount }]);
		expect(failed.status).toBe('error');
		expect(errorDescription(failed)).toContain('KOMOJU may have processed this request');
		expect(await paymentsOf(amount)).toHaveLength(1);

		const retried = await retry(failed.id, loadWorkflow);
		expect(retried.status).toBe('success');
		const [payment] = await paymentsOf(amount);
		expect(await paymentsOf(amount)).toHaveLength(1);
		expect(nodeOutput({ status: retried.status, data: retried.data }, 'Charge').map((item) => item.json.id)).toEqual([payment.id]);
		const keys = (await sandbox.apiRequests('POST', '/api/v1/payments')).map((request) => request.headers['x-komoju-idempotency']);
		expect(keys).toHaveLength(2);
		expect(new Set(keys).size).toBe(1);
	});

	it('a batch with one unknown customer, retried twice: three payments, each named in every failed execution', async () => {
		const customer = e2e.state.fixtures.customerId;
		const amounts = [4201, 4202, 4204];
		const orders = [
			{ customer, amount: amounts[0] },
			{ customer, amount: amounts[1] },
			{ customer: 'cus_unknown_e2e', amount: 4203 },
			{ customer, amount: amounts[2] },
		];
		let execution = await charge(orders);
		const failures = [execution];
		for (const loadWorkflow of [false, true]) {
			expect(execution.status).toBe('error');
			execution = await retry(execution.id, loadWorkflow);
			failures.push(execution);
		}
		expect(execution.status).toBe('error');
		const payments = await Promise.all(amounts.map(paymentsOf));
		expect(payments.map((list) => list.length)).toEqual([1, 1, 1]);
		for (const failed of failures) {
			const description = errorDescription(failed);
			expect(description).toContain('KOMOJU already processed 3 other items of this run');
			for (const [index, position] of [1, 2, 4].entries()) {
				expect(description).toContain(`item ${position} → ${String(payments[index][0].id)}`);
			}
		}
		expect(await paymentsOf(4203)).toHaveLength(0);
	});
});
