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
 * Starts `count` requests 10 ms apart, the first `answered` of them answered, the one after those
 * rejected with a 429 (Retry-After `retryAfterMs`); the rest stay in flight.
 */
async function startThenReject(gate: RateLimitGate, count: number, answered: number, retryAfterMs = 1000): Promise<void> {
	const starts = [];
	for (let index = 0; index < count; index++) {
		starts.push(await gate.passThrough());
		await jest.advanceTimersByTimeAsync(10);
	}
	starts.slice(0, answered).forEach((startedAt) => gate.answered(startedAt));
	gate.closeFor(retryAfterMs, starts[answered]);
}

describe('RateLimitGate', () => {
	it('lets requests through at once while no 429 was seen', async () => {
		expect(await startTimes(new RateLimitGate(), 5, Date.now())).toEqual([0, 0, 0, 0, 0]);
	});

	it('after a 429, holds everyone for Retry-After, then spaces starts below the rate that got through', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// The fifth was rejected: four got through in the second before it, so the pace is 3 a second.
		await startThenReject(gate, 5, 4);
		const times = await startTimes(gate, 4, origin);
		expect(times[0]).toBe(1050);
		for (let index = 1; index < times.length; index++) {
			expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(333);
			expect(times[index] - times[index - 1]).toBeLessThanOrEqual(335);
		}
	});

	it('stops pacing 5 s after a single 429, so a rate learnt in a slow moment cannot slow the whole run', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Two got through before the rejected one: 1 a second, from when the gate reopens (1030)…
		await startThenReject(gate, 3, 2);
		expect(await startTimes(gate, 2, origin, 2100)).toEqual([1030, 2030]);
		// …until 5 s after it reopened; then everyone goes at once again.
		await jest.advanceTimersByTimeAsync(4000);
		expect(await startTimes(gate, 3, origin, 100)).toEqual([6130, 6130, 6130]);
	});

	it('a second 429 teaching the same rate keeps the pace for the run, rising by one after each 20 s without a 429', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		await startThenReject(gate, 3, 2);
		await jest.advanceTimersByTimeAsync(7000);
		// 7 s later, unpaced again, the limit is hit again at the same rate: 1 a second from 8060…
		await startThenReject(gate, 3, 2);
		expect(await startTimes(gate, 2, origin, 2100)).toEqual([8060, 9060]);
		// …still 10 s later…
		await jest.advanceTimersByTimeAsync(10_000);
		expect(await startTimes(gate, 2, origin, 1100)).toEqual([19160, 20160]);
		// …and 2 a second once the gate has been open 20 s without a 429.
		await jest.advanceTimersByTimeAsync(8000);
		expect(await startTimes(gate, 3, origin, 1100)).toEqual([28260, 28760, 29260]);
	});

	it('a 429 met while paced lowers the pace but confirms nothing: the hold still ends after 5 s', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Ten answered, the eleventh rejected at 100 ms: 9 a second from 1110 until 6110…
		await startThenReject(gate, 11, 10);
		const paced = await startTimes(gate, 10, origin, 2100);
		expect(paced[1] - paced[0]).toBeGreaterThanOrEqual(111);
		// …where nine are answered and the tenth is rejected: the same rate again, but met at the node's own pace.
		paced.slice(0, 9).forEach((time) => gate.answered(origin + time));
		gate.closeFor(0, origin + paced[9]);
		await jest.advanceTimersByTimeAsync(5000);
		const later = Date.now() - origin;
		expect(later).toBeGreaterThan(6110);
		expect(await startTimes(gate, 3, origin, 100)).toEqual([later, later, later]);
	});

	it('a 429 in a slow moment never teaches less than a second without a 429 let through', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// 10 answered within one second, none rejected…
		for (let index = 0; index < 10; index++) {
			gate.answered(await gate.passThrough());
			await jest.advanceTimersByTimeAsync(50);
		}
		// …then, at 6 s, a 429 when only 2 had been answered in the second before it (random, not a limit):
		await jest.advanceTimersByTimeAsync(5500);
		const slow = [];
		for (let index = 0; index < 3; index++) {
			slow.push(await gate.passThrough());
			await jest.advanceTimersByTimeAsync(100);
		}
		slow.slice(0, 2).forEach((startedAt) => gate.answered(startedAt));
		gate.closeFor(0, slow[2]);
		// the pace is 9 a second (the 10 proven, minus one), not 1.
		const times = await startTimes(gate, 4, origin, 1000);
		for (let index = 1; index < times.length; index++) {
			expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(111);
			expect(times[index] - times[index - 1]).toBeLessThanOrEqual(113);
		}
	});

	it('learns from answered requests only: requests rejected or still in flight do not count as let through', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		// Three answered, the fourth rejected, four more still without an answer: 2 a second.
		await startThenReject(gate, 8, 3);
		expect(await startTimes(gate, 3, origin, 3000)).toEqual([1080, 1580, 2080]);
	});
});
