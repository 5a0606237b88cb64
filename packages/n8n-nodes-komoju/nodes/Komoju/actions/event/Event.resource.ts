import { defineResource } from '../operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const event = defineResource({
	displayName: 'Event',
	komojuObject: 'event',
	defaultOperation: 'getAll',
	operations: { get, getAll },
});
