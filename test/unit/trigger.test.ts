import { createHmac } from 'crypto';

import { checkDelivery, type DeliveryRecord } from '../../packages/n8n-nodes-komoju/nodes/Komoju/triggers/dedupe';
import { ALL_EVENTS, eventOptions, isSelectedEvent } from '../../packages/n8n-nodes-komoju/nodes/Komoju/triggers/events';
import { computeSignature, verifySignature } from '../../packages/n8n-nodes-komoju/nodes/Komoju/triggers/signature';

const secret = 'whsec_test_secret';
const body = Buffer.from('{"id":"ev_1","type":"payment.captured","data":{"amount":1000}}');
const sign = (raw: Buffer, key = secret) => createHmac('sha256', key).update(raw).digest('hex');

describe('verifySignature', () => {
	it('accepts the lowercase hex HMAC-SHA256 of the raw body', () => {
		expect(verifySignature(body, sign(body), secret)).toBe(true);
		expect(computeSignature(body, secret)).toBe(sign(body));
	});

	it('rejects a tampered body', () => {
		const tampered = Buffer.from(body.toString().replace('1000', '9000'));
		expect(verifySignature(tampered, sign(body), secret)).toBe(false);
	});

	it('rejects a body re-serialised with different whitespace', () => {
		const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
		expect(verifySignature(reformatted, sign(body), secret)).toBe(false);
	});

	it('rejects a signature made with another secret', () => {
		expect(verifySignature(body, sign(body, 'other'), secret)).toBe(false);
	});

	it('rejects upper-case hex', () => {
		expect(verifySignature(body, sign(body).toUpperCase(), secret)).toBe(false);
	});

	it.each([
		['missing', undefined],
		['empty', ''],
		['shorter', sign(body).slice(0, 63)],
		['longer', `${sign(body)}0`],
		['padded', ` ${sign(body)}`],
		['non-hex', `${sign(body).slice(0, 63)}g`],
		['base64', createHmac('sha256', secret).update(body).digest('base64')],
		['prefixed', `sha256=${sign(body)}`],
		['repeated', [sign(body), sign(body)]],
	])('rejects a %s header', (_label, header) => {
		expect(verifySignature(body, header, secret)).toBe(false);
	});

	it('never verifies with an empty secret', () => {
		expect(verifySignature(body, sign(body, ''), '')).toBe(false);
	});
});

describe('checkDelivery', () => {
	const hour = 60 * 60 * 1000;
	const now = Date.UTC(2026, 10, 29, 12);

	it('starts a new delivery and remembers both ids', () => {
		const result = checkDelivery(undefined, { deliveryId: 'd1', eventId: 'ev_1' }, now);
		expect(result).toEqual({
			duplicate: false,
			records: [{ deliveryId: 'd1', eventId: 'ev_1', at: now }],
		});
	});

	it('spots the same X-Komoju-ID again', () => {
		const first = checkDelivery([], { deliveryId: 'd1', eventId: 'ev_1' }, now);
		const again = checkDelivery(first.records, { deliveryId: 'd1', eventId: 'ev_1' }, now + 1000);
		expect(again.duplicate).toBe(true);
		expect(again.records).toEqual(first.records);
	});

	it('spots a replayed body under a new X-Komoju-ID by its event id', () => {
		const first = checkDelivery([], { deliveryId: 'd1', eventId: 'ev_1' }, now);
		expect(checkDelivery(first.records, { deliveryId: 'd2', eventId: 'ev_1' }, now).duplicate).toBe(
			true,
		);
	});

	it('treats different deliveries of different events as new', () => {
		const first = checkDelivery([], { deliveryId: 'd1', eventId: 'ev_1' }, now);
		expect(checkDelivery(first.records, { deliveryId: 'd2', eventId: 'ev_2' }, now).duplicate).toBe(
			false,
		);
	});

	it('forgets deliveries older than the window', () => {
		const window = { maxEntries: 10, maxAgeMs: 24 * hour };
		const stored: DeliveryRecord[] = [
			{ deliveryId: 'old', at: now - 24 * hour },
			{ deliveryId: 'recent', at: now - 23 * hour },
		];
		const result = checkDelivery(stored, { deliveryId: 'old' }, now, window);
		expect(result.duplicate).toBe(false);
		expect(result.records.map((r) => r.deliveryId)).toEqual(['recent', 'old']);
	});

	it('keeps at most maxEntries records, dropping the oldest', () => {
		const window = { maxEntries: 3, maxAgeMs: 24 * hour };
		let records: unknown = undefined;
		for (const id of ['a', 'b', 'c', 'd']) {
			records = checkDelivery(records, { deliveryId: id }, now, window).records;
		}
		expect((records as DeliveryRecord[]).map((r) => r.deliveryId)).toEqual(['b', 'c', 'd']);
		expect(checkDelivery(records, { deliveryId: 'a' }, now, window).duplicate).toBe(false);
		expect(checkDelivery(records, { deliveryId: 'b' }, now, window).duplicate).toBe(true);
	});

	it('stays bounded with the default window', () => {
		let records: unknown = undefined;
		for (let i = 0; i < 1100; i++) {
			records = checkDelivery(records, { deliveryId: `d${i}`, eventId: `ev_${i}` }, now + i).records;
		}
		expect((records as DeliveryRecord[]).length).toBe(1000);
		expect(checkDelivery(records, { deliveryId: 'd99' }, now + 2000).duplicate).toBe(false);
		expect(checkDelivery(records, { deliveryId: 'd100' }, now + 2000).duplicate).toBe(true);
	});

	it('ignores corrupt static data', () => {
		const result = checkDelivery({ not: 'a list' }, { deliveryId: 'd1' }, now);
		expect(result).toEqual({ duplicate: false, records: [{ deliveryId: 'd1', at: now }] });
		const mixed = checkDelivery([null, 'x', { deliveryId: 'd1' }], { deliveryId: 'd1' }, now);
		expect(mixed.duplicate).toBe(false);
	});

	it('does not match on ids the delivery lacks', () => {
		const first = checkDelivery([], { eventId: 'ev_1' }, now);
		expect(checkDelivery(first.records, { deliveryId: 'd1' }, now).duplicate).toBe(false);
	});
});

describe('isSelectedEvent', () => {
	it('starts only the selected event types', () => {
		expect(isSelectedEvent(['payment.captured'], 'payment.captured')).toBe(true);
		expect(isSelectedEvent(['payment.captured'], 'payment.failed')).toBe(false);
		expect(isSelectedEvent([], 'payment.captured')).toBe(false);
	});

	it('"All" starts every event except ping', () => {
		expect(isSelectedEvent([ALL_EVENTS], 'payment.refunded')).toBe(true);
		expect(isSelectedEvent([ALL_EVENTS], 'submerchant.updated')).toBe(true);
		expect(isSelectedEvent([ALL_EVENTS], 'ping')).toBe(false);
	});

	it('starts ping only when ping is selected', () => {
		expect(isSelectedEvent(['ping'], 'ping')).toBe(true);
		expect(isSelectedEvent([ALL_EVENTS, 'ping'], 'ping')).toBe(true);
	});

	it('offers "*" and every documented event type once', () => {
		const values = eventOptions.map((option) => option.value);
		expect(values[0]).toBe(ALL_EVENTS);
		expect(new Set(values).size).toBe(values.length);
		expect(values).toEqual(
			expect.arrayContaining([
				'ping',
				'payment.authorized',
				'payment.captured',
				'payment.updated',
				'payment.expired',
				'payment.cancelled',
				'payment.failed',
				'payment.refund.created',
				'payment.refunded',
				'customer.created',
				'customer.updated',
				'customer.deleted',
				'subscription.created',
				'subscription.captured',
				'subscription.failed',
				'subscription.suspended',
				'subscription.deleted',
				'settlement.created',
			]),
		);
	});
});
