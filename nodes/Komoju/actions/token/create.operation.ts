import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	currencyField,
	idempotencyKeyFor,
	readOptions,
	requestOptionsCollection,
	requestSettings,
} from '../common.descriptions';
import type { ExecutionScope } from '../../helpers/interfaces';
import { requireCurrency } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardProperties, readCardDetails } from '../shared/card.descriptions';

const properties: INodeProperties[] = [
	...cardProperties(),
	{
		displayName: 'Token Fields',
		name: 'tokenFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				...currencyField,
				required: false,
				description: 'Lock the token to this currency: a payment in any other currency is refused',
			},
		],
	},
	requestOptionsCollection([], { idempotency: true }),
];

export const description = updateDisplayOptions({ show: { resource: ['token'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, scope: ExecutionScope): Promise<IDataObject> {
	const options = readOptions(this, itemIndex);
	const fields = this.getNodeParameter('tokenFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { payment_details: readCardDetails.call(this, itemIndex) };
	if (fields.currency !== undefined) body.currency = requireCurrency(this.getNode(), itemIndex, fields.currency);
	const token = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('tokens'), body, idempotencyKey: idempotencyKeyFor(this, options, itemIndex, scope) },
		requestSettings(this, options, itemIndex),
	);
	return token;
}
