import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';

export { cancel, create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Close a pending session by ID so its hosted page can no longer be paid. Moves no money.',
				action: 'Cancel a session',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'Open a KOMOJU hosted payment page (3D Secure included) for an amount and currency, or to save a card; returns session_url to send the customer to. Money moves only when the customer pays there; no card data goes through n8n.',
				action: 'Create a session',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one session by ID: status pending, completed or cancelled, and the payment or customer it produced once completed. Read-only.',
				action: 'Get a session',
			},
		],
		default: 'create',
	},
	...cancel.description,
	...create.description,
	...get.description,
];
