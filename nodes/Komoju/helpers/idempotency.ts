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

/**
 * For each item whose explicit key an earlier item of the same run already has, that earlier
 * item's index. KOMOJU would answer the later item with the earlier one's result (a payment
 * shown as made that was never made for this item), so such items are refused.
 */
export function itemsRepeatingAKey(keys: string[]): Map<number, number> {
	const firstItemOf = new Map<string, number>();
	const repeats = new Map<number, number>();
	keys.forEach((key, itemIndex) => {
		if (!key) return;
		const first = firstItemOf.get(key);
		if (first === undefined) firstItemOf.set(key, itemIndex);
		else repeats.set(itemIndex, first);
	});
	return repeats;
}
