import { defineResource } from '../operation';
import * as get from './get.operation';

export const barcode = defineResource({
	displayName: 'Konbini Barcode',
	komojuObject: 'barcode',
	// KOMOJU's barcode answer has no id: it is pending or ready.
	identifiedBy: 'status',
	defaultOperation: 'get',
	operations: { get },
});
