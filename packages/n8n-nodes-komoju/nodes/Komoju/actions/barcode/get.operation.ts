import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireWholeNumber } from '../../helpers/validation';
import { apiPath, komojuApiRequest, pollWhile } from '../../transport';
import { fileNameFor, outputFileProperty, readOutputFileProperty } from '../file.shared';
import { idProperty, readId } from '../fields.shared';
import { ObjectWithFile, type ItemContext, type Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';

export const option: Operation['option'] = {
	name: 'Get',
	description:
		'Get the barcode a konbini payment’s customer shows at the till, as a PNG file in the item’s binary data (with expires_at), for stores that take barcodes. Read-only.',
	action: 'Get a konbini barcode',
};

export const properties: INodeProperties[] = [
	idProperty('paymentId', 'Payment ID', 'The ID of the konbini payment, e.g. {{ $json.id }} after Payment → Create'),
	outputFileProperty('the barcode image'),
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
			// Wait Until Ready is on when it is not added, so hide this only once it is turned off.
			displayOptions: { hide: { waitUntilReady: [false] } },
			default: 60,
			typeOptions: { minValue: 1, maxValue: 600, numberPrecision: 0 },
			description: 'With Wait Until Ready: the longest time to wait; the pending answer is returned after it',
		},
	]),
];

/** The pause KOMOJU asks for; pollWhile keeps it within the Wait Timeout. */
function retryAfterMs(barcode: IDataObject): number {
	const seconds = Number(barcode.retry_after);
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject | ObjectWithFile> {
	const node = this.getNode();
	const paymentId = readId(this, item.itemIndex, 'paymentId', 'Payment ID');
	const property = readOutputFileProperty.call(this, item.itemIndex);
	const wait = item.options.waitUntilReady !== false;
	const timeoutMs = requireWholeNumber(node, item.itemIndex, item.options.waitTimeout ?? 60, 'Wait Timeout (Seconds)', 1, 600) * 1000;
	const fetchBarcode = async () =>
		await komojuApiRequest.call(this, { method: 'GET', path: apiPath('barcodes', paymentId) }, item.settings);
	const barcode = await pollWhile(fetchBarcode, (last) => wait && last.status === 'pending', timeoutMs, retryAfterMs);
	if (barcode.status !== 'ready' || typeof barcode.image !== 'string') return barcode;
	const fileName = fileNameFor('konbini-barcode', paymentId, 'png');
	return new ObjectWithFile(barcode, { property, fileName, mimeType: 'image/png', content: Buffer.from(barcode.image, 'base64') });
}
