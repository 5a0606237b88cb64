import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { chargebackIdField } from './chargeback.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description:
			'Get one chargeback (a customer’s bank disputing a payment) by ID: its status, due date, the disputed payment and amount, and its timeline. Read-only.',
		action: 'Get a chargeback',
	},
	idField: chargebackIdField,
	request: (id) => ({ method: 'GET', path: apiPath('chargeback_requests', id) }),
});
