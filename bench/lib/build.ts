/**
 * A private build of the package for the benchmark: the same steps as `npm run build` (tsc with
 * the project's tsconfig, then the icons and codex files gulp copies), but into a folder of its
 * own, so another `npm run build` running at the same time (it deletes dist/ first) cannot pull
 * the files away while n8n is being set up. install-package.sh then installs from that folder.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { REPO_ROOT } from '../../test/e2e/support/state';

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

export function buildPackage(): string {
	mkdirSync(join(REPO_ROOT, '.e2e'), { recursive: true });
	const packageDir = mkdtempSync(join(REPO_ROOT, '.e2e', 'bench-package-'));
	copyFileSync(join(REPO_ROOT, 'package.json'), join(packageDir, 'package.json'));
	execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(REPO_ROOT, 'tsconfig.json'), '--outDir', join(packageDir, 'dist')], {
		cwd: REPO_ROOT,
		stdio: 'inherit',
	});
	const assets = [
		...walk(join(REPO_ROOT, 'nodes')).filter((f) => /\.(png|svg)$|\.node\.json$/.test(f)),
		...walk(join(REPO_ROOT, 'credentials')).filter((f) => /\.(png|svg)$/.test(f)),
		...walk(join(REPO_ROOT, 'icons')).filter((f) => /\.svg$/.test(f)),
	];
	for (const asset of assets) {
		const target = join(packageDir, 'dist', relative(REPO_ROOT, asset));
		mkdirSync(dirname(target), { recursive: true });
		copyFileSync(asset, target);
	}
	return packageDir;
}
