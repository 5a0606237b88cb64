import type { INodeProperties } from 'n8n-workflow';

import { idProperty } from '../fields.shared';

export const sessionIdField: INodeProperties = idProperty(
	'sessionId',
	'Session ID',
	'The ID of the KOMOJU session, e.g. {{ $json.id }} after Session → Create, or the session_id KOMOJU appends to the return URL',
);
