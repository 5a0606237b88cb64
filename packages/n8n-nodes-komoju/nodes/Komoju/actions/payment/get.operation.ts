import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { paymentIdField } from './payment.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description: 'Get one payment by ID, with its status, amounts and refunds',
		action: 'Get a payment',
	},
	idField: paymentIdField,
	request: (id) => ({ method: 'GET', path: apiPath('payments', id) }),
});
