/** One started delivery, as kept in the workflow's static data. */
export interface DeliveryRecord {
	deliveryId?: string;
	eventId?: string;
	at: number;
}

export interface DedupeWindow {
	maxEntries: number;
	maxAgeMs: number;
}

export const DEFAULT_DEDUPE_WINDOW: DedupeWindow = {
	maxEntries: 1000,
	maxAgeMs: 24 * 60 * 60 * 1000,
};

export interface DedupeResult {
	duplicate: boolean;
	records: DeliveryRecord[];
}

function isRecord(value: unknown): value is DeliveryRecord {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as DeliveryRecord).at === 'number'
	);
}

/**
 * Decides whether a delivery was already started and returns the records to store next.
 * Both ids count: X-Komoju-ID is not covered by the signature, so a replayed body with a new
 * header would otherwise pass; the event id inside the signed body catches that.
 * Records older than the window or beyond `maxEntries` (oldest first) are dropped.
 */
export function checkDelivery(
	stored: unknown,
	delivery: { deliveryId?: string; eventId?: string },
	now: number,
	window: DedupeWindow = DEFAULT_DEDUPE_WINDOW,
): DedupeResult {
	const fresh = (Array.isArray(stored) ? stored : [])
		.filter(isRecord)
		.filter((record) => now - record.at < window.maxAgeMs);
	const duplicate = fresh.some(
		(record) =>
			(delivery.deliveryId !== undefined && record.deliveryId === delivery.deliveryId) ||
			(delivery.eventId !== undefined && record.eventId === delivery.eventId),
	);
	if (duplicate) return { duplicate, records: fresh.slice(-window.maxEntries) };
	const record: DeliveryRecord = { at: now };
	if (delivery.deliveryId !== undefined) record.deliveryId = delivery.deliveryId;
	if (delivery.eventId !== undefined) record.eventId = delivery.eventId;
	return { duplicate, records: [...fresh, record].slice(-window.maxEntries) };
}
