/**
 * The compatibility matrix `npm run test:compat` runs: each n8n version on its Node version,
 * installed by scripts/n8n/tools.sh (KOMOJU_N8N_VERSION, KOMOJU_N8N_NODE_VERSION) into
 * ~/.cache/n8n-nodes-komoju/n8n-<version> once. The README's Compatibility table lists the same.
 */
export interface CompatVersion {
	/** n8n's version, exactly as on the npm registry. */
	n8n: string;
	/** The Node.js version it runs on (npm package node@<version>). */
	node: string;
	/** Why this version is in the matrix. */
	why: string;
}

export const COMPAT_VERSIONS: CompatVersion[] = [
	{ n8n: '1.123.81', node: '22.23.3', why: 'the newest 1.x (1.123 is the last 1.x line), on the newest Node 22' },
	{ n8n: '2.0.3', node: '24.21.0', why: 'the oldest 2.x the package claims' },
	{ n8n: '2.40.7', node: '24.21.0', why: 'the version the repo is built and tested against' },
	{ n8n: '2.41.1', node: '24.21.0', why: 'the newest 2.x that installs here (2.41.3 needs @n8n/agents@0.26.2, not on the registry)' },
];

/**
 * KOMOJU_COMPAT_VERSIONS=2.40.7,2.41.1 runs only those (while working on one); the run prints
 * which. An unknown version fails the run rather than testing nothing.
 */
export function selectedVersions(filter = process.env.KOMOJU_COMPAT_VERSIONS): CompatVersion[] {
	if (!filter) return COMPAT_VERSIONS;
	const wanted = filter.split(',').map((v) => v.trim()).filter(Boolean);
	const unknown = wanted.filter((v) => !COMPAT_VERSIONS.some((c) => c.n8n === v));
	if (unknown.length) {
		throw new Error(`KOMOJU_COMPAT_VERSIONS: not in test/compat/versions.ts: ${unknown.join(', ')} (known: ${COMPAT_VERSIONS.map((c) => c.n8n).join(', ')})`);
	}
	return COMPAT_VERSIONS.filter((c) => wanted.includes(c.n8n));
}

/** The environment that makes scripts/n8n/*.sh use this version. */
export function versionEnv(version: CompatVersion): NodeJS.ProcessEnv {
	return { KOMOJU_N8N_VERSION: version.n8n, KOMOJU_N8N_NODE_VERSION: version.node };
}
