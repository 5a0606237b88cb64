/**
 * The install test's setup (`npm run test:install`), once per run:
 *   1. scripts/n8n/tools.sh for n8n 2.40.7 (cached: seconds; it also provides the Node 24 that
 *      verdaccio runs on);
 *   2. the KOMOJU sandbox in this process (strict contract mode) and a customer with a saved card;
 *   3. verdaccio (installed into ~/.cache/n8n-nodes-komoju once), no uplinks;
 *   4. the package packed from PACKAGE_DIR in two versions and published there with `npm publish`:
 *      `<version>-previous.0` (tag previous) and `<version>` (latest).
 * The test files start the proxy and n8n themselves.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox/server';
import { runScript, tail } from '../e2e/support/n8n';
import { CARDS, SandboxClient, SECRET_KEY } from '../e2e/support/sandbox-client';
import { STATE_ENV } from '../e2e/support/state';
import { makeRunDir, timed, type RunHandles } from '../run-folder';
import { versionEnv } from '../compat/versions';
import { N8N_VERSION } from './support/n8n';
import { buildTarballs } from './support/package';
import { packument, publish, startRegistry } from './support/registry';
import type { InstallState } from './state';

declare global {
	// eslint-disable-next-line no-var
	var __KOMOJU_INSTALL__: RunHandles | undefined;
}

const log = (line: string) => process.stdout.write(`[install] ${line}\n`);

export default async function globalSetup(): Promise<void> {
	const runDir = makeRunDir('install-');
	const handles: RunHandles = { runDir, closers: [] };
	globalThis.__KOMOJU_INSTALL__ = handles;
	const timings: Record<string, number> = {};
	log(`run folder ${runDir}`);
	try {
		await timed(timings, 'tools.sh', async () => {
			const result = await runScript('tools.sh', [], versionEnv(N8N_VERSION));
			if (result.code !== 0) throw new Error(`scripts/n8n/tools.sh (n8n ${N8N_VERSION.n8n}) failed (exit ${result.code}):\n${tail(result.stdout + result.stderr, 30)}`);
		});

		const sandbox = await startSandbox({ latencyMs: 0 });
		handles.closers.push(() => sandbox.close());
		const client = new SandboxClient(sandbox.url);
		const customerId = await client.createCustomer(CARDS.regular, 'install@example.com');
		await client.clearRequests();

		const registry = await timed(timings, 'verdaccio', () => startRegistry(runDir));
		handles.closers.push(registry.stop);
		const tarballs = await timed(timings, 'pack', () => buildTarballs(join(runDir, 'tarballs')));
		await timed(timings, 'publish', async () => {
			await publish(registry, tarballs.previous, 'previous');
			await publish(registry, tarballs.current, 'latest');
		});
		const published = await packument(registry.url, tarballs.current.name);
		const tags = published?.['dist-tags'];
		if (tags?.latest !== tarballs.current.version || tags?.previous !== tarballs.previous.version) {
			throw new Error(`after publishing, the registry's dist-tags are ${JSON.stringify(tags)}`);
		}
		log(`published ${tarballs.current.name} ${tarballs.previous.version} (previous) and ${tarballs.current.version} (latest) on ${registry.url}; setup (s): ${JSON.stringify(timings)}`);

		const state: InstallState = { runDir, sandbox: { url: sandbox.url, secretKey: SECRET_KEY }, registry: { url: registry.url }, tarballs, customerId, timings };
		const stateFile = join(runDir, 'state.json');
		writeFileSync(stateFile, JSON.stringify(state, null, 2));
		process.env[STATE_ENV] = stateFile;
	} catch (error) {
		const { default: globalTeardown } = await import('./global-teardown');
		await globalTeardown();
		throw error;
	}
}
