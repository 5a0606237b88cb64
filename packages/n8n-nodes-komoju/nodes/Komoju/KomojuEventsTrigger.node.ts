import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { scrubCardData } from './helpers/redact';
import { requireWholeNumber } from './helpers/validation';
import { apiPath, DEFAULT_REQUEST_SETTINGS, komojuPages, MAX_PER_PAGE, type RequestSettings } from './transport';
import { ALL_EVENTS, eventOptions, isSelectedEvent } from './triggers/events';
import {
	advanceCursor,
	cursorAtNewest,
	cursorSince,
	readUntilSeen,
	isEvent,
	readCursor,
	secondOf,
	selectNewEvents,
	type EventCursor,
} from './triggers/cursor';

const REQUEST_SETTINGS: RequestSettings = { itemIndex: 0, ...DEFAULT_REQUEST_SETTINGS };

// In manual mode the node looks this far back for an event to show.
const MANUAL_MAX_PAGES = 10;

function eventPages(this: IPollFunctions, perPage: number, startTime: string | null) {
	const qs: IDataObject = startTime === null ? {} : { start_time: startTime };
	return komojuPages.call(this, { method: 'GET', path: apiPath('events'), qs }, REQUEST_SETTINGS, perPage);
}

/**
 * The cursor of the first activation: "Emit Events Since" (then the first poll goes on to
 * emit from it), or KOMOJU's newest event now (then the first poll only remembers it).
 */
async function firstCursor(
	this: IPollFunctions,
	perPage: number,
): Promise<{ cursor: EventCursor; emit: boolean }> {
	const since = this.getNodeParameter('options.emitSince', '') as string;
	if (since) {
		const cursor = cursorSince(since);
		if (cursor) return { cursor, emit: true };
		throw new NodeOperationError(this.getNode(), `"Emit Events Since" is not a date: ${since}`);
	}
	// Reads on only while a page is entirely in the newest second, so all its ids are known.
	const newestFirst: IDataObject[] = [];
	for await (const { items } of eventPages.call(this, perPage, null)) {
		newestFirst.push(...items.filter(isEvent));
		const newest = secondOf(newestFirst[0]?.created_at);
		const oldestRead = secondOf(newestFirst[newestFirst.length - 1]?.created_at);
		if (oldestRead !== newest) break;
	}
	return { cursor: cursorAtNewest(newestFirst), emit: false };
}

/** Manual runs show the newest matching event so the user sees the shape; nothing is saved. */
async function latestMatchingEvent(
	this: IPollFunctions,
	selected: string[],
	perPage: number,
): Promise<INodeExecutionData[][]> {
	for await (const { items, page } of eventPages.call(this, perPage, null)) {
		const match = items.find((event) => isEvent(event) && isSelectedEvent(selected, event.type as string));
		if (match) return [this.helpers.returnJsonArray([scrubCardData(match)])];
		if (page >= MANUAL_MAX_PAGES) break;
	}
	throw new NodeOperationError(this.getNode(), 'No KOMOJU event of the selected types found', {
		description:
			'KOMOJU has no recent event of these types for this key. Create one (for example a customer, in test mode) and try again, or select more event types.',
	});
}

export class KomojuEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KOMOJU Events Trigger',
		name: 'komojuEventsTrigger',
		icon: { light: 'file:../../icons/komoju.svg', dark: 'file:../../icons/komoju.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow on new KOMOJU events by polling the Events API; needs no public URL',
		defaults: { name: 'KOMOJU Events Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'komojuApi', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				// ping is a webhook delivery only; it never appears in KOMOJU's event list.
				options: eventOptions
					.filter((option) => option.value !== 'ping')
					.map((option) =>
						option.value === ALL_EVENTS ? { ...option, description: 'Every event' } : option,
					),
				default: [ALL_EVENTS],
				description: 'Events that start the workflow. Others are skipped, and not emitted later.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Emit Events Since',
						name: 'emitSince',
						type: 'dateTime',
						default: '',
						description:
							'On the first poll after activation, also emit the events created since this time (whole seconds). Without it the first poll only notes where KOMOJU is and emits nothing from the past.',
					},
					{
						displayName: 'Events Per Request',
						name: 'perPage',
						type: 'number',
						default: MAX_PER_PAGE,
						typeOptions: { minValue: 1, maxValue: MAX_PER_PAGE, numberPrecision: 0 },
						description:
							'How many events to ask KOMOJU for per request (at most 100). When more arrived since the last poll, the node reads further pages.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const selected = this.getNodeParameter('events', [ALL_EVENTS]) as string[];
		const perPageOption = this.getNodeParameter('options.perPage', MAX_PER_PAGE);
		// Refused, not clamped: the user sees what to fix instead of a silently different request.
		const perPage = requireWholeNumber(this.getNode(), 0, perPageOption, 'Events Per Request', 1, MAX_PER_PAGE);

		if (this.getMode() === 'manual') return await latestMatchingEvent.call(this, selected, perPage);

		const staticData = this.getWorkflowStaticData('node');
		const stored = readCursor(staticData.cursor);
		if (stored === undefined) {
			const { cursor, emit } = await firstCursor.call(this, perPage);
			if (emit) return await emitNew.call(this, cursor, selected, perPage);
			staticData.cursor = { ...cursor } as unknown as IDataObject;
			return null;
		}
		return await emitNew.call(this, stored, selected, perPage);
	}
}

/**
 * Reads what arrived after the cursor, then moves the cursor past it and returns the selected
 * events oldest first. Nothing is stored until every page was read, so a failed request
 * (thrown as KOMOJU's NodeApiError) leaves the cursor where it was and the next poll retries.
 */
async function emitNew(
	this: IPollFunctions,
	cursor: EventCursor,
	selected: string[],
	perPage: number,
): Promise<INodeExecutionData[][] | null> {
	const newestFirst = await readUntilSeen(eventPages.call(this, perPage, cursor.after), cursor);
	const fresh = selectNewEvents(newestFirst, cursor);
	// Assigned as a new object so n8n notices the change and saves it.
	this.getWorkflowStaticData('node').cursor = { ...advanceCursor(cursor, fresh) } as unknown as IDataObject;
	const matching = fresh.filter((event) => isSelectedEvent(selected, event.type as string));
	return matching.length > 0 ? [this.helpers.returnJsonArray(scrubCardData(matching))] : null;
}
