import { defineResource } from '../operation';
import * as getAll from './getAll.operation';

export const paymentMethod = defineResource({
	displayName: 'Payment Method',
	komojuObject: 'payment_method',
	identifiedBy: 'type_slug',
	defaultOperation: 'getAll',
	operations: { getAll },
});
