/**
 * Side-effect module: must be imported before anything from n8n-core runs.
 *
 * n8n-core's InstanceSettings (created lazily from the @n8n/di container on the first node
 * execution) reads N8N_USER_FOLDER and writes `<folder>/.n8n/config`. Point it at a throwaway
 * temp folder so tests never touch the real home folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const harnessUserFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));

process.env.N8N_USER_FOLDER = harnessUserFolder;
// Fixed key: avoids the "auto-generating encryption key" notice; nothing is encrypted anyway.
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-harness-not-a-secret';
// n8n's logger and ErrorReporter print every node error; set N8N_LOG_LEVEL=debug to see them.
process.env.N8N_LOG_LEVEL ??= 'silent';

const cleanUp = () => rmSync(harnessUserFolder, { recursive: true, force: true });
// Under jest, `process.on('exit')` registers on the sandbox's copy of process and never fires.
if (typeof afterAll === 'function') afterAll(cleanUp);
else process.on('exit', cleanUp);
