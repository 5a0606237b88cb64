import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { currencyField } from '../fields.shared';
import { requestOptionsCollection } from '../options.shared';
import { requireCurrency } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import { cardProperties, readCardDetails } from '../card.shared';
import type { ItemContext, Operation } from '../operation';

export const option: Operation['option'] = {
	name: 'Create',
	description:
		'Turn card details into a one-time token (no 3D Secure) for Payment → Create with Payment Source "Token": used once, valid 24 hours. Needs card number and expiry; the card number goes through n8n (PCI DSS scope). Moves no money.',
	action: 'Create a token',
};

export const properties: INodeProperties[] = [
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

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const fields = this.getNodeParameter('tokenFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { payment_details: readCardDetails.call(this, itemIndex) };
	if (fields.currency !== undefined) body.currency = requireCurrency(this.getNode(), itemIndex, fields.currency);
	const token = await komojuApiRequest.call(
		this,
		{ method: 'POST', path: apiPath('tokens'), body, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	return token;
}
