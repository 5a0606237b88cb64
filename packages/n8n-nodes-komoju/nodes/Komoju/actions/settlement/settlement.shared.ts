import type { INodeProperties } from 'n8n-workflow';

import { idProperty } from '../fields.shared';

export const settlementIdField: INodeProperties = idProperty(
	'settlementId',
	'Settlement ID',
	'The ID of the KOMOJU settlement, e.g. {{ $json.id }} after Settlement → Get Many',
);
