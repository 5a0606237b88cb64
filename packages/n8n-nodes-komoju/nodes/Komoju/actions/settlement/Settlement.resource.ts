import { defineResource } from '../operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getCsv from './getCsv.operation';

export const settlement = defineResource({
	displayName: 'Settlement',
	komojuObject: 'settlement',
	defaultOperation: 'getAll',
	operations: { get, getAll, getCsv },
});
