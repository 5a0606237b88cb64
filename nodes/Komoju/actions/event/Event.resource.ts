import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one KOMOJU event by ID: its type (e.g. payment.captured) and the object it is about in data. Read-only.',
				action: 'Get an event',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List KOMOJU events (what happened to payments, customers…), newest first, optionally within a time range; one item per event. Read-only.',
				action: 'Get many events',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
