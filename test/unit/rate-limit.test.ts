import { RateLimitGate } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport/rate-limit';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** When each passThrough() resolved, relative to the start of the test; the clock moves on by `advanceMs`. */
async function startTimes(gate: RateLimitGate, count: number, origin: number, advanceMs = 60_000): Promise<number[]> {
	const times: number[] = [];
	const waiting = Array.from({ length: count }, () => gate.passThrough().then(() => times.push(Date.now() - origin)));
	await jest.advanceTimersByTimeAsync(advanceMs);
	await Promise.all(waiting);
	return times;
}

/**
 * Starts `count` requests `gapMs` apart, the first `answered` of them answered, the one after those
 * rejected with a 429 (Retry-After `retryAfterMs`); the rest stay in flight.
 */
async function startThenReject(gate: RateLimitGate, count: number, answered: number, retryAfterMs = 1000, gapMs = 10): Promise<void> {
	const starts = [];
	for (let index = 0; index < count; index++) {
		starts.push(await gate.passThrough());
		await jest.advanceTimersByTimeAsync(gapMs);
	}
	starts.slice(0, answered).forEach((startedAt) => gate.answered(startedAt));
	gate.closeFor(retryAfterMs, starts[answered]);
}

/** The gaps between consecutive times. */
function gaps(times: number[]): number[] {
	return times.slice(1).map((time, index) => time - times[index]);
}

/** Milliseconds between starts at `limit` × 97.5 % a second. */
function spacingBelow(limit: number): number {
	return 1000 / (limit * 0.975);
}

function expectGapsNear(times: number[], spacingMs: number): void {
	for (const gap of gaps(times)) {
		expect(gap).toBeGreaterThanOrEqual(Math.floor(spacingMs));
		expect(gap).toBeLessThanOrEqual(Math.ceil(spacingMs));
	}
}

describe('RateLimitGate', () => {
	it('lets requests through at once while no 429 was seen', async () => {
		expect(await startTimes(new RateLimitGate(), 5, Date.now())).toEqual([0, 0, 0, 0, 0]);
	});

	it('after a 429, holds everyone for Retry-After, then spaces starts at 97.5 % of the rate that got through', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// The fifth was rejected: four got through in the second before it, so the pace is 3.9 a second.
		await startThenReject(gate, 5, 4);
		const times = await startTimes(gate, 4, origin);
		expect(times[0]).toBe(1050);
		expectGapsNear(times, spacingBelow(4));
	});

	it('stops pacing 5 s after a single 429, so a rate learnt in a slow moment cannot slow the whole run', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Two got through before the rejected one: 1.95 a second, from when the gate reopens (1030)…
		await startThenReject(gate, 3, 2);
		const paced = await startTimes(gate, 2, origin, 2100);
		expect(paced[0]).toBe(1030);
		expectGapsNear(paced, spacingBelow(2));
		// …until 5 s after it reopened; then everyone goes at once again.
		await jest.advanceTimersByTimeAsync(4000);
		expect(await startTimes(gate, 3, origin, 100)).toEqual([6130, 6130, 6130]);
	});

	it('a second 429 teaching the same rate keeps the pace for the run, rising by one after 20 s without a 429', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		await startThenReject(gate, 5, 4);
		await jest.advanceTimersByTimeAsync(7000);
		// 7 s later, unpaced again, the limit is hit again at the same rate: 3.9 a second from 8100…
		await startThenReject(gate, 5, 4);
		const confirmed = await startTimes(gate, 2, origin, 1500);
		expect(confirmed[0]).toBe(8100);
		expectGapsNear(confirmed, spacingBelow(4));
		// …still 10 s later…
		await jest.advanceTimersByTimeAsync(10_000);
		expectGapsNear(await startTimes(gate, 3, origin, 1100), spacingBelow(4));
		// …and one a second more once the gate has been open 20 s without a 429 (at 28.1 s).
		await jest.advanceTimersByTimeAsync(9000);
		expectGapsNear(await startTimes(gate, 3, origin, 1100), 1000 / (4 * 0.975 + 1));
	});

	it('confirms at the higher of two lessons, since each count can miss a request at the edges of its second', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		await startThenReject(gate, 6, 5);
		await jest.advanceTimersByTimeAsync(7000);
		// Four this time, within the same limit: the pace stays at 97.5 % of five for the run.
		await startThenReject(gate, 5, 4);
		await jest.advanceTimersByTimeAsync(10_000);
		expectGapsNear(await startTimes(gate, 3, origin, 1100), spacingBelow(5));
	});

	it('a rise that meets a 429 goes back to the pace before it, and the next rise waits twice as long', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		await startThenReject(gate, 5, 4);
		await jest.advanceTimersByTimeAsync(7000);
		await startThenReject(gate, 5, 4);
		// Open from 8.1 s: the pace rises at 28.1 s, to 4.9 a second…
		await jest.advanceTimersByTimeAsync(21_000);
		const risen = await startTimes(gate, 3, origin, 1000);
		expectGapsNear(risen, 1000 / (4 * 0.975 + 1));
		// …and its last start is rejected, while one a second more than the rate KOMOJU let through before.
		risen.slice(0, 2).forEach((time) => gate.answered(origin + time));
		gate.closeFor(1000, origin + risen[2]);
		await jest.advanceTimersByTimeAsync(1000);
		const reopened = Date.now() - origin;
		// Back to 3.9 a second, not lower…
		expectGapsNear(await startTimes(gate, 3, origin, 1000), spacingBelow(4));
		// …still so 20 s later…
		await jest.advanceTimersByTimeAsync(reopened + 21_000 - (Date.now() - origin));
		expectGapsNear(await startTimes(gate, 3, origin, 1000), spacingBelow(4));
		// …and 40 s after the gate reopened, the next rise.
		await jest.advanceTimersByTimeAsync(reopened + 40_500 - (Date.now() - origin));
		expectGapsNear(await startTimes(gate, 3, origin, 1000), 1000 / (4 * 0.975 + 1));
	});

	it('a 429 met while paced lowers the pace a step but confirms nothing: the hold still ends after 5 s', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Ten answered, the eleventh rejected at 100 ms: 9.75 a second from 1110 until 6110…
		await startThenReject(gate, 11, 10);
		const paced = await startTimes(gate, 10, origin, 2100);
		expectGapsNear(paced, spacingBelow(10));
		// …where nine are answered and the tenth is rejected: a rate met at the node's own pace.
		paced.slice(0, 9).forEach((time) => gate.answered(origin + time));
		gate.closeFor(0, origin + paced[9]);
		await jest.advanceTimersByTimeAsync(5000);
		const later = Date.now() - origin;
		expect(later).toBeGreaterThan(6110);
		expect(await startTimes(gate, 3, origin, 100)).toEqual([later, later, later]);
	});

	it('a 429 met at a confirmed pace lowers it by 2.5 %, twice at most per lesson; after that the pace ends 5 s after the gate reopens', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		await startThenReject(gate, 5, 4);
		await jest.advanceTimersByTimeAsync(7000);
		await startThenReject(gate, 5, 4);
		await jest.advanceTimersByTimeAsync(1000);
		/** Starts `count` requests at the pace, then a 429 (Retry-After 0) for the last one; returns their times. */
		const pacedThenRejected = async (count: number) => {
			const times = await startTimes(gate, count, origin, 1000);
			gate.closeFor(0, origin + times[count - 1]);
			return times;
		};
		expectGapsNear(await pacedThenRejected(3), spacingBelow(4));
		expectGapsNear(await pacedThenRejected(3), spacingBelow(4) / 0.975);
		expectGapsNear(await pacedThenRejected(3), spacingBelow(4) / 0.975 ** 2);
		// The third did not lower it again: pacing does not stop these 429s…
		const released = Date.now() - origin;
		expectGapsNear(await startTimes(gate, 3, origin, 1000), spacingBelow(4) / 0.975 ** 2);
		// …so 5 s after it the node goes at full speed again.
		await jest.advanceTimersByTimeAsync(released + 5000 - (Date.now() - origin));
		const later = Date.now() - origin;
		expect(await startTimes(gate, 3, origin, 100)).toEqual([later, later, later]);
		// There the limit is met again and confirmed, and a 429 at that pace lowers it a step once more.
		await startThenReject(gate, 5, 4);
		await jest.advanceTimersByTimeAsync(1000);
		expectGapsNear(await pacedThenRejected(3), spacingBelow(4));
		expectGapsNear(await startTimes(gate, 3, origin, 1000), spacingBelow(4) / 0.975);
	});

	it('requests sent before a 429 came back teach nothing more: they belong to the burst it was learnt from', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Ten answered, 100 ms apart from 0 to 900; the eleventh, sent at 950, rejected…
		for (let index = 0; index < 10; index++) {
			gate.answered(await gate.passThrough());
			await jest.advanceTimersByTimeAsync(index < 9 ? 100 : 50);
		}
		const rejected = await gate.passThrough();
		await jest.advanceTimersByTimeAsync(70);
		const inFlight = await gate.passThrough();
		// …its 429 back at 1030: 9.75 a second…
		await jest.advanceTimersByTimeAsync(10);
		gate.closeFor(1000, rejected);
		// …and the one sent at 1020 rejected too: only nine were answered in its second, but the pace stays.
		await jest.advanceTimersByTimeAsync(30);
		gate.closeFor(1000, inFlight);
		expectGapsNear(await startTimes(gate, 4, origin, 1500), spacingBelow(10));
	});

	it('a 429 in a slow moment never teaches less than a second without a 429 showed', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// 10 answered within one second, none rejected…
		for (let index = 0; index < 10; index++) {
			gate.answered(await gate.passThrough());
			await jest.advanceTimersByTimeAsync(50);
		}
		// …then, at 6 s, a 429 when only 2 had been answered in the second before it (random, not a limit):
		await jest.advanceTimersByTimeAsync(5500);
		await startThenReject(gate, 3, 2, 0, 100);
		// The pace is 97.5 % of 9 (the 10 counted, less the one a second's edges can add), not of 2.
		expectGapsNear(await startTimes(gate, 4, origin, 1000), spacingBelow(9));
	});

	it('learns from answered requests only: requests rejected or still in flight do not count as let through', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Three answered, the fourth rejected, four more still without an answer: 2.925 a second.
		await startThenReject(gate, 8, 3);
		const times = await startTimes(gate, 3, origin, 3000);
		expect(times[0]).toBe(1080);
		expectGapsNear(times, spacingBelow(3));
	});

	it('a start a little late for its turn keeps the turn, so lateness does not add up; a long delay starts afresh', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		await startThenReject(gate, 5, 4);
		const spacing = spacingBelow(4);
		await jest.advanceTimersByTimeAsync(1050 - (Date.now() - origin));
		const first = (await gate.passThrough()) - origin;
		// The next turn is at first + spacing; this start comes 5 to 6 ms after it…
		await jest.advanceTimersByTimeAsync(Math.ceil(spacing) + 5);
		await gate.passThrough();
		// …and the one after keeps to the turns: two spacings after the first, not one after the late start.
		const [onTime] = await startTimes(gate, 1, origin, 300);
		expect(Math.abs(onTime - first - 2 * spacing)).toBeLessThanOrEqual(1);
		// 50 ms late is not lateness but a pause: the next turn is a spacing after it.
		await jest.advanceTimersByTimeAsync(first + 3 * spacing + 50 - (Date.now() - origin));
		const paused = (await gate.passThrough()) - origin;
		const [afterPause] = await startTimes(gate, 1, origin, 300);
		expect(Math.abs(afterPause - paused - spacing)).toBeLessThanOrEqual(1);
	});
});
