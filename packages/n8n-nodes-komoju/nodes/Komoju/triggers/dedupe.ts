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

/**
 * The records each trigger has written, kept in this process as well. In n8n 2.40.7 a webhook's
 * change to static data is saved after the execution it starts has loaded the static data, and
 * that execution saves its older copy when it ends: the newest record is lost from the database.
 * Merging this copy back in on every delivery restores it there; only a restart in between (or
 * another webhook process) can miss the records of the most recent deliveries.
 */
const recentRecords = new Map<string, DeliveryRecord[]>();

function recordKey(record: DeliveryRecord): string {
	return `${record.deliveryId ?? ''}|${record.eventId ?? ''}`;
}

/** The stored records together with those this process remembers for the same trigger, oldest first. */
export function withRecentRecords(triggerKey: string, stored: unknown): DeliveryRecord[] {
	const merged = new Map<string, DeliveryRecord>();
	for (const record of [...(Array.isArray(stored) ? stored : []), ...(recentRecords.get(triggerKey) ?? [])]) {
		if (isRecord(record)) merged.set(recordKey(record), record);
	}
	return [...merged.values()].sort((a, b) => a.at - b.at);
}

export function rememberRecords(triggerKey: string, records: DeliveryRecord[]): void {
	recentRecords.set(triggerKey, records);
}
