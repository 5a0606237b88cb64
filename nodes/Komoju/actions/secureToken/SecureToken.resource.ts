import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';

export { create, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['secureToken'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Start 3D Secure authentication for a card or a saved customer; returns the authentication_url to send the customer to. Moves no money.',
				action: 'Create a secure token',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get a secure token and its verification_status (OK once the customer has authenticated), optionally waiting until it is final',
				action: 'Get a secure token',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
];
