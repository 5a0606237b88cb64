import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { apiPath, komojuApiRequest, type KomojuRequest } from '../transport';
import { readId } from './fields.shared';
import type { ItemContext, Operation } from './operation';
import { requestOptionsCollection } from './options.shared';

/** An operation that sends one request about one object named by its ID: a Get, Delete or Cancel. */
export function objectOperation({
	option,
	idField,
	request,
	idempotency = false,
}: {
	option: Operation['option'];
	/** The required ID field, e.g. Payment ID. */
	idField: INodeProperties;
	/** The request for the object with this ID. */
	request: (id: string, item: ItemContext) => KomojuRequest;
	/** Whether the request is a POST, which shows the Idempotency Key option. */
	idempotency?: boolean;
}): Operation {
	return {
		option,
		properties: [idField, requestOptionsCollection([], { idempotency })],
		async execute(this: IExecuteFunctions, item: ItemContext) {
			const id = readId(this, item.itemIndex, idField.name, idField.displayName);
			return await komojuApiRequest.call(this, request(id, item), item.settings);
		},
	};
}

/** A POST that acts on one object and takes no fields, e.g. `/payments/{id}/cancel`. */
export function objectAction(collection: string, action: string) {
	return (id: string, item: ItemContext): KomojuRequest => ({
		method: 'POST',
		path: apiPath(collection, id, action),
		body: {},
		idempotencyKey: item.idempotencyKey,
	});
}
