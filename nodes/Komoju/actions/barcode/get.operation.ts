import { NodeOperationError, sleep, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { requireWholeNumber } from '../../helpers/validation';
import { apiPath, komojuApiRequest } from '../../transport';
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
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the barcode image in',
	},
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

/** A pause KOMOJU asks for, bounded so a bad retry_after cannot stall the item. */
function retryAfterMs(barcode: IDataObject, remainingMs: number): number {
	const seconds = Number(barcode.retry_after);
	const asked = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
	return Math.min(asked, remainingMs);
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject | ObjectWithFile> {
	const node = this.getNode();
	const paymentId = readId(this, item.itemIndex, 'paymentId', 'Payment ID');
	const property = String(this.getNodeParameter('binaryPropertyName', item.itemIndex, 'data')).trim();
	if (property === '') throw new NodeOperationError(node, 'Put Output File in Field needs a field name, such as data', { itemIndex: item.itemIndex });
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
	if (barcode.status !== 'ready' || typeof barcode.image !== 'string') return barcode;
	// The id comes from an expression: keep the file name free of path separators and the like.
	const fileName = `konbini-barcode-${paymentId.replace(/[^A-Za-z0-9_-]/g, '_')}.png`;
	return new ObjectWithFile(barcode, { property, fileName, mimeType: 'image/png', content: Buffer.from(barcode.image, 'base64') });
}
