/**
 * The README's "With npm" route: `cd ~/.n8n/nodes && npm install n8n-nodes-komoju`, in a fresh
 * folder, with npm as a user runs it (their npm config, scripts on, peers installed as npm 7+
 * does), from the local registry, which has no uplinks: had npm tried to install the peer
 * n8n-workflow, it would be a 404 and the install would fail. Then n8n on that folder loads it.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Instance } from '../compat/instance';
import { installedCopies, PACKAGE_NODE_TYPES, servedPackageTypes, startN8n } from './support/n8n';
import { npm, npmOk } from './support/npm';
import { packument } from './support/registry';
import { loadInstallState } from './state';

const state = loadInstallState();
const { current } = state.tarballs;
const home = join(state.runDir, 'npm-route');
const nodesDir = join(home, '.n8n', 'nodes');
// An npm cache of its own: nothing the machine cached from elsewhere can stand in for the registry.
const env = { npm_config_cache: join(state.runDir, 'npm-cache-user') };

let n8n: Instance | undefined;

afterAll(async () => {
	await n8n?.stop();
}, 60_000);

it('the local registry has no uplinks: n8n-workflow is not there (404)', async () => {
	expect(await packument(state.registry.url, 'n8n-workflow')).toBeUndefined();
	expect(Object.keys((await packument(state.registry.url, current.name))?.versions ?? {}).sort()).toEqual(
		[state.tarballs.previous.version, current.version].sort(),
	);
});

it('`npm install n8n-nodes-komoju` in a fresh ~/.n8n/nodes installs the package and nothing else', async () => {
	mkdirSync(nodesDir, { recursive: true });
	// Without a package.json here npm would install into the nearest folder above that has one.
	await npmOk(['init', '-y'], { cwd: nodesDir, env });
	const result = await npm(['install', current.name, '--registry', state.registry.url], { cwd: nodesDir, env });
	if (result.code !== 0) throw new Error(`npm install ${current.name} exited ${result.code}:\n${result.stderr.trim()}`);

	const topLevel = readdirSync(join(nodesDir, 'node_modules')).filter((entry) => !entry.startsWith('.'));
	expect(topLevel).toEqual([current.name]);
	expect(installedCopies(nodesDir, 'n8n-workflow')).toEqual([]);
	const installed = JSON.parse(readFileSync(join(nodesDir, 'node_modules', current.name, 'package.json'), 'utf8'));
	expect(installed.version).toBe(current.version);
	expect(JSON.parse(readFileSync(join(nodesDir, 'package.json'), 'utf8')).dependencies).toEqual({ [current.name]: `^${current.version}` });
});

it('n8n started on that folder loads the package’s nodes (no database row needed)', async () => {
	n8n = await startN8n(home);
	expect(await servedPackageTypes(n8n.api)).toEqual(expect.arrayContaining(PACKAGE_NODE_TYPES));
});
