/**
 * The lint legs of n8n's verification scanner (@n8n/scan-community-package, installed into
 * ~/.cache/n8n-nodes-komoju once), run on this package as verification runs them: the source
 * (package.json and {nodes,credentials}/**) and the published tarball (its JavaScript and
 * package.json), with eslint-disable comments ignored (allowInlineConfig: false). Not covered
 * here, because they need the real registry and GitHub: npm provenance and fetching the source
 * that the provenance attestation names.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cachedPackage, cleanEnv } from './support/npm';
import { PACKAGE_DIR } from './support/package';
import { loadInstallState } from './state';

export const SCANNER_VERSION = '0.32.0';

interface Leg {
	passed: boolean;
	message?: string;
	details?: string;
	error?: string;
}

const state = loadInstallState();
let legs: { patterns: string[]; source: Leg; tarball: Leg; control: Leg };

beforeAll(async () => {
	const home = await cachedPackage('@n8n/scan-community-package', SCANNER_VERSION);
	const tmp = join(state.runDir, 'scanner-tmp');
	mkdirSync(tmp, { recursive: true });
	// The control: the tarball with a runtime dependency, which the scanner must reject.
	const control = join(state.runDir, 'scanner-control');
	cpSync(state.tarballs.current.unpacked, control, { recursive: true });
	const json = JSON.parse(readFileSync(join(control, 'package.json'), 'utf8'));
	writeFileSync(join(control, 'package.json'), JSON.stringify({ ...json, dependencies: { 'left-pad': '1.3.0' } }, null, 2));
	const out = await new Promise<string>((resolve, reject) =>
		execFile(
			process.execPath,
			[join(__dirname, 'support', 'scan.mjs'), home, PACKAGE_DIR, state.tarballs.current.unpacked, control],
			// The scanner makes a temp folder when loaded: keep it in the run folder.
			{ env: cleanEnv({ TMPDIR: tmp }), maxBuffer: 16 * 1024 * 1024 },
			(error, stdout, stderr) => (error ? reject(new Error(`scan.mjs: ${error.message}\n${stderr}`)) : resolve(stdout)),
		),
	);
	legs = JSON.parse(out.trim().split('\n').pop() ?? '');
}, 180_000);

it('lints the same source files as the scanner does', () => {
	expect(legs.patterns).toEqual(['package.json', '{nodes,credentials}/**/*.{js,ts,json}']);
});

it('the source passes the scanner’s lint (eslint-disable comments do not count there)', () => {
	expect(legs.source).toEqual({ passed: true });
});

it('the published tarball passes the scanner’s lint', () => {
	expect(legs.tarball).toEqual({ passed: true });
});

it('the check can fail: the same tarball with a runtime dependency does not pass', () => {
	expect(legs.control).toMatchObject({ passed: false, details: expect.stringContaining('no-runtime-dependencies') });
});
