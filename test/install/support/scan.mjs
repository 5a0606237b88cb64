// Runs the lint legs of @n8n/scan-community-package (`analyzePackage`, exported by its
// scanner.mjs) on local folders, without its registry, provenance and GitHub steps. An .mjs file
// run by Node: the scanner is ESM, which jest's CommonJS transform cannot import.
// Usage: node scan.mjs <scanner install dir> <source dir> <unpacked tarball dir> <control dir>
// (control: a tarball copy that must fail). Prints the results as one JSON line.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [scannerHome, sourceDir, tarballDir, controlDir] = process.argv.slice(2);
const scanner = await import(pathToFileURL(join(scannerHome, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs')).href);
// The same two calls and patterns as analyzePackageByName.
const source = await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS);
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
const tarball = await scanner.analyzePackage(tarballDir, TARBALL_PATTERNS);
const control = await scanner.analyzePackage(controlDir, TARBALL_PATTERNS);
const plain = ({ passed, message, details, error }) => ({ passed, message, details, error: error?.message });
process.stdout.write(`${JSON.stringify({ patterns: scanner.SOURCE_FILE_PATTERNS, source: plain(source), tarball: plain(tarball), control: plain(control) })}\n`);
