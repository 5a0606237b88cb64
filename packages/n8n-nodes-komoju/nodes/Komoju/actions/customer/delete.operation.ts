import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { customerIdField } from './customer.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Delete',
		description: 'Delete a customer by ID and erase its stored card. Moves no money.',
		action: 'Delete a customer',
	},
	idField: customerIdField,
	request: (id) => ({ method: 'DELETE', path: apiPath('customers', id) }),
});
