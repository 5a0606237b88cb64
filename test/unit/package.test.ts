/**
 * What `npm publish` would ship, read from `npm pack --dry-run` on the built package (npm test
 * builds first): only the build, the manifest and the documents; every file n8n loads; no
 * runtime dependency; a version the CHANGELOG describes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { PACKAGE_DIR } from '../e2e/support/state';

interface PackedFile {
	path: string;
	size: number;
}

const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'));
const packed: string[] = (
	JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_DIR, encoding: 'utf8' }))[0].files as PackedFile[]
).map((file) => file.path);

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sources(path) : [relative(PACKAGE_DIR, path)];
	});
}

describe('the published package (npm pack)', () => {
	it('holds the build and the four documents, nothing else', () => {
		const outsideDist = packed.filter((path) => !path.startsWith('dist/'));
		expect(outsideDist.sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
		const unexpected = packed.filter((path) => path.startsWith('dist/') && !/\.(js|d\.ts|json|svg|png)$/.test(path));
		expect(unexpected).toEqual([]);
	});

	it('holds every node and credential n8n loads, with codex files and icons', () => {
		const loaded: string[] = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(loaded.filter((path) => !packed.includes(path))).toEqual([]);
		const codex = (manifest.n8n.nodes as string[]).map((path) => path.replace(/\.js$/, '.json'));
		expect(codex.filter((path) => !packed.includes(path))).toEqual([]);
		expect(packed).toEqual(expect.arrayContaining(['dist/icons/komoju.svg', 'dist/icons/komoju.dark.svg']));
	});

	it('holds a compiled file for every source file, and no test, sandbox or benchmark code', () => {
		const compiled = sources(PACKAGE_DIR)
			.filter((path) => /^(nodes|credentials)\/.*\.ts$/.test(path) || path === 'index.ts')
			.map((path) => `dist/${path.replace(/\.ts$/, '.js')}`);
		expect(compiled.length).toBeGreaterThan(50);
		expect(compiled.filter((path) => !packed.includes(path))).toEqual([]);
		expect(packed.filter((path) => /(^|\/)(test|tests|__tests__|sandbox|bench)\/|\.test\.|\.map$/.test(path))).toEqual([]);
	});

	it('has no runtime dependency, and n8n-workflow as an optional peer npm never installs', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
	});

	it('is an n8n community package in strict mode', () => {
		expect(manifest.name).toMatch(/^n8n-nodes-/);
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		expect(manifest.author).toEqual({ name: expect.any(String), email: expect.stringMatching(/@/) });
	});
});

describe('the version', () => {
	const changelog = readFileSync(join(PACKAGE_DIR, 'CHANGELOG.md'), 'utf8');
	const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((match) => match[1]);

	it("is the CHANGELOG's newest section, and nothing is left under Unreleased", () => {
		expect(manifest.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
		expect(versions[0]).toBe(manifest.version);
		expect(versions).not.toContain('Unreleased');
		expect(new Set(versions).size).toBe(versions.length);
	});
});
