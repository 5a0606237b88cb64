import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { idProperty, readId, readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import { apiPath, komojuApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	idProperty('eventId', 'Event ID', 'The ID of the KOMOJU event, e.g. from Event → Get Many or a webhook delivery'),
	requestOptionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['event'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const event = await komojuApiRequest.call(
		this,
		{ method: 'GET', path: apiPath('events', readId(this, itemIndex, 'eventId', 'Event ID')) },
		requestSettings(this, readOptions(this, itemIndex), itemIndex),
	);
	return event;
}
