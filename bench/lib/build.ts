/**
 * A private build of the package for the benchmark: the same steps as `npm run build` (tsc with
 * the package's tsconfig, which also emits the codex files, then the icons `n8n-node build`
 * copies), but into a folder of its own, so another `npm run build` running at the same time (it deletes dist/ first) cannot pull
 * the files away while n8n is being set up. install-package.sh then installs from that folder.
 * `sourceDir` is this checkout's package by default; the A/B mode passes another revision's.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { PACKAGE_DIR, REPO_ROOT } from '../../test/e2e/support/state';

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

export function buildPackage(sourceDir: string = PACKAGE_DIR): string {
	mkdirSync(join(REPO_ROOT, '.e2e'), { recursive: true });
	const packageDir = mkdtempSync(join(REPO_ROOT, '.e2e', 'bench-package-'));
	copyFileSync(join(sourceDir, 'package.json'), join(packageDir, 'package.json'));
	execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(sourceDir, 'tsconfig.json'), '--outDir', join(packageDir, 'dist')], {
		cwd: sourceDir,
		stdio: 'inherit',
	});
	const assets = ['nodes', 'credentials', 'icons'].flatMap((dir) => walk(join(sourceDir, dir)).filter((f) => /\.(png|svg)$/.test(f)));
	for (const asset of assets) {
		const target = join(packageDir, 'dist', relative(sourceDir, asset));
		mkdirSync(dirname(target), { recursive: true });
		copyFileSync(asset, target);
	}
	return packageDir;
}
