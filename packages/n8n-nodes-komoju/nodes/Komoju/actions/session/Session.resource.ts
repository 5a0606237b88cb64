import { defineResource } from '../operation';
import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';

export const session = defineResource({
	displayName: 'Session',
	komojuObject: 'session',
	defaultOperation: 'create',
	operations: { cancel, create, get },
});
