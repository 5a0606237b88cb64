/**
 * The KOMOJU Events Trigger in the running `n8n start`, published: n8n polls the sandbox's
 * `GET /api/v1/events` on the workflow's poll times (every 5 s through twelve fixed-second
 * crons: n8n 2.40.7 refuses a sub-minute cron). Polls are counted in the sandbox's request log,
 * executions through n8n's REST API (GET /rest/executions for the workflow).
 *
 * Other files create customers too, so the assertions count only the customers this file
 * creates, while still checking that no event is emitted twice across executions.
 */
import { e2eContext } from './support/context';
import { nodeOutput, sleep, type Execution, type N8nApi } from './support/n8n';
import { CARDS } from './support/sandbox-client';
import { EVENTS_TRIGGER_NODE, IDS } from './support/workflows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const e2e = e2eContext();
const { sandbox } = e2e;
let n8n: N8nApi;
let published = false;

const executionIds = () => n8n.executionIds(IDS.eventsTrigger);

/** The trigger's event-list requests in the sandbox's log (every poll makes at least one). */
async function eventRequests(): Promise<number[]> {
	return (await sandbox.apiRequests('GET', '/api/v1/events')).map((r) => r.seq);
}

/**
 * Waits until `polls` more polls have been answered: a poll's first request is one not in the
 * log before; requests within the same second as the one before belong to the same poll.
 */
async function waitForPolls(polls: number, timeoutMs = 30_000): Promise<void> {
	const before = new Set(await eventRequests());
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await sandbox.apiRequests('GET', '/api/v1/events')).filter((r) => !before.has(r.seq) && r.outcome === 'answered');
		const pollStarts = fresh.filter((r, index) => index === 0 || Date.parse(r.time) - Date.parse(fresh[index - 1].time) > 1000);
		if (pollStarts.length >= polls) break;
		if (Date.now() > deadline) throw new Error(`fewer than ${polls} polls in ${timeoutMs / 1000} s: ${JSON.stringify(fresh)}`);
		await sleep(200);
	}
	// Let the poll's execution, if any, be saved.
	await sleep(1500);
}

/** Finished executions in the order they were started (oldest first). */
async function executionsOldestFirst(ids: string[]): Promise<Execution[]> {
	const sorted = [...ids].sort((a, b) => Number(a) - Number(b));
	return await Promise.all(sorted.map((id) => n8n.finishedExecution(id)));
}

const triggerItems = (execution: Execution): Json[] =>
	nodeOutput({ status: execution.status, data: execution.data }, EVENTS_TRIGGER_NODE).map((item) => item.json);

beforeAll(async () => {
	n8n = await e2e.n8n();
});

afterAll(async () => {
	// Stop polling: the files after this one create customers too.
	if (published && n8n) await n8n.data('POST', `/rest/workflows/${IDS.eventsTrigger}/deactivate`, {});
});

describe('KOMOJU Events Trigger polling the sandbox', () => {
	const customerIds: string[] = [];
	let afterCustomers: string[] = [];

	it('emits nothing on the first polls, then each new customer.created event once, oldest first', async () => {
		expect(await executionIds()).toEqual([]);
		await n8n.publish(IDS.eventsTrigger);
		published = true;

		// The first poll only notes KOMOJU's newest event; neither it nor the next starts anything.
		await waitForPolls(2);
		expect(await executionIds()).toEqual([]);

		for (const n of [1, 2, 3]) {
			customerIds.push(await sandbox.createCustomer(CARDS.regular, `events-trigger-${n}@example.com`));
		}

		const deadline = Date.now() + 30_000;
		let executions: Execution[] = [];
		for (;;) {
			executions = await executionsOldestFirst(await executionIds());
			const emittedCustomers = executions.flatMap(triggerItems).map((event) => event.data?.id);
			if (customerIds.every((id) => emittedCustomers.includes(id))) break;
			if (Date.now() > deadline) throw new Error(`not all of ${customerIds.join(', ')} emitted within 30 s; emitted: ${JSON.stringify(emittedCustomers)}`);
			await sleep(500);
		}

		expect(executions.length).toBeGreaterThanOrEqual(1);
		for (const execution of executions) {
			expect(execution).toMatchObject({ status: 'success', mode: 'trigger', workflowId: IDS.eventsTrigger });
			const items = triggerItems(execution);
			expect(items.length).toBeGreaterThanOrEqual(1);
			// Oldest first within an execution.
			const times = items.map((event) => Date.parse(event.created_at));
			expect(times).toEqual([...times].sort((a, b) => a - b));
			expect(nodeOutput({ status: execution.status, data: execution.data }, 'Received')).toHaveLength(items.length);
		}

		const events = executions.flatMap(triggerItems);
		// Only the selected type, and no event twice across executions.
		expect(new Set(events.map((event) => event.type))).toEqual(new Set(['customer.created']));
		const eventIds = events.map((event) => event.id);
		expect(new Set(eventIds).size).toBe(eventIds.length);

		// This file's customers, each exactly once, in the order they were created.
		const mine = events.filter((event) => customerIds.includes(event.data?.id));
		expect(mine.map((event) => event.data.id)).toEqual(customerIds);
		for (const [index, event] of mine.entries()) {
			expect(event).toMatchObject({
				type: 'customer.created',
				resource: 'event',
				data: { id: customerIds[index], resource: 'customer', email: `events-trigger-${index + 1}@example.com` },
			});
			expect(typeof event.id).toBe('string');
			expect(typeof event.created_at).toBe('string');
		}

		// And exactly the sandbox's customer.created events for them.
		const sandboxEvents = (await (await fetch(`${sandbox.url}/__sandbox/events`)).json()) as Json[];
		const expected = sandboxEvents.filter((event) => event.type === 'customer.created' && customerIds.includes(event.data?.id));
		expect(expected).toHaveLength(3);
		expect(new Set(mine.map((event) => event.id))).toEqual(new Set(expected.map((event) => event.id)));

		afterCustomers = await executionIds();
	});

	it('starts nothing more on the next two polls', async () => {
		if (afterCustomers.length === 0) throw new Error('no executions from the test before');
		await waitForPolls(2);
		expect(await executionIds()).toEqual(afterCustomers);
	});

	it('stops polling once unpublished', async () => {
		const workflow = await n8n.data('POST', `/rest/workflows/${IDS.eventsTrigger}/deactivate`, {});
		published = false;
		expect(workflow.active).toBe(false);
		await sleep(1000);
		const before = await eventRequests();
		await sleep(6000);
		expect(await eventRequests()).toEqual(before);
	});
});
