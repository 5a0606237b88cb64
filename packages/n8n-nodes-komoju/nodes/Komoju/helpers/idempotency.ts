import { createHash, randomUUID } from 'crypto';

import type { INode } from 'n8n-workflow';

import type { ExecutionScope } from './interfaces';
import { explicitIdempotencyKey, requireIdempotencyKey } from './validation';

/** The custom data entry of an execution that holds its idempotency root. */
export const IDEMPOTENCY_ROOT_KEY = 'komoju_idempotency_root';

/** The parts of n8n's execution custom data the root needs. */
export interface ExecutionCustomData {
	get(key: string): string | undefined;
	set(key: string, value: string): void;
}

/**
 * Names the execution in every default idempotency key, so that n8n's ways of running the same
 * work again send the same keys. A random value is kept in the execution's custom data: n8n
 * copies it into an Executions → Retry (with the original or the saved workflow) together with
 * the rest of the failed execution, and keeps it over Retry On Fail and a Wait node's resume.
 * Being random, it also differs between two n8n instances that share an encryption key (a clone)
 * or a database's lifetimes, where execution ids repeat. When n8n cannot keep it (the execution
 * already has the 10 custom data entries n8n allows), the execution id and start time stand in.
 */
export function idempotencyRoot(
	customData: ExecutionCustomData | undefined,
	executionId: string,
	establishedAt: number | undefined,
): string {
	const kept = customData?.get(IDEMPOTENCY_ROOT_KEY);
	if (typeof kept === 'string' && kept !== '') return kept;
	const fresh = randomUUID().replace(/-/g, '');
	try {
		customData?.set(IDEMPOTENCY_ROOT_KEY, fresh);
	} catch {
		// n8n refuses custom data in some modes; the fallback below applies.
	}
	if (customData?.get(IDEMPOTENCY_ROOT_KEY) === fresh) return fresh;
	return executionId ? `execution-${executionId}-${establishedAt ?? ''}` : '';
}

/**
 * The key KOMOJU uses to recognise a repeated POST: the same for the same item of the same
 * node run of the same execution (its retries included, see idempotencyRoot), so KOMOJU
 * replays the first result instead of creating a second object.
 */
export function defaultIdempotencyKey(scope: ExecutionScope, itemIndex: number): string {
	if (!scope.idempotencyRoot) return `n8n-${randomUUID()}`;
	const source = [
		scope.instanceId,
		scope.workflowId,
		scope.idempotencyRoot,
		scope.nodeId,
		scope.runIndex,
		itemIndex,
	].join('|');
	return `n8n-${createHash('sha256').update(source).digest('hex')}`;
}

/** An item's key: the Idempotency Key option when set (checked), else the derived default. */
export function itemIdempotencyKey(node: INode, itemIndex: number, option: unknown, scope: ExecutionScope): string {
	const given = explicitIdempotencyKey(node, itemIndex, option);
	return given ? requireIdempotencyKey(node, itemIndex, given) : defaultIdempotencyKey(scope, itemIndex);
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
