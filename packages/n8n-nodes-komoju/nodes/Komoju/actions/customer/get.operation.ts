import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { customerIdField } from './customer.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description: 'Get one customer by ID, with email, metadata and the stored card’s brand and last four digits',
		action: 'Get a customer',
	},
	idField: customerIdField,
	request: (id) => ({ method: 'GET', path: apiPath('customers', id) }),
});
