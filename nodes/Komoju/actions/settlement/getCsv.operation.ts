import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readId } from '../fields.shared';
import { ObjectWithFile, type ItemContext, type Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest, komojuApiRequestFile } from '../../transport';
import { settlementIdField } from './settlement.shared';

export const option: Operation['option'] = {
	name: 'Get CSV',
	description:
		'Download a settlement’s CSV report (one row per settled payment) as a file in the item’s binary data, with the settlement as its JSON. Read-only.',
	action: 'Get a settlement CSV',
};

export const properties: INodeProperties[] = [
	settlementIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
	},
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<ObjectWithFile> {
	const { itemIndex } = item;
	const id = readId(this, itemIndex, 'settlementId', 'Settlement ID');
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	if (property === '') throw new NodeOperationError(this.getNode(), 'Put Output File in Field needs a field name, such as data', { itemIndex });
	const settlement = await komojuApiRequest.call(this, { method: 'GET', path: apiPath('settlements', id) }, item.settings);
	const csv = await komojuApiRequestFile.call(this, { method: 'GET', path: apiPath('settlements', id, 'csv') }, item.settings);
	// The id comes from an expression: keep the file name free of path separators and the like.
	const fileName = `settlement-${id.replace(/[^A-Za-z0-9_-]/g, '_')}.csv`;
	return new ObjectWithFile(settlement, { property, fileName, mimeType: 'text/csv', content: csv });
}
