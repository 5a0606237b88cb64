import { objectAction, objectOperation } from '../object.shared';
import { paymentIdField } from './payment.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Cancel',
		description: 'Cancel a pending or authorized payment so it can no longer be captured. Releases the hold; moves no money.',
		action: 'Cancel a payment',
	},
	idField: paymentIdField,
	request: objectAction('payments', 'cancel'),
	idempotency: true,
});
