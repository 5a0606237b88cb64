import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readOptions, requestOptionsCollection, requestSettings } from '../common.descriptions';
import { apiPath, komojuApiRequest } from '../../transport';
import { customerIdField, readCustomerId } from './customer.shared';

const properties: INodeProperties[] = [customerIdField, requestOptionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const customer = await komojuApiRequest.call(
		this,
		{ method: 'GET', path: apiPath('customers', readCustomerId(this, itemIndex)) },
		requestSettings(this, readOptions(this, itemIndex), itemIndex),
	);
	return customer;
}
