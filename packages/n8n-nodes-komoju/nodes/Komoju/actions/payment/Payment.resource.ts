import { defineResource } from '../operation';
import * as cancel from './cancel.operation';
import * as capture from './capture.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as refund from './refund.operation';
import * as refundRequest from './refundRequest.operation';
import * as update from './update.operation';

export const payment = defineResource({
	displayName: 'Payment',
	komojuObject: 'payment',
	defaultOperation: 'create',
	operations: { cancel, capture, create, get, getAll, refund, refundRequest, update },
});
