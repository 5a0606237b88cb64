import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { sessionIdField } from './session.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description:
			'Get one session by ID: status pending, completed or cancelled, and the payment or customer it produced once completed. Read-only.',
		action: 'Get a session',
	},
	idField: sessionIdField,
	request: (id) => ({ method: 'GET', path: apiPath('sessions', id) }),
});
