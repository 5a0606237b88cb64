import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { idempotencyKeyFor, readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { apiPath, komojuApiRequest } from '../../transport';
import { readSessionId, sessionIdField } from './session.shared';

const properties: INodeProperties[] = [sessionIdField, requestOptionsCollection([], { idempotency: true })];

export const description = updateDisplayOptions({ show: { resource: ['session'], operation: ['cancel'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const options = readOptions(this, itemIndex);
	const session = await komojuApiRequest.call(
		this,
		{
			method: 'POST',
			path: apiPath('sessions', readSessionId(this, itemIndex), 'cancel'),
			body: {},
			idempotencyKey: idempotencyKeyFor(this, options, itemIndex, scope),
		},
		requestSettings(this, options, itemIndex),
	);
	return session;
}
