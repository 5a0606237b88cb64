import { objectAction, objectOperation } from '../object.shared';
import { sessionIdField } from './session.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Cancel',
		description: 'Close a pending session by ID so its hosted page can no longer be paid. Moves no money.',
		action: 'Cancel a session',
	},
	idField: sessionIdField,
	request: objectAction('sessions', 'cancel'),
	idempotency: true,
});
