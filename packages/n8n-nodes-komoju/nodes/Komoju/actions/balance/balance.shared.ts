import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { currencyField } from '../fields.shared';
import { requireCurrency } from '../../helpers/validation';

/** KOMOJU keeps one balance per currency: its balance and transaction paths start with it. */
export const balanceCurrencyField: INodeProperties = { ...currencyField, description: 'The currency of the balance' };

export function readBalanceCurrency(context: IExecuteFunctions, itemIndex: number): string {
	return requireCurrency(context.getNode(), itemIndex, context.getNodeParameter('currency', itemIndex));
}
