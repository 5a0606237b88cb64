import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { idempotencyRoot, itemIdempotencyKey, itemsRepeatingAKey } from '../helpers/idempotency';
import type { ExecutionScope } from '../helpers/interfaces';
import { deepFreeze, holdsExpression } from '../helpers/parameters';
import { explicitIdempotencyKey } from '../helpers/validation';
import { repeatedIdempotencyKeyError } from '../transport/errors';
import type { ItemContext, Operation } from './operation';
import { readOptions, readRequestSettings } from './options.shared';

/** The per-item contexts of one node run; see ItemContext. */
export interface ItemContexts {
	/** The item's checked context; throws the item's input error (a bad option, a repeated key). */
	contextFor(itemIndex: number): ItemContext;
	/** The idempotency key of each item handed one so far: what a failure report names. */
	readonly keysSent: ReadonlyMap<number, string>;
}

/** Whether the operation shows the Idempotency Key option, i.e. sends a POST with the item's key. */
export function sendsIdempotencyKeys(operation: Operation): boolean {
	const options = operation.properties.find((property) => property.name === 'options')?.options ?? [];
	return options.some((option) => 'name' in option && option.name === 'idempotencyKey');
}

function executionScope(context: IExecuteFunctions): ExecutionScope {
	return {
		instanceId: context.getInstanceId(),
		workflowId: context.getWorkflow().id ?? '',
		idempotencyRoot: idempotencyRoot(
			context.customData,
			context.getExecutionId() ?? '',
			context.getExecutionContext?.()?.establishedAt,
		),
		nodeId: context.getNode().id,
		runIndex: Number(context.getWorkflowDataProxy(0).$runIndex ?? 0),
	};
}

type OptionsRead = { options: IDataObject } | { error: unknown };

/**
 * Reads each item's Options once, or once for all items when they hold no expression. When the
 * operation sends idempotency keys, all items' options are read before any item is sent, so that
 * an item repeating an earlier item's explicit key is refused before KOMOJU could answer it with
 * the other item's result.
 */
export function prepareItemContexts(context: IExecuteFunctions, operation: Operation, itemCount: number): ItemContexts {
	const node = context.getNode();
	const scope = executionScope(context);
	const withKeys = sendsIdempotencyKeys(operation);
	const readFor = (itemIndex: number): OptionsRead => {
		try {
			return { options: readOptions(context, itemIndex) };
		} catch (error) {
			return { error };
		}
	};
	// Options without an expression are the same for every item: read once, shared, frozen.
	const sharedRead = holdsExpression(node.parameters.options) ? undefined : readFor(0);
	if (sharedRead && 'options' in sharedRead) deepFreeze(sharedRead.options);
	const read = (itemIndex: number): OptionsRead => sharedRead ?? readFor(itemIndex);
	const readAhead: Array<OptionsRead | undefined> = withKeys ? Array.from({ length: itemCount }, (_, index) => read(index)) : [];
	const repeats = itemsRepeatingAKey(
		readAhead.map((entry) => {
			if (!entry || 'error' in entry) return '';
			try {
				return explicitIdempotencyKey(node, 0, entry.options.idempotencyKey);
			} catch {
				// A key of the wrong type fails its own item in contextFor.
				return '';
			}
		}),
	);
	const keysSent = new Map<number, string>();

	return {
		keysSent,
		contextFor(itemIndex) {
			const entry = readAhead[itemIndex] ?? read(itemIndex);
			readAhead[itemIndex] = undefined;
			if ('error' in entry) throw entry.error;
			const { options } = entry;
			const earlierItem = repeats.get(itemIndex);
			if (earlierItem !== undefined) throw repeatedIdempotencyKeyError(node, itemIndex, earlierItem);
			const settings = readRequestSettings(node, itemIndex, options);
			const idempotencyKey = itemIdempotencyKey(node, itemIndex, options.idempotencyKey, scope);
			if (withKeys) keysSent.set(itemIndex, idempotencyKey);
			return { itemIndex, options, settings, idempotencyKey };
		},
	};
}
