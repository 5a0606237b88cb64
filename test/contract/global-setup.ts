/**
 * jest globalSetup: a run folder the test files append their contract tallies to (guard.ts), named in
 * KOMOJU_CONTRACT_RUN_DIR; the workers inherit it. reporter.js adds the tallies up and removes it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function globalSetup(): void {
	process.env.KOMOJU_CONTRACT_RUN_DIR = mkdtempSync(join(tmpdir(), 'komoju-contract-'));
}
