import { sleep, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { requireWholeNumber } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
import { idProperty, readId } from '../fields.shared';
import type { ItemContext, Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';

export const option: Operation['option'] = {
	name: 'Get',
	description:
		'Get the barcode a konbini payment’s customer shows at the till (a base64 PNG in image, with expires_at), for stores that take barcodes. Read-only.',
	action: 'Get a konbini barcode',
};

export const properties: INodeProperties[] = [
	idProperty('paymentId', 'Payment ID', 'The ID of the konbini payment, e.g. {{ $json.id }} after Payment → Create'),
	requestOptionsCollection([
		{
			displayName: 'Wait Until Ready',
			name: 'waitUntilReady',
			type: 'boolean',
			default: true,
			description: 'Whether to ask again, as KOMOJU’s retry_after says, while the barcode is still being made (status pending)',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1, maxValue: 600, numberPrecision: 0 },
			description: 'With Wait Until Ready: the longest time to wait; the pending answer is returned after it',
		},
	]),
];

/** A pause KOMOJU asks for, bounded so a bad retry_after cannot stall the item. */
function retryAfterMs(barcode: IDataObject, remainingMs: number): number {
	const seconds = Number(barcode.retry_after);
	const asked = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
	return Math.min(asked, remainingMs);
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const node = this.getNode();
	const paymentId = readId(this, item.itemIndex, 'paymentId', 'Payment ID');
	const wait = item.options.waitUntilReady !== false;
	const timeoutMs = requireWholeNumber(node, item.itemIndex, item.options.waitTimeout ?? 60, 'Wait Timeout (Seconds)', 1, 600) * 1000;
	const fetchBarcode = async () =>
		await komojuApiRequest.call(this, { method: 'GET', path: apiPath('barcodes', paymentId) }, item.settings);
	let barcode = await fetchBarcode();
	const deadline = Date.now() + timeoutMs;
	while (wait && barcode.status === 'pending' && Date.now() < deadline) {
		await sleep(retryAfterMs(barcode, deadline - Date.now()));
		barcode = await fetchBarcode();
	}
	return barcode;
}
