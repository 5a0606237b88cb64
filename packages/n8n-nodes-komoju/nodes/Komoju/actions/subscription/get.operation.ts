import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { subscriptionIdField } from './subscription.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description:
			'Get one subscription by ID: its status, amount, period, next charge (next_capture_at) and the IDs of the payments it made. Read-only.',
		action: 'Get a subscription',
	},
	idField: subscriptionIdField,
	request: (id) => ({ method: 'GET', path: apiPath('subscriptions', id) }),
});
