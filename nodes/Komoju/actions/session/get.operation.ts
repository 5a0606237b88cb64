import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import { apiPath, komojuApiRequest } from '../../transport';
import { readSessionId, sessionIdField } from './session.shared';

const properties: INodeProperties[] = [sessionIdField, requestOptionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['session'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const session = await komojuApiRequest.call(
		this,
		{ method: 'GET', path: apiPath('sessions', readSessionId(this, itemIndex)) },
		requestSettings(this, readOptions(this, itemIndex), itemIndex),
	);
	return session;
}
