/**
 * The package installed the way the editor installs it (Settings → Community nodes): n8n 2.40.7
 * on an empty user folder, its registry.npmjs.org served by the local registry through the
 * proxy (support/npmjs-proxy.ts), then, in order:
 *   1. npm's default registry answers with the local package through the proxy;
 *   2. POST /rest/community-packages installs the previous version; listed, served, on disk,
 *      no n8n-workflow installed;
 *   3. a saved, published workflow (Webhook → KOMOJU Payment → Create) runs;
 *   4. PATCH /rest/community-packages (Update) moves to latest; the same workflow runs again;
 *   5. after a restart it runs once more.
 * The tests build on each other: one that fails makes the later ones fail too.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Instance } from '../compat/instance';
import { SandboxClient } from '../e2e/support/sandbox-client';
import { waitUntil } from '../wait';
import {
	callPayWebhook,
	createKomojuCredential,
	installedCopies,
	PACKAGE_NODE_TYPES,
	payWorkflow,
	saveAndPublish,
	servedPackageTypes,
	startN8n,
} from './support/n8n';
import { startNpmjsProxy, type NpmjsProxy } from './support/npmjs-proxy';
import { npmOk } from './support/npm';
import { loadInstallState } from './state';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const state = loadInstallState();
const sandbox = new SandboxClient(state.sandbox.url);
const { previous, current } = state.tarballs;
const NAME = current.name;
const userFolder = join(state.runDir, 'n8n-editor');
const nodesDir = join(userFolder, '.n8n', 'nodes');

let proxy: NpmjsProxy;
let n8n: Instance | undefined;
let workflowId: string;
let savedWorkflow: Json;

/** n8n's environment: HTTPS through the proxy, and an npm cache of its own (nothing cached from elsewhere). */
const n8nEnv = () => ({ ...proxy.env(), npm_config_cache: join(state.runDir, 'npm-cache-n8n') });

function installedVersionOnDisk(): string {
	return JSON.parse(readFileSync(join(nodesDir, 'node_modules', NAME, 'package.json'), 'utf8')).version;
}

async function listed(): Promise<Json[]> {
	return await n8n!.api.data('GET', '/rest/community-packages');
}

/** Pays through the saved workflow's webhook; returns the payment as n8n answered it, after checking the sandbox has it. */
async function payThroughWorkflow(order: string, amount: number): Promise<Json> {
	const answer = await callPayWebhook(n8n!, order, amount);
	expect(answer).toEqual({ status: 200, body: expect.objectContaining({ resource: 'payment', status: 'captured', external_order_num: order }) });
	const payment = answer.body as Json;
	const stored = await sandbox.api<Json>('GET', `/payments/${payment.id}`);
	expect(stored).toEqual({ status: 200, body: expect.objectContaining({ id: payment.id, amount, customer: state.customerId, external_order_num: order }) });
	return payment;
}

beforeAll(async () => {
	proxy = await startNpmjsProxy(join(state.runDir, 'proxy'), state.registry.url);
});

afterAll(async () => {
	await n8n?.stop();
	await proxy?.close();
	if (proxy) {
		process.stdout.write(
			`[install] hosts n8n tried through the proxy besides ${'registry.npmjs.org'} (refused): ${[...new Set(proxy.refused)].join(', ') || 'none'}\n` +
				`[install] requests forwarded to the local registry:\n  ${proxy.forwarded.join('\n  ')}\n`,
		);
	}
}, 60_000);

it('through the proxy, npm’s default registry (registry.npmjs.org) is the local registry', async () => {
	// Outside the repo, so that no project .npmrc applies.
	const cwd = mkdtempSync(join(tmpdir(), 'komoju-npm-view-'));
	const out = await npmOk(['view', NAME, 'dist-tags', 'dist.tarball', '--json'], {
		cwd,
		env: { ...proxy.env(), npm_config_cache: join(cwd, 'cache') },
	}).finally(() => rmSync(cwd, { recursive: true, force: true }));
	expect(JSON.parse(out)).toEqual({
		'dist-tags': { latest: current.version, previous: previous.version },
		'dist.tarball': `https://registry.npmjs.org/${NAME}/-/${NAME}-${current.version}.tgz`,
	});
	expect(proxy.forwarded).toContain(`GET /${NAME} -> 200`);
});

it('POST /rest/community-packages installs the previous version: listed with its 3 nodes, served, on disk, no n8n-workflow', async () => {
	mkdirSync(userFolder, { recursive: true });
	expect(existsSync(nodesDir)).toBe(false);
	n8n = await startN8n(userFolder, n8nEnv());

	// The editor's "Install" dialog: name and version.
	const installed = await n8n.api.data('POST', '/rest/community-packages', { name: NAME, version: previous.version });
	expect(installed).toMatchObject({ packageName: NAME, installedVersion: previous.version });

	const [entry, ...others] = await listed();
	expect(others).toEqual([]);
	expect(entry).toMatchObject({ packageName: NAME, installedVersion: previous.version, failedLoading: false });
	expect((entry.installedNodes as Array<{ type: string }>).map((n) => n.type).sort()).toEqual(PACKAGE_NODE_TYPES);
	// npm outdated (run by n8n, through the proxy) sees the newer latest: the editor offers Update.
	expect(entry.updateAvailable).toBe(current.version);

	expect(await servedPackageTypes(n8n.api)).toEqual(expect.arrayContaining([...PACKAGE_NODE_TYPES, 'n8n-nodes-komoju.komojuTool']));
	expect(installedVersionOnDisk()).toBe(previous.version);
	expect(installedCopies(nodesDir, 'n8n-workflow')).toEqual([]);
	expect(JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8')).dependencies).toEqual({ [NAME]: previous.version });
	// n8n's version check and its `npm pack` went to the local registry, and asked it for nothing else.
	expect(proxy.forwarded.filter((line) => !line.startsWith(`GET /${NAME}`))).toEqual([]);
	expect(proxy.forwarded).toEqual(
		expect.arrayContaining([`GET /${NAME}/${previous.version} -> 200`, `GET /${NAME}/-/${NAME}-${previous.version}.tgz -> 200`]),
	);
});

it('the KOMOJU node runs there: a saved, published Webhook → Payment → Create workflow pays', async () => {
	const credential = await createKomojuCredential(n8n!.api, state.sandbox.url, state.sandbox.secretKey);
	workflowId = await saveAndPublish(n8n!.api, payWorkflow(credential, state.customerId));
	savedWorkflow = await n8n!.api.data('GET', `/rest/workflows/${workflowId}`);
	expect(savedWorkflow.active).toBe(true);
	await payThroughWorkflow('INSTALL-1-previous', 1100);
});

it('PATCH /rest/community-packages (Update) moves to latest; the same saved workflow, unchanged and active, pays again', async () => {
	const updated = await n8n!.api.data('PATCH', '/rest/community-packages', { name: NAME });
	expect(updated).toMatchObject({ packageName: NAME, installedVersion: current.version });
	const [entry, ...others] = await listed();
	expect(others).toEqual([]);
	expect(entry).toMatchObject({ packageName: NAME, installedVersion: current.version, failedLoading: false });
	expect(entry.updateAvailable).toBeUndefined();
	expect(installedVersionOnDisk()).toBe(current.version);
	expect(installedCopies(nodesDir, 'n8n-workflow')).toEqual([]);
	expect(proxy.forwarded).toContain(`GET /${NAME}/-/${NAME}-${current.version}.tgz -> 200`);
	expect(proxy.forwarded.filter((line) => !line.startsWith(`GET /${NAME}`))).toEqual([]);

	const after = await n8n!.api.data('GET', `/rest/workflows/${workflowId}`);
	expect(after).toMatchObject({ id: workflowId, active: true, versionId: savedWorkflow.versionId, activeVersionId: savedWorkflow.activeVersionId });
	expect({ nodes: after.nodes, connections: after.connections }).toEqual({ nodes: savedWorkflow.nodes, connections: savedWorkflow.connections });
	await payThroughWorkflow('INSTALL-2-updated', 1200);
});

it('after a restart n8n loads the package from disk and its database row; the workflow pays once more', async () => {
	await n8n!.stop();
	n8n = undefined;
	n8n = await startN8n(userFolder, n8nEnv());
	const [entry, ...others] = await listed();
	expect(others).toEqual([]);
	expect(entry).toMatchObject({ packageName: NAME, installedVersion: current.version, failedLoading: false });
	expect(await servedPackageTypes(n8n.api)).toEqual(expect.arrayContaining(PACKAGE_NODE_TYPES));
	// Active workflows are registered at startup; wait until n8n says this one is live again.
	await waitUntil(
		`workflow ${workflowId} to be published after the restart`,
		async () => (await n8n!.api.request('GET', `/rest/workflows/${workflowId}/publication-status`)).body?.data?.status === 'published',
		60_000,
		200,
	);
	await payThroughWorkflow('INSTALL-3-restarted', 1300);
	const payments = (await sandbox.payments()).filter((p) => String(p.external_order_num).startsWith('INSTALL-'));
	expect(payments.map((p) => p.external_order_num).sort()).toEqual(['INSTALL-1-previous', 'INSTALL-2-updated', 'INSTALL-3-restarted']);
});
