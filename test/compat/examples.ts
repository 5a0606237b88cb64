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

/**
 * What n8n 2.0.3 and 1.123.81 lack (both list the same node versions here): the Schedule
 * Trigger 1.4 (they have 1.3) and Edit Fields (Set) 3.5 (3.4) of the two scheduled examples, and
 * the AI Agent 3.1 (2.2) and Chat Trigger 1.5 (1.4) of the AI example. Such a workflow imports
 * (import:workflow does not check versions); the smoke does not run those examples there.
 */
const BEFORE_2_40 = {
	...NONE,
	'ai-agent-secure-token-status.json': ['@n8n/n8n-nodes-langchain.agent@3.1', '@n8n/n8n-nodes-langchain.chatTrigger@1.5'],
	'monthly-settlement-report.json': ['n8n-nodes-base.scheduleTrigger@1.4', 'n8n-nodes-base.set@3.5'],
	'scheduled-status-check.json': ['n8n-nodes-base.scheduleTrigger@1.4', 'n8n-nodes-base.set@3.5'],
};

/** Per n8n version of versions.ts: per example file, the node versions that n8n lacks. */
export const EXAMPLE_GAPS: Record<string, Record<string, string[]>> = {
	'1.123.81': BEFORE_2_40,
	'2.0.3': BEFORE_2_40,
	'2.40.7': NONE,
	'2.41.1': NONE,
};
