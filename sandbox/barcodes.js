// @ts-check
'use strict';

/**
 * Konbini barcodes (contract `showBarcode`, `GET /barcodes/{payment_id}`): a konbini payment at a
 * store that takes barcodes carries `barcode_url` (this endpoint) in its `payment_details`. The
 * answer is `{ status: "ready", expires_at, image }`: the image a base64 PNG of 750×150 bars, valid
 * 10 minutes by the sandbox clock (at most until the payment's deadline); asked again while it is
 * valid, the same barcode; after that, a new one. KOMOJU may also answer `pending` with
 * `retry_after` while a barcode is made; the sandbox's barcodes are ready at once (a test gets a
 * `pending` answer from a status fault, see sandbox/README.md).
 */

const crypto = require('node:crypto');
const zlib = require('node:zlib');
const { ApiError, notFound } = require('./errors');
const { noQuery } = require('./lists');
const { iso } = require('./state');
const payments = require('./payments');
const { BARCODE_STORES } = require('./payment-methods');

/**
 * @typedef {import('./secure-tokens').Env} Env
 * @typedef {import('./secure-tokens').Result} Result
 */

const VALID_MS = 10 * 60 * 1000;
const WIDTH = 750;
const HEIGHT = 150;
const MARGIN = 10;
const MODULE_PX = 6;
/** EAN's seven-module patterns of the digits (left-hand, odd parity): bars from digits, not a scannable code. */
const DIGIT_MODULES = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];

/** @type {number[]} */
const CRC_TABLE = [];
for (let n = 0; n < 256; n++) {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	CRC_TABLE.push(c >>> 0);
}

/** PNG's CRC-32 of a chunk's type and data. @param {Buffer} buf */
function crc32(buf) {
	let c = 0xffffffff;
	for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A 1-bit grayscale PNG of bars for these digits, centred between white margins.
 * @param {string} number @returns {string} base64
 */
function barcodePng(number) {
	const modules = `101${[...number].map((d) => DIGIT_MODULES[Number(d)]).join('')}101`;
	const left = Math.floor((WIDTH - modules.length * MODULE_PX) / 2);
	const rowBytes = Math.ceil(WIDTH / 8);
	const white = Buffer.alloc(rowBytes + 1, 0xff);
	white[0] = 0; // filter type None
	const bars = Buffer.from(white);
	for (let x = 0; x < WIDTH; x++) {
		const m = Math.floor((x - left) / MODULE_PX);
		if (x >= left && m < modules.length && modules[m] === '1') bars[1 + (x >> 3)] &= ~(0x80 >> (x & 7));
	}
	const rows = [];
	for (let y = 0; y < HEIGHT; y++) rows.push(y < MARGIN || y >= HEIGHT - MARGIN ? white : bars);
	const header = Buffer.alloc(13);
	header.writeUInt32BE(WIDTH, 0);
	header.writeUInt32BE(HEIGHT, 4);
	header[8] = 1; // bit depth
	header[9] = 0; // grayscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
		chunk('IEND', Buffer.alloc(0)),
	]).toString('base64');
}

/**
 * GET /barcodes/{payment_id}: 404 for an unknown payment and for one without a barcode (not
 * konbini, or a store without barcodes); 422 once the payment no longer awaits payment.
 * @param {Env} env @returns {Result}
 */
function showBarcode(env) {
	noQuery(env.query);
	const p = payments.find(env);
	const store = p.method && p.method.type === 'konbini' ? String(p.method.details.store) : null;
	if (!p.method || store === null || !BARCODE_STORES.has(store)) {
		throw notFound('This payment has no barcode: only konbini payments whose payment_details carry barcode_url have one.');
	}
	if (p.status !== 'authorized') {
		throw new ApiError(422, 'unprocessable_entity', `The payment's status is ${p.status}: a barcode is only issued while the payment awaits the customer.`, null);
	}
	const now = env.state.clock();
	if (!p.method.barcode || now >= p.method.barcode.expiresAt) {
		const number = String(crypto.randomInt(1e6)).padStart(6, '0') + String(crypto.randomInt(1e7)).padStart(7, '0');
		p.method.barcode = { image: barcodePng(number), expiresAt: Math.min(now + VALID_MS, /** @type {number} */ (p.paymentDeadline)) };
	}
	return { status: 200, body: { status: 'ready', expires_at: iso(p.method.barcode.expiresAt), image: p.method.barcode.image } };
}

module.exports = { showBarcode };
