import { defineResource } from '../operation';
import * as create from './create.operation';
import * as deleteCustomer from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const customer = defineResource({
	displayName: 'Customer',
	komojuObject: 'customer',
	defaultOperation: 'create',
	operations: { create, delete: deleteCustomer, get, getAll, update },
});
