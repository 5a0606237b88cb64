import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { settlementIdField } from './settlement.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description:
			'Get one settlement (a payout of KOMOJU to you) by ID: its amounts, fees and section totals of payments, refunds and corrections. Read-only.',
		action: 'Get a settlement',
	},
	idField: settlementIdField,
	request: (id) => ({ method: 'GET', path: apiPath('settlements', id) }),
});
