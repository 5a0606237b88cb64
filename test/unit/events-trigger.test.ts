import { NodeApiError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import {
	advanceCursor,
	cursorAtNewest,
	cursorSince,
	readUntilSeen,
	isNewEvent,
	MAX_IDS_PER_SECOND,
	readCursor,
	selectNewEvents,
	type EventCursor,
} from '../../packages/n8n-nodes-komoju/nodes/Komoju/triggers/cursor';
import { apiTime } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/mappers';
import { KomojuEventsTrigger } from '../../packages/n8n-nodes-komoju/nodes/Komoju/KomojuEventsTrigger.node';
import { testNode } from './node.fixture';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const at = (seconds: number) => apiTime(T0 + seconds * 1000);
const event = (id: string, seconds: number, type = 'customer.created'): IDataObject => ({
	id,
	type,
	resource: 'event',
	data: { id: `cus_${id}` },
	created_at: at(seconds),
	reason: null,
});
const ids = (events: IDataObject[]) => events.map((e) => e.id);

describe('the events cursor', () => {
	const cursor: EventCursor = { after: at(10), ids: ['a', 'b'] };

	it('counts an event as new when it is in a later second, or in the cursor second with an unseen id', () => {
		expect(isNewEvent(event('c', 11), cursor)).toBe(true);
		expect(isNewEvent(event('c', 10), cursor)).toBe(true);
		expect(isNewEvent(event('a', 10), cursor)).toBe(false);
		expect(isNewEvent(event('z', 9), cursor)).toBe(false);
		expect(isNewEvent(event('z', 9), { after: null, ids: [] })).toBe(true);
	});

	it('selects new events oldest first, keeping KOMOJU’s order within a second, each once', () => {
		// newest first as KOMOJU lists them; within second 12, "e" was recorded after "d"
		const listed = [event('e', 12), event('d', 12), event('c', 11), event('c', 11), event('x', 10), event('a', 10), event('old', 9)];
		expect(ids(selectNewEvents(listed, cursor))).toEqual(['x', 'c', 'd', 'e']);
	});

	it('skips malformed entries', () => {
		const listed = [{ id: 'n', type: 'customer.created', created_at: 'yesterday' }, { type: 'x' }, event('c', 11)];
		expect(ids(selectNewEvents(listed as IDataObject[], cursor))).toEqual(['c']);
	});

	it('advances to the newest second and remembers its ids; adds to them within the same second', () => {
		expect(advanceCursor(cursor, [event('c', 11), event('d', 12), event('e', 12)])).toEqual({ after: at(12), ids: ['d', 'e'] });
		expect(advanceCursor(cursor, [event('c', 10)])).toEqual({ after: at(10), ids: ['a', 'b', 'c'] });
		expect(advanceCursor(cursor, [])).toBe(cursor);
	});

	it('keeps a bounded number of ids', () => {
		const many = Array.from({ length: MAX_IDS_PER_SECOND + 5 }, (_, i) => event(`e${i}`, 20));
		const next = advanceCursor(cursor, many);
		expect(next.ids).toHaveLength(MAX_IDS_PER_SECOND);
		expect(next.ids[next.ids.length - 1]).toBe(`e${MAX_IDS_PER_SECOND + 4}`);
	});

	it('starts at KOMOJU’s newest event, or at "Emit Events Since"', () => {
		expect(cursorAtNewest([event('b', 5), event('a', 5), event('z', 4)])).toEqual({ after: at(5), ids: ['a', 'b'] });
		expect(cursorAtNewest([])).toEqual({ after: null, ids: [] });
		expect(cursorSince('2026-11-29T10:00:07.600Z')).toEqual({ after: at(7), ids: [] });
		expect(cursorSince('not a date')).toBeUndefined();
	});

	it('reads back only a well-formed stored cursor', () => {
		expect(readCursor(undefined)).toBeUndefined();
		expect(readCursor({ after: 'garbage', ids: [] })).toBeUndefined();
		expect(readCursor({ after: null })).toEqual({ after: null, ids: [] });
		expect(readCursor({ after: at(1), ids: ['a', 3] })).toEqual({ after: at(1), ids: ['a'] });
	});
});

describe('readUntilSeen', () => {
	const cursor: EventCursor = { after: at(10), ids: ['a'] };

	/** Pages served lazily, as the transport's komojuPages does; `asked` records each one read. */
	async function* served(pages: IDataObject[][], asked: number[] = []) {
		for (const [index, items] of pages.entries()) {
			asked.push(index + 1);
			yield { items };
		}
	}

	it('stops reading at the page that reaches a seen event', async () => {
		const pages = [[event('d', 12), event('c', 11)], [event('b', 10), event('a', 10)], [event('never', 9)]];
		const asked: number[] = [];
		const read = await readUntilSeen(served(pages, asked), cursor);
		expect(asked).toEqual([1, 2]);
		expect(ids(selectNewEvents(read, cursor))).toEqual(['b', 'c', 'd']);
	});

	it('reads every page when none reaches a seen event', async () => {
		const asked: number[] = [];
		const read = await readUntilSeen(served([[event('n1', 19)], [event('n2', 18)]], asked), cursor);
		expect(asked).toEqual([1, 2]);
		expect(ids(read)).toEqual(['n1', 'n2']);
		expect(await readUntilSeen(served([]), cursor)).toEqual([]);
	});

	it('emits an event once when a new arrival shifts it onto the next page', async () => {
		const pages = [[event('e', 13), event('d', 12)], [event('d', 12), event('c', 11)], [event('a', 10)]];
		const read = await readUntilSeen(served(pages), cursor);
		expect(ids(selectNewEvents(read, cursor))).toEqual(['c', 'd', 'e']);
	});
});

/** An in-memory KOMOJU events list behind a stub poll context. */
function stubPoller(store: IDataObject[], parameters: IDataObject = {}, mode = 'trigger') {
	const staticData: IDataObject = {};
	const requests: IDataObject[] = [];
	let failNext = 0;
	const context = {
		getNode: () => testNode,
		getMode: () => mode,
		getCredentials: async () => ({ baseUrl: 'https://komoju.test', apiVersion: '' }),
		getWorkflowStaticData: () => staticData,
		getNodeParameter: (name: string, fallback: unknown) =>
			name.split('.').reduce<unknown>((v, key) => (v as IDataObject | undefined)?.[key], { events: ['*'], ...parameters }) ??
			fallback,
		logger: { debug() {} },
		helpers: {
			returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })),
			async httpRequestWithAuthentication(_type: string, options: { qs: IDataObject }) {
				requests.push(options.qs);
				if (failNext > 0) {
					failNext--;
					return { statusCode: 401, headers: {}, body: { error: { code: 'unauthorized', message: 'Bad key' } } };
				}
				const { page, per_page: perPage, start_time: start } = options.qs as { page: number; per_page: number; start_time?: string };
				const listed = [...store]
					.reverse()
					.filter((e) => !start || Date.parse(e.created_at as string) >= Date.parse(start))
					.sort((a, b) => Date.parse(b.created_at as string) - Date.parse(a.created_at as string));
				const data = listed.slice((page - 1) * perPage, page * perPage);
				return { statusCode: 200, headers: {}, body: { data, page, last_page: Math.max(1, Math.ceil(listed.length / perPage)) } };
			},
		},
	} as unknown as IPollFunctions;
	const node = new KomojuEventsTrigger();
	return {
		staticData,
		requests,
		failOnce: () => (failNext = 1),
		poll: async () => ((await node.poll.call(context)) ?? [[]])[0].map((item) => item.json.id),
	};
}

describe('KomojuEventsTrigger.poll', () => {
	it('remembers where KOMOJU is on the first poll, then emits only what is new', async () => {
		const store = [event('a', 1), event('b', 2)];
		const trigger = stubPoller(store, { options: { perPage: 1 } });
		expect(await trigger.poll()).toEqual([]);
		store.push(event('c', 2), event('d', 3), event('e', 3));
		expect(await trigger.poll()).toEqual(['c', 'd', 'e']);
		expect(await trigger.poll()).toEqual([]);
		expect(trigger.requests[trigger.requests.length - 1]).toMatchObject({ start_time: at(3), per_page: 1 });
	});

	it.each([0, 101, 2.5, 'many'])('refuses Events Per Request %j before asking KOMOJU', async (perPage) => {
		const trigger = stubPoller([event('a', 1)], { options: { perPage } });
		await expect(trigger.poll()).rejects.toThrow(/^Events Per Request must be a whole number from 1 to 100/);
		expect(trigger.requests).toEqual([]);
	});

	it('throws KOMOJU’s error and keeps its cursor', async () => {
		const store = [event('a', 1)];
		const trigger = stubPoller(store);
		await trigger.poll();
		const saved = trigger.staticData.cursor;
		store.push(event('b', 2));
		trigger.failOnce();
		await expect(trigger.poll()).rejects.toBeInstanceOf(NodeApiError);
		expect(trigger.staticData.cursor).toBe(saved);
		expect(await trigger.poll()).toEqual(['b']);
	});

	it('filters by type but moves the cursor past skipped events', async () => {
		const store: IDataObject[] = [];
		const trigger = stubPoller(store, { events: ['payment.captured'] });
		await trigger.poll();
		store.push(event('a', 1), event('p', 2, 'payment.captured'), event('b', 3));
		expect(await trigger.poll()).toEqual(['p']);
		expect(trigger.staticData.cursor).toEqual({ after: at(3), ids: ['b'] });
	});

	it('in manual mode shows the newest matching event and stores nothing', async () => {
		const store = [event('p', 1, 'payment.captured'), event('a', 2)];
		const trigger = stubPoller(store, { events: ['payment.captured'] }, 'manual');
		expect(await trigger.poll()).toEqual(['p']);
		expect(trigger.staticData).toEqual({});
	});

	it('with "Emit Events Since" emits past events from that time on the first poll', async () => {
		const store = [event('a', 1), event('b', 5), event('c', 6)];
		const trigger = stubPoller(store, { options: { emitSince: at(5) } });
		expect(await trigger.poll()).toEqual(['b', 'c']);
		expect(await trigger.poll()).toEqual([]);
	});
});
