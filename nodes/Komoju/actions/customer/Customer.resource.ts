import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteCustomer from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, deleteCustomer as delete, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Save a card on a new KOMOJU customer, for later payments with Payment Source "Saved Customer". Needs a one-time token ID (recommended) or card number and expiry. Moves no money.',
				action: 'Create a customer',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a customer by ID and erase its stored card. Moves no money.',
				action: 'Delete a customer',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one customer by ID, with email, metadata and the stored card’s brand and last four digits',
				action: 'Get a customer',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List customers, filtered by creation time or card expiry; one item per customer',
				action: 'Get many customers',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change a customer’s email, currency or metadata, or replace the stored card, by customer ID. Moves no money.',
				action: 'Update a customer',
			},
		],
		default: 'create',
	},
	...create.description,
	...deleteCustomer.description,
	...get.description,
	...getAll.description,
	...update.description,
];
