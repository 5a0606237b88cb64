import {
	NodeOperationError,
	sleep,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { scrubCardData } from '../helpers/redact';
import { requireWholeNumber } from '../helpers/validation';
import {
	continueOnFailItem,
	errorForItem,
	reportWorkAlreadyDone,
	unexpectedResponseError,
	type ProcessedItem,
} from '../transport/errors';
import { prepareItemContexts } from './items';
import { ObjectWithFile, type Operation, type OutputFile, type Resource } from './operation';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './options.shared';
import { findOperation } from './resources';

function operationToRun(context: IExecuteFunctions) {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const found = findOperation(resource, operation);
	if (!found) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" is not supported for the resource "${resource}"`);
	}
	return found;
}

/**
 * Every object an operation outputs must be the KOMOJU object it asked for: a 200 from a proxy,
 * a captive portal or the wrong server would otherwise flow on as if it were a payment.
 */
function requireKomojuObjects(context: IExecuteFunctions, objects: IDataObject[], resource: Resource, itemIndex: number) {
	const expected = resource.komojuObject;
	const identity = resource.identifiedBy ?? 'id';
	for (const object of objects) {
		const named = object.resource === undefined || object.resource === expected;
		if (typeof object[identity] !== 'string' || object[identity] === '' || !named) {
			throw unexpectedResponseError(context.getNode(), 200, `JSON that is not a KOMOJU ${expected}`, itemIndex);
		}
	}
}

/** The file as n8n binary data: n8n stores it (in memory, on disk or elsewhere, as the instance is set up). */
async function binaryOf(context: IExecuteFunctions, file: OutputFile): Promise<IBinaryKeyData> {
	return { [file.property]: await context.helpers.prepareBinaryData(file.content, file.fileName, file.mimeType) };
}

function readConcurrency(context: IExecuteFunctions): number {
	const value = context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY);
	return requireWholeNumber(context.getNode(), 0, value, 'Concurrency', 1, MAX_CONCURRENCY);
}

/** Runs the operation the node's Resource and Operation name. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	if (this.getInputData().length === 0) return [[]];
	const { operation, resource } = operationToRun(this);
	return await runOperation.call(this, operation, resource);
}

/**
 * Owns the item loop: one call per input item, up to Concurrency at a time, the output in input
 * order with its pairing, and Continue On Fail. Without Continue On Fail the first failing item
 * (by position) stops the node: no further item is started, those in flight are finished.
 */
export async function runOperation(this: IExecuteFunctions, operation: Operation, resource: Resource): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const concurrency = readConcurrency(this);
	const continueOnFail = this.continueOnFail();
	const contexts = prepareItemContexts(this, operation, items.length);
	const outputs: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	let nextItem = 0;
	// n8n opens a new connection per request. When many answers arrive in one event-loop turn,
	// the items they free would all start in that turn, and each request would wait for the
	// others' connection set-up and for their answers' processing. One start per turn keeps them flowing.
	let startTurn: Promise<void> = Promise.resolve();
	const waitForStartTurn = async () => await (startTurn = startTurn.then(async () => await sleep(0)));
	const anItemIsLeft = () => failures.length === 0 && nextItem < items.length;

	const runItems = async () => {
		while (anItemIsLeft()) {
			if (concurrency > 1) {
				await waitForStartTurn();
				if (!anItemIsLeft()) break;
			}
			const itemIndex = nextItem++;
			try {
				const result = await operation.execute.call(this, contexts.contextFor(itemIndex));
				const objects = result instanceof ObjectWithFile ? [result.object] : Array.isArray(result) ? result : [result];
				requireKomojuObjects(this, objects, resource, itemIndex);
				const binary = result instanceof ObjectWithFile ? await binaryOf(this, result.file) : undefined;
				// The one place card data leaves: every output is scrubbed, whatever the operation.
				outputs[itemIndex] = objects.map((json) => ({ json: scrubCardData(json), ...(binary && { binary }), pairedItem: { item: itemIndex } }));
			} catch (error) {
				if (continueOnFail) outputs[itemIndex] = [continueOnFailItem(error, itemIndex)];
				else failures.push({ itemIndex, error });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runItems));

	if (failures.length > 0) {
		// The failing item with the lowest position, whatever order parallel items failed in.
		const first = failures.reduce((earliest, other) => (other.itemIndex < earliest.itemIndex ? other : earliest));
		const processed: ProcessedItem[] = [];
		outputs.forEach((output, itemIndex) => {
			if (!output) return;
			const id = output.map((item) => item.json.id).join(', ');
			processed.push({ item: itemIndex + 1, id, idempotencyKey: contexts.keysSent.get(itemIndex) ?? null });
		});
		reportWorkAlreadyDone(first.error, processed, failures.filter((other) => other !== first));
		throw errorForItem(this.getNode(), first.error, first.itemIndex);
	}
	return [outputs.flat()];
}
