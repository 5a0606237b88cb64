import { createHash, randomUUID } from 'crypto';

import type { ExecutionScope } from './interfaces';

/**
 * The key KOMOJU uses to recognise a repeated POST. It is the same for the same item of the
 * same node run, so n8n's "Retry On Fail" and the node's own retries get the first result
 * back instead of creating a second object; the instance and workflow ids keep two n8n
 * installations that share a KOMOJU key from ever colliding.
 */
export function defaultIdempotencyKey(scope: ExecutionScope, itemIndex: number): string {
	if (!scope.executionId) return `n8n-${randomUUID()}`;
	const source = [
		scope.instanceId,
		scope.workflowId,
		scope.executionId,
		scope.nodeId,
		scope.runIndex,
		itemIndex,
	].join('|');
	return `n8n-${createHash('sha256').update(source).digest('hex')}`;
}
