import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from '../fields.shared';
import type { ItemContext, Operation } from '../operation';
import { maximumAmountOptions, readMaximumAmount, requestOptionsCollection } from '../options.shared';
import { enforceMaximumAmount } from '../../helpers/money';
import { toWholeNumber } from '../../helpers/validation';
import { apiPath, komojuApiRequestNoContent } from '../../transport';
import { unexpectedResponseError } from '../../transport/errors';
import { chargebackIdField, fetchChargeback } from './chargeback.shared';

export const option: Operation['option'] = {
	name: 'Accept',
	description:
		'MOVES MONEY: concede a pending chargeback by ID: the disputed amount goes back to the customer for good and the dispute ends. Outputs the chargeback as it is afterwards.',
	action: 'Accept a chargeback',
};

export const properties: INodeProperties[] = [
	chargebackIdField,
	requestOptionsCollection(maximumAmountOptions, { idempotency: true }),
];

/** What accepting gives up: the disputed payment's amount, in its currency. */
function disputedAmount(this: IExecuteFunctions, chargeback: IDataObject, itemIndex: number): { amount: number; currency: string } {
	const payment = (chargeback.payment ?? {}) as IDataObject;
	const amount = toWholeNumber(payment.amount);
	if (amount === undefined || typeof payment.currency !== 'string') {
		throw unexpectedResponseError(this.getNode(), 200, 'a chargeback without its payment’s amount and currency', itemIndex);
	}
	return { amount, currency: payment.currency };
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const node = this.getNode();
	const id = readId(this, itemIndex, 'chargebackId', 'Chargeback ID');
	const maximum = readMaximumAmount(node, item);
	if (maximum) {
		// The limit needs the amount at stake, which only KOMOJU knows.
		const { amount, currency } = disputedAmount.call(this, await fetchChargeback.call(this, id, item.settings), itemIndex);
		enforceMaximumAmount(node, itemIndex, maximum, amount, currency, 'chargeback acceptance');
	}
	await komojuApiRequestNoContent.call(
		this,
		{ method: 'POST', path: apiPath('chargeback_requests', id, 'accept'), body: {}, idempotencyKey: item.idempotencyKey },
		item.settings,
	);
	// KOMOJU answers an accept without a body: the output is the chargeback as it is now.
	return await fetchChargeback.call(this, id, item.settings);
}
