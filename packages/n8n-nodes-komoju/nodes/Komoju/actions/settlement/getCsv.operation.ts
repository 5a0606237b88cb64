import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from '../fields.shared';
import { ObjectWithFile, type ItemContext, type Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';
import { apiPath, komojuApiRequest, komojuApiRequestFile } from '../../transport';
import { fileNameFor, outputFileProperty, readOutputFileProperty } from '../file.shared';
import { settlementIdField } from './settlement.shared';

export const option: Operation['option'] = {
	name: 'Get CSV',
	description:
		'Download a settlement’s CSV report (one row per settled payment) as a file in the item’s binary data, with the settlement as its JSON. Read-only.',
	action: 'Get a settlement CSV',
};

export const properties: INodeProperties[] = [
	settlementIdField,
	outputFileProperty('the file'),
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<ObjectWithFile> {
	const { itemIndex } = item;
	const id = readId(this, itemIndex, 'settlementId', 'Settlement ID');
	const property = readOutputFileProperty.call(this, itemIndex);
	const settlement = await komojuApiRequest.call(this, { method: 'GET', path: apiPath('settlements', id) }, item.settings);
	const csv = await komojuApiRequestFile.call(this, { method: 'GET', path: apiPath('settlements', id, 'csv') }, item.settings);
	const fileName = fileNameFor('settlement', id, 'csv');
	return new ObjectWithFile(settlement, { property, fileName, mimeType: 'text/csv', content: csv });
}
