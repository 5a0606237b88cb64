import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { RequestSettings } from '../transport';

/** What the router has already read and checked for one item before its operation runs. */
export interface ItemContext {
	readonly itemIndex: number;
	/** The item's Options collection. */
	readonly options: IDataObject;
	/** Max Retries and Timeout from the options, for every request the item sends. */
	readonly settings: RequestSettings;
	/**
	 * The key of the item's POST: the Idempotency Key option, or one derived from the execution,
	 * node and item that n8n's retries repeat. A POST request cannot be built without one.
	 */
	readonly idempotencyKey: string;
}

/** A file an operation outputs beside its object; the router stores it as the item's binary data. */
export interface OutputFile {
	/** The binary property it goes under, e.g. `data`. */
	property: string;
	fileName: string;
	mimeType: string;
	content: Buffer;
}

/** One KOMOJU object and a file that belongs to it (a settlement and its CSV). */
export class ObjectWithFile {
	constructor(
		readonly object: IDataObject,
		readonly file: OutputFile,
	) {}
}

/** One operation, in its own file: the entry of the Operation dropdown, its fields, its work. */
export interface Operation {
	/** The Operation dropdown's entry; its value is the name the resource registers it under. */
	option: Omit<INodePropertyOptions, 'value'> & { action: string; description: string };
	/** Its fields; the resource shows them only for this operation. */
	properties: INodeProperties[];
	/** One item in, one KOMOJU object (or several, or one with a file) out. The router does the rest. */
	execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject | IDataObject[] | ObjectWithFile>;
}

/** One resource: the Resource dropdown's entry and its operations, by the value each is chosen with. */
export interface Resource {
	displayName: string;
	/** What KOMOJU names this resource's objects in their `resource` field (when they have one). */
	komojuObject: string;
	/** The field that every object of this resource has as non-empty text; `id` unless KOMOJU's objects have none. */
	identifiedBy?: string;
	defaultOperation: string;
	operations: Record<string, Operation>;
}

/** A resource, checked as it is written: each operation has the full shape, and the default is one of them. */
export function defineResource<Operations extends Record<string, Operation>>(
	resource: Omit<Resource, 'defaultOperation' | 'operations'> & { defaultOperation: keyof Operations & string; operations: Operations },
): Resource {
	return resource;
}
