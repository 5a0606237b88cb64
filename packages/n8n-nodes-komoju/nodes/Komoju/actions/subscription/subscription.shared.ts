import type { INodeProperties } from 'n8n-workflow';

import { idProperty } from '../fields.shared';

export const subscriptionIdField: INodeProperties = idProperty(
	'subscriptionId',
	'Subscription ID',
	'The ID of the KOMOJU subscription, e.g. {{ $json.id }} after Subscription → Create',
);
