import { defineResource } from '../operation';
import * as accept from './accept.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const chargeback = defineResource({
	displayName: 'Chargeback',
	komojuObject: 'chargeback',
	defaultOperation: 'getAll',
	operations: { accept, get, getAll },
});
