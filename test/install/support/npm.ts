/**
 * npm as a user's shell runs it, and the tools the install test installs once into
 * ~/.cache/n8n-nodes-komoju (as scripts/n8n/tools.sh does n8n): verdaccio, the n8n scanner.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CACHE_DIR = process.env.KOMOJU_N8N_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-komoju');

/**
 * `npm run test:install` hands its own config to every child as npm_config_* (e.g.
 * ignore_scripts=true from the repo's .npmrc, local_prefix=<repo>): undefined removes them
 * (child_process skips undefined values), so each npm below sees only what a user's would.
 */
export function withoutNpmRunEnv(): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.keys(process.env).filter((key) => /^npm_/i.test(key)).map((key) => [key, undefined]));
}

/** The environment for npm and the processes the test starts: no npm-run config, no NODE_ENV=test. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, ...withoutNpmRunEnv(), ...extra };
	if (env.NODE_ENV === 'test') delete env.NODE_ENV;
	return env;
}

export interface NpmResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs `npm <args>` (the machine's npm); never rejects, the exit code is in the result. */
export function npm(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<NpmResult> {
	return new Promise((resolve) => {
		execFile('npm', args, { cwd: options.cwd, env: cleanEnv(options.env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({ code, stdout, stderr });
		});
	});
}

/** `npm <args>`, throwing with its output unless it exits 0. */
export async function npmOk(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
	const result = await npm(args, options);
	if (result.code !== 0) throw new Error(`npm ${args.join(' ')} (in ${options.cwd}) exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
	return result.stdout;
}

/**
 * `name@version` installed into <cache>/<name without scope>-<version> (scripts off, log in
 * <cache>/<that>-install.log); the first run installs it, later runs reuse it. The install goes to
 * a folder of its own and is renamed into place when complete, so a broken install is never reused.
 * Returns the folder (its node_modules/<name> is the package).
 */
export async function cachedPackage(name: string, version: string): Promise<string> {
	const base = `${name.replace(/^@[^/]+\//, '')}-${version}`;
	const dir = join(CACHE_DIR, base);
	const installed = join(dir, 'node_modules', name, 'package.json');
	if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === version) return dir;

	const work = `${dir}.partial-${process.pid}`;
	rmSync(work, { recursive: true, force: true });
	mkdirSync(work, { recursive: true });
	writeFileSync(join(work, 'package.json'), JSON.stringify({ name: `komoju-cache-${base}`, private: true }));
	const log = join(CACHE_DIR, `${base}-install.log`);
	process.stdout.write(`[install] installing ${name}@${version} into ${dir} (once; log ${log})\n`);
	const result = await npm(
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--loglevel=warn', '--update-notifier=false', `${name}@${version}`],
		{ cwd: work },
	);
	writeFileSync(log, `${result.stdout}\n${result.stderr}`);
	if (result.code !== 0) {
		rmSync(work, { recursive: true, force: true });
		throw new Error(`npm install ${name}@${version} failed (exit ${result.code}), see ${log}:\n${result.stderr.slice(-3000)}`);
	}
	rmSync(dir, { recursive: true, force: true }); // a stale or other-version folder
	renameSync(work, dir);
	return dir;
}
