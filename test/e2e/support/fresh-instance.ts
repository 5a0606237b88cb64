/**
 * A second, fresh n8n instance for one test: its own user folder and SQLite database (so its
 * execution ids start at 1), the same encryption key as every test instance (scripts/n8n/n8n.sh),
 * the package installed, one KOMOJU credential and one workflow Start → KOMOJU ("Charge").
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { n8nCli, runScript, tail } from './n8n';
import type { E2eState } from './state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const FRESH_WORKFLOW_ID = 'e2eFreshInstance';

export interface FreshInstance {
	folder: string;
	workflowId: string;
}

export async function freshInstance(
	state: E2eState,
	name: string,
	setup: { baseUrl: string; parameters: Json },
): Promise<FreshInstance> {
	const folder = mkdtempSync(join(state.runDir, `${name}-`));
	const installed = await runScript('install-package.sh', [folder]);
	if (installed.code !== 0) throw new Error(`install-package.sh failed:\n${tail(installed.stdout + installed.stderr)}`);
	const credentials = join(folder, 'credentials.json');
	const credential = { id: 'komojuFresh', name: 'KOMOJU (fresh instance)' };
	writeFileSync(
		credentials,
		JSON.stringify([{ ...credential, type: 'komojuApi', data: { secretKey: state.sandbox.secretKey, baseUrl: setup.baseUrl, apiVersion: '2025-01-28' } }]),
	);
	const workflow = join(folder, 'workflow.json');
	writeFileSync(
		workflow,
		JSON.stringify({
			id: FRESH_WORKFLOW_ID,
			name: `e2e: one KOMOJU call (${name})`,
			nodes: [
				{ id: 'c0a1b2c3-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'c0a1b2c3-0000-4000-8000-000000000002',
					name: 'Charge',
					type: 'n8n-nodes-komoju.komoju',
					typeVersion: 1,
					position: [220, 0],
					parameters: setup.parameters,
					credentials: { komojuApi: credential },
				},
			],
			connections: { Start: { main: [[{ node: 'Charge', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		}),
	);
	await n8nCli(folder, ['import:credentials', `--input=${credentials}`]);
	await n8nCli(folder, ['import:workflow', `--input=${workflow}`]);
	return { folder, workflowId: FRESH_WORKFLOW_ID };
}
