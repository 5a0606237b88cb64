'use strict';
/**
 * Lets plain `node` require the repository's TypeScript (test/e2e/support, test/harness,
 * nodes/) without a build step: `.ts` files are transpiled on load with the project's own
 * TypeScript (transpileModule: no type check, CommonJS). Extensionless requires find `.ts`
 * files because Node's CommonJS resolver tries every registered extension, in order. `__dirname` stays
 * the source folder, so helpers that locate the repository from it keep working.
 */
const fs = require('node:fs');
const Module = require('node:module');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	isolatedModules: true,
	sourceMap: false,
	inlineSourceMap: true,
	experimentalDecorators: false,
};

if (!Module._extensions['.ts']) {
	Module._extensions['.ts'] = function loadTs(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
		module._compile(outputText, filename);
	};
	// Try `.ts` before `.json`: `nodes/Komoju/Komoju.node` must find Komoju.node.ts, not the
	// codex file Komoju.node.json next to it.
	for (const ext of ['.json', '.node']) {
		const loader = Module._extensions[ext];
		delete Module._extensions[ext];
		Module._extensions[ext] = loader;
	}
}
