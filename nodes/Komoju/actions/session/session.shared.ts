import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idProperty, readId } from '../common.descriptions';

export const sessionIdField: INodeProperties = idProperty(
	'sessionId',
	'Session ID',
	'The ID of the KOMOJU session, e.g. {{ $json.id }} after Session → Create, or the session_id KOMOJU appends to the return URL',
);

export function readSessionId(context: IExecuteFunctions, itemIndex: number): string {
	return readId(context, itemIndex, 'sessionId', 'Session ID');
}
