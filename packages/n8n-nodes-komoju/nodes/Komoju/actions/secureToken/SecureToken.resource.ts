import { defineResource } from '../operation';
import * as create from './create.operation';
import * as get from './get.operation';

export const secureToken = defineResource({
	displayName: 'Secure Token',
	komojuObject: 'secure_token',
	defaultOperation: 'create',
	operations: { create, get },
});
