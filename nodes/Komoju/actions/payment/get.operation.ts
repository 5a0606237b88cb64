import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import { fetchPayment, paymentIdField, readPaymentId } from './payment.shared';

const properties: INodeProperties[] = [paymentIdField, requestOptionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const paymentId = readPaymentId(this, itemIndex);
	const settings = requestSettings(this, readOptions(this, itemIndex), itemIndex);
	return await fetchPayment.call(this, paymentId, settings);
}
