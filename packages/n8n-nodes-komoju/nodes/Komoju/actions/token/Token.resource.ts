import { defineResource } from '../operation';
import * as create from './create.operation';

export const token = defineResource({
	displayName: 'Token',
	komojuObject: 'token',
	defaultOperation: 'create',
	operations: { create },
});
