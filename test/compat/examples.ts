/**
 * Which node versions each example in examples/ uses that an n8n version lacks, as that n8n's
 * `/types/nodes.json` lists its nodes. The smoke compares what it finds with this table, so
 * examples/README.md ("Which n8n versions") stays true; the examples themselves are not changed.
 */
import type { WorkflowJson } from '../e2e/support/workflows';

export interface NodeDescription {
	name: string;
	version: number | number[];
}

/** `<node type>@<typeVersion>` of each node of the workflow that this n8n does not have, sorted. */
export function missingNodeVersions(workflow: WorkflowJson, types: NodeDescription[]): string[] {
	const missing = new Set<string>();
	for (const node of workflow.nodes) {
		const versions = types.filter((t) => t.name === node.type).flatMap((t) => ([] as number[]).concat(t.version));
		if (!versions.includes(node.typeVersion)) missing.add(`${node.type}@${node.typeVersion}`);
	}
	return [...missing].sort();
}

const NONE = {
	'3ds-payment-link-by-email.json': [],
	'ai-agent-secure-token-status.json': [],
	'konbini-slip-by-email.json': [],
	'monthly-settlement-report.json': [],
	'refund-konbini-order.json': [],
	'scheduled-status-check.json': [],
};

/** Per n8n version of versions.ts: per example file, the node versions that n8n lacks. */
export const EXAMPLE_GAPS: Record<string, Record<string, string[]>> = {
	'1.123.81': { ...NONE },
	'2.0.3': { ...NONE },
	'2.40.7': { ...NONE },
	'2.41.1': { ...NONE },
};
