/**
 * The package as npm publishes it: packed from PACKAGE_DIR (built by `npm run build` before
 * jest), in two versions, each a tarball: the real one and a "previous" one to upgrade from.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_DIR } from '../../e2e/support/state';
import { npmOk } from './npm';

export { PACKAGE_DIR };

export interface Tarball {
	name: string;
	version: string;
	/** Absolute path of the .tgz. */
	file: string;
	/** The tarball unpacked (its package/ folder), as a user's npm sees it. */
	unpacked: string;
}

export interface Tarballs {
	/** `<version>-previous.0`, published with --tag previous. */
	previous: Tarball;
	/** The real version, published as latest. */
	current: Tarball;
}

async function pack(dir: string, destination: string): Promise<string> {
	mkdirSync(destination, { recursive: true });
	const out = await npmOk(['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: dir });
	return join(destination, (JSON.parse(out) as Array<{ filename: string }>)[0].filename);
}

function unpack(file: string, into: string): string {
	mkdirSync(into, { recursive: true });
	execFileSync('tar', ['-xzf', file, '-C', into]);
	return join(into, 'package');
}

/** Packs PACKAGE_DIR, then repacks a copy of it with the version rewritten; the source is not touched. */
export async function buildTarballs(workDir: string): Promise<Tarballs> {
	const file = await pack(PACKAGE_DIR, join(workDir, 'current'));
	const unpacked = unpack(file, join(workDir, 'current'));
	const json = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { name: string; version: string };
	const current: Tarball = { name: json.name, version: json.version, file, unpacked };

	const copy = join(workDir, 'previous-src');
	cpSync(unpacked, copy, { recursive: true });
	const previousVersion = `${json.version}-previous.0`;
	writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...json, version: previousVersion }, null, 2));
	const previousFile = await pack(copy, join(workDir, 'previous'));
	const previous: Tarball = { name: json.name, version: previousVersion, file: previousFile, unpacked: unpack(previousFile, join(workDir, 'previous')) };
	return { previous, current };
}
