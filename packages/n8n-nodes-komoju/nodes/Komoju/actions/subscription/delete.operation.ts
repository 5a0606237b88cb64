import { apiPath } from '../../transport';
import { objectOperation } from '../object.shared';
import { subscriptionIdField } from './subscription.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Delete',
		description:
			'Stop a subscription by ID: KOMOJU charges the customer no more; payments already made stay as they are. Moves no money.',
		action: 'Delete a subscription',
	},
	idField: subscriptionIdField,
	request: (id) => ({ method: 'DELETE', path: apiPath('subscriptions', id) }),
});
