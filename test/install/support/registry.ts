/**
 * A local npm registry: verdaccio (installed once into the cache), on 127.0.0.1, with its own
 * storage and htpasswd and NO uplinks, so anything not published here is a 404 (an install that
 * tries to fetch n8n-workflow fails instead of quietly reaching the real registry).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { n8nEnvValue, tail } from '../../e2e/support/n8n';
import { freePorts, stopN8n } from '../../e2e/support/processes';
import { waitUntil } from '../../wait';
import { cachedPackage, cleanEnv, npmOk } from './npm';
import type { Tarball } from './package';

export const VERDACCIO_VERSION = '6.10.4';
const USER = { name: 'komoju-publisher', password: 'Install-test-Passw0rd' };

export interface Registry {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	/** An npmrc with the publisher's token for this registry only. */
	userconfig: string;
	log: string;
	pid: number;
	stop: () => Promise<void>;
}

function config(dir: string): string {
	// No `uplinks` and no `proxy:` on any package: nothing is fetched from elsewhere.
	return [
		`storage: ${join(dir, 'storage')}`,
		'auth:',
		'  htpasswd:',
		`    file: ${join(dir, 'htpasswd')}`,
		'    max_users: 1',
		'web:',
		'  enable: false',
		'packages:',
		"  'n8n-nodes-komoju':",
		'    access: $all',
		'    publish: $authenticated',
		"  '**':",
		'    access: $all',
		'    publish: $authenticated',
		'log: { type: stdout, format: pretty, level: warn }',
		'',
	].join('\n');
}

/** Creates the publisher over HTTP, as `npm adduser` does, and returns its token. */
async function addUser(url: string): Promise<string> {
	const response = await fetch(`${url}/-/user/org.couchdb.user:${USER.name}`, {
		method: 'PUT',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ _id: `org.couchdb.user:${USER.name}`, name: USER.name, password: USER.password, type: 'user', roles: [] }),
	});
	const body = (await response.json()) as { token?: string };
	if (response.status !== 201 || !body.token) throw new Error(`verdaccio adduser: ${response.status} ${JSON.stringify(body)}`);
	return body.token;
}

export async function startRegistry(runDir: string): Promise<Registry> {
	const home = await cachedPackage('verdaccio', VERDACCIO_VERSION);
	const dir = join(runDir, 'verdaccio');
	mkdirSync(join(dir, 'storage'), { recursive: true });
	writeFileSync(join(dir, 'config.yaml'), config(dir));
	const [port] = await freePorts(1);
	const url = `http://127.0.0.1:${port}`;
	const log = join(dir, 'verdaccio.log');
	const logFd = openSync(log, 'a');
	// verdaccio 6.10 refuses Node < 22: run it on the Node 24 that scripts/n8n/tools.sh installed.
	const node = await n8nEnvValue('$N8N_NODE');
	const child = spawn(node, [join(home, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
		cwd: dir,
		stdio: ['ignore', logFd, logFd],
		env: cleanEnv(),
	});
	if (!child.pid) throw new Error('could not start verdaccio');
	const pid = child.pid;
	// If jest dies without the teardown, do not leave verdaccio behind.
	process.once('exit', () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	});
	const stop = () => stopN8n(child);
	try {
		await waitUntil(
			'verdaccio to answer /-/ping',
			async () => {
				if (child.exitCode !== null) throw new Error(`verdaccio exited ${child.exitCode}:\n${tail(readFileSync(log, 'utf8'))}`);
				return (await fetch(`${url}/-/ping`).then((r) => r.status, () => 0)) === 200;
			},
			60_000,
			200,
		);
		const token = await addUser(url);
		const userconfig = join(dir, 'publisher.npmrc');
		writeFileSync(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
		return { url, port, userconfig, log, pid, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** `npm publish <tarball>` as the publisher (a tarball: no lifecycle scripts run). */
export async function publish(registry: Registry, tarball: Tarball, tag: string): Promise<void> {
	await npmOk(['publish', tarball.file, '--registry', registry.url, '--tag', tag, '--userconfig', registry.userconfig], { cwd: join(tarball.file, '..') });
}

/** The registry's document for a package (404 → undefined). */
export async function packument(url: string, name: string): Promise<{ 'dist-tags': Record<string, string>; versions: Record<string, { dist: { tarball: string } }> } | undefined> {
	const response = await fetch(`${url}/${encodeURIComponent(name)}`);
	if (response.status === 404) return undefined;
	if (response.status !== 200) throw new Error(`GET ${url}/${name}: ${response.status} ${await response.text()}`);
	return (await response.json()) as never;
}
