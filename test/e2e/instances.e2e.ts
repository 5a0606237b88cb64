/**
 * Two n8n instances that share an encryption key (a cloned staging instance, or a database that
 * was reset): n8n derives the same instance id from the key, the workflow keeps its id, and the
 * first execution of each database is execution 1. Each instance must still get its own payment,
 * never the other's through a shared idempotency key.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { e2eContext } from './support/context';
import { execute, n8nCli, nodeOutput, runScript, tail } from './support/n8n';

const e2e = e2eContext();
const { sandbox } = e2e;

const WORKFLOW_ID = 'e2eCloneCharge';
const AMOUNT = 4301;

/** A fresh n8n user folder (its own SQLite database) with the package, one credential and one workflow. */
async function freshInstance(runDir: string, name: string): Promise<string> {
	const folder = mkdtempSync(join(runDir, `${name}-`));
	const installed = await runScript('install-package.sh', [folder]);
	if (installed.code !== 0) throw new Error(`install-package.sh failed:\n${tail(installed.stdout + installed.stderr)}`);
	const credentials = join(folder, 'credentials.json');
	writeFileSync(
		credentials,
		JSON.stringify([
			{ id: 'komojuClone', name: 'KOMOJU clone', type: 'komojuApi', data: { secretKey: e2e.state.sandbox.secretKey, baseUrl: sandbox.url, apiVersion: '2025-01-28' } },
		]),
	);
	const workflow = join(folder, 'workflow.json');
	writeFileSync(
		workflow,
		JSON.stringify({
			id: WORKFLOW_ID,
			name: 'e2e: charge a saved customer (one of two instances)',
			nodes: [
				{ id: 'c0a1b2c3-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'c0a1b2c3-0000-4000-8000-000000000002',
					name: 'Charge',
					type: 'n8n-nodes-komoju.komoju',
					typeVersion: 1,
					position: [220, 0],
					parameters: { resource: 'payment', operation: 'create', amount: AMOUNT, currency: 'JPY', paymentSource: 'customer', customerId: e2e.state.fixtures.customerId, options: {} },
					credentials: { komojuApi: { id: 'komojuClone', name: 'KOMOJU clone' } },
				},
			],
			connections: { Start: { main: [[{ node: 'Charge', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		}),
	);
	await n8nCli(folder, ['import:credentials', `--input=${credentials}`]);
	await n8nCli(folder, ['import:workflow', `--input=${workflow}`]);
	return folder;
}

describe('two instances with the same encryption key', () => {
	it('each charge their own payment: execution 1 of each database sends its own idempotency key', async () => {
		await sandbox.clearRequests();
		const folders = [await freshInstance(e2e.state.runDir, 'clone-a'), await freshInstance(e2e.state.runDir, 'clone-b')];
		const paid: string[] = [];
		for (const folder of folders) {
			const { run } = await execute(folder, WORKFLOW_ID);
			expect(run.status).toBe('success');
			paid.push(String(nodeOutput(run, 'Charge')[0].json.id));
		}
		const payments = (await sandbox.payments()).filter((payment) => payment.amount === AMOUNT);
		expect(payments).toHaveLength(2);
		expect(new Set(paid).size).toBe(2);
		expect(paid.sort()).toEqual(payments.map((payment) => String(payment.id)).sort());
		const keys = (await sandbox.apiRequests('POST', '/api/v1/payments')).map((request) => request.headers['x-komoju-idempotency']);
		expect(keys).toHaveLength(2);
		expect(new Set(keys).size).toBe(2);
	});
});
