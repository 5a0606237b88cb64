import { defineResource } from '../operation';
import * as create from './create.operation';
import * as deleteSubscription from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const subscription = defineResource({
	displayName: 'Subscription',
	komojuObject: 'subscription',
	defaultOperation: 'create',
	operations: { create, delete: deleteSubscription, get, getAll },
});
