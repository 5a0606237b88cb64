import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as capture from './capture.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as refund from './refund.operation';
import * as update from './update.operation';

export { cancel, capture, create, get, getAll, refund, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Cancel a pending or authorised payment so it can no longer be captured. Releases the hold; moves no money.',
				action: 'Cancel a payment',
			},
			{
				name: 'Capture',
				value: 'capture',
				description: 'MOVES MONEY: take an authorised payment, in full or in part. Only authorised payments can be captured.',
				action: 'Capture a payment',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'MOVES MONEY: charge a verified secure token, a token, a saved customer or a card. With Capture off, only authorises.',
				action: 'Create a payment',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one payment by ID, with its status, amounts and refunds',
				action: 'Get a payment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List payments, newest first, filtered by status, currency, order number or time; one item per payment',
				action: 'Get many payments',
			},
			{
				name: 'Refund',
				value: 'refund',
				description: 'MOVES MONEY: return all or part of a captured payment to the customer',
				action: 'Refund a payment',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change a payment’s description or metadata; moves no money',
				action: 'Update a payment',
			},
		],
		default: 'create',
	},
	...cancel.description,
	...capture.description,
	...create.description,
	...get.description,
	...getAll.description,
	...refund.description,
	...update.description,
];
