import { defineResource } from '../operation';
import * as get from './get.operation';

export const balance = defineResource({
	displayName: 'Balance',
	komojuObject: 'balance',
	// KOMOJU's balance has no id: it is the balance of its currency.
	identifiedBy: 'currency',
	defaultOperation: 'get',
	operations: { get },
});
