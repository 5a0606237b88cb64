import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

/** "Put Output File in Field": the binary property an operation's file goes under. */
export function outputFileProperty(what: string): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: `The name of the output binary field to put ${what} in`,
	};
}

export function readOutputFileProperty(this: IExecuteFunctions, itemIndex: number): string {
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	if (property === '') throw new NodeOperationError(this.getNode(), 'Put Output File in Field needs a field name, such as data', { itemIndex });
	return property;
}

/** A file name for an object's file. The id comes from an expression: no path separators and the like. */
export function fileNameFor(prefix: string, id: string, extension: string): string {
	return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}.${extension}`;
}
