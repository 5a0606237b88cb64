/**
 * The two builds of the A/B mode: the baseline from a git revision (a temporary worktree, built
 * by buildPackage, removed again) and a one-line description of each build for the report.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PACKAGE_DIR, REPO_ROOT } from '../../test/e2e/support/state';
import { buildPackage } from './build';
import { log } from './runs';

const git = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();

/** Builds the package as it was at `rev` into a package folder of its own; returns that folder. */
export function buildRevision(rev: string): { packageDir: string; description: string } {
	const commit = git(['rev-parse', '--verify', `${rev}^{commit}`]);
	const parent = mkdtempSync(join(tmpdir(), 'komoju-bench-base-'));
	const tree = join(parent, 'tree');
	git(['worktree', 'add', '--detach', '--quiet', tree, commit]);
	const modules = join(tree, 'node_modules');
	try {
		// The revision compiles against this checkout's dependencies (tsc, n8n-workflow's types).
		symlinkSync(join(REPO_ROOT, 'node_modules'), modules);
		// Before 65d2363 the package was the repository root (its own tsconfig.json there).
		const nested = join(tree, 'packages', 'n8n-nodes-komoju');
		const sourceDir = existsSync(join(nested, 'tsconfig.json')) ? nested : tree;
		log(`bench: building ${rev} (${commit.slice(0, 10)}) from ${sourceDir === tree ? 'the repository root' : 'packages/n8n-nodes-komoju'}`);
		return { packageDir: buildPackage(sourceDir), description: `\`${rev}\` (${commit.slice(0, 10)})` };
	} finally {
		if (existsSync(modules)) unlinkSync(modules); // so removing the worktree cannot reach into the shared node_modules
		git(['worktree', 'remove', '--force', tree]);
		rmSync(parent, { recursive: true, force: true });
	}
}

/** This checkout's package: its commit, and whether the package's files differ from it. */
export function describeCheckout(): string {
	const commit = git(['rev-parse', '--short=10', 'HEAD']);
	const changed = git(['status', '--porcelain', '--', PACKAGE_DIR]) !== '';
	return `this checkout (${commit}${changed ? ', package with uncommitted changes' : ''})`;
}
