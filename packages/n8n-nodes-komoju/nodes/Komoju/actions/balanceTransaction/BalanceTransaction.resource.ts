import { defineResource } from '../operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const balanceTransaction = defineResource({
	displayName: 'Balance Transaction',
	komojuObject: 'balance transaction',
	defaultOperation: 'getAll',
	operations: { get, getAll },
});
