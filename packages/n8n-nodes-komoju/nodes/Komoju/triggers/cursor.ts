import type { IDataObject } from 'n8n-workflow';

import { apiTime } from '../helpers/mappers';

/**
 * Where the poller stopped, as kept in the workflow's static data. KOMOJU's `created_at` has
 * whole seconds and `start_time` is inclusive, so a timestamp alone cannot tell which events of
 * the newest second were already emitted: the ids seen at that second are kept too.
 */
export interface EventCursor {
	/** `created_at` of the newest event seen (whole seconds, UTC); null: none yet, every event is new. */
	after: string | null;
	/** Ids of the events seen at that second, oldest first. */
	ids: string[];
}

/** More events than this in one second would be emitted again; KOMOJU creates far fewer. */
export const MAX_IDS_PER_SECOND = 1000;

/** The second of an ISO date-time, in milliseconds, or undefined when it is not one. */
export function secondOf(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000) * 1000;
}

/** An event the poller can place: a string id and type, and a readable created_at. */
export function isEvent(value: unknown): value is IDataObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const event = value as IDataObject;
	return (
		typeof event.id === 'string' &&
		typeof event.type === 'string' &&
		secondOf(event.created_at) !== undefined
	);
}

/** The stored cursor, or undefined when there is none (first activation) or it is unreadable. */
export function readCursor(stored: unknown): EventCursor | undefined {
	if (typeof stored !== 'object' || stored === null) return undefined;
	const { after, ids } = stored as { after?: unknown; ids?: unknown };
	if (after !== null && secondOf(after) === undefined) return undefined;
	return {
		after: after as string | null,
		ids: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
	};
}

/** The cursor for "Emit Events Since": every event from that second on is new. */
export function cursorSince(since: string): EventCursor | undefined {
	const second = secondOf(since);
	return second === undefined ? undefined : { after: apiTime(second), ids: [] };
}

/** The first activation: everything on KOMOJU now counts as seen. */
export function cursorAtNewest(newestFirst: IDataObject[]): EventCursor {
	return advanceCursor({ after: null, ids: [] }, [...newestFirst].reverse());
}

/** Whether an event comes after the cursor. */
export function isNewEvent(event: IDataObject, cursor: EventCursor): boolean {
	if (cursor.after === null) return true;
	const at = secondOf(event.created_at)!;
	const after = secondOf(cursor.after)!;
	return at > after || (at === after && !cursor.ids.includes(event.id as string));
}

/**
 * Reads pages (newest first) until one reaches an event the cursor has seen, or the pages end.
 * Returns every event read, newest first; an error while paging leaves nothing changed.
 */
export async function readUntilSeen(
	pages: AsyncIterable<{ items: IDataObject[] }>,
	cursor: EventCursor,
): Promise<IDataObject[]> {
	const read: IDataObject[] = [];
	for await (const { items } of pages) {
		read.push(...items);
		if (items.some((event) => isEvent(event) && !isNewEvent(event, cursor))) break;
	}
	return read;
}

/**
 * The events after the cursor, oldest first, each once. `newestFirst` is what the API listed:
 * an event recorded while paging shifts the list, so one can show up on two pages.
 */
export function selectNewEvents(newestFirst: IDataObject[], cursor: EventCursor): IDataObject[] {
	const seen = new Set<string>();
	const fresh: IDataObject[] = [];
	for (const event of newestFirst) {
		if (!isEvent(event) || seen.has(event.id as string)) continue;
		seen.add(event.id as string);
		if (isNewEvent(event, cursor)) fresh.push(event);
	}
	// Within one second KOMOJU lists the later-recorded event first, so reversing the list
	// before a stable sort by second keeps the recording order.
	return fresh
		.reverse()
		.map((event, index) => ({ event, index, at: secondOf(event.created_at)! }))
		.sort((a, b) => a.at - b.at || a.index - b.index)
		.map(({ event }) => event);
}

/** The cursor after `oldestFirst` (new events) were emitted or filtered out. */
export function advanceCursor(cursor: EventCursor, oldestFirst: IDataObject[]): EventCursor {
	const events = oldestFirst.filter(isEvent);
	if (events.length === 0) return cursor;
	const newest = Math.max(...events.map((event) => secondOf(event.created_at)!));
	const idsAtNewest = events
		.filter((event) => secondOf(event.created_at) === newest)
		.map((event) => event.id as string);
	const sameSecond = cursor.after !== null && secondOf(cursor.after) === newest;
	const ids = sameSecond ? [...cursor.ids, ...idsAtNewest] : idsAtNewest;
	return { after: apiTime(newest), ids: [...new Set(ids)].slice(-MAX_IDS_PER_SECOND) };
}
