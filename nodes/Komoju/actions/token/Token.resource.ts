import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';

export { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['token'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Turn card details into a one-time token (no 3D Secure) for Payment → Create with Payment Source "Token": used once, valid 24 hours. Needs card number and expiry; the card number goes through n8n (PCI DSS scope). Moves no money.',
				action: 'Create a token',
			},
		],
		default: 'create',
	},
	...create.description,
];
