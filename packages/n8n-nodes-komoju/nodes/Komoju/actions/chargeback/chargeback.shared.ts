import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idProperty } from '../fields.shared';
import { apiPath, komojuApiRequest, type RequestSettings } from '../../transport';

export const chargebackIdField: INodeProperties = idProperty(
	'chargebackId',
	'Chargeback ID',
	'The ID of the KOMOJU chargeback request, e.g. {{ $json.id }} after Chargeback → Get Many',
);

export async function fetchChargeback(this: IExecuteFunctions, id: string, settings: RequestSettings): Promise<IDataObject> {
	return await komojuApiRequest.call(this, { method: 'GET', path: apiPath('chargeback_requests', id) }, settings);
}
