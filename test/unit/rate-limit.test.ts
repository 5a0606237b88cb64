import { RateLimitGate } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport/rate-limit';

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** When each passThrough() resolved, relative to the start of the test. */
async function startTimes(gate: RateLimitGate, count: number, origin: number): Promise<number[]> {
	const times: number[] = [];
	const waiting = Array.from({ length: count }, () => gate.passThrough().then(() => times.push(Date.now() - origin)));
	await jest.advanceTimersByTimeAsync(60_000);
	await Promise.all(waiting);
	return times;
}

describe('RateLimitGate', () => {
	it('lets requests through at once while no 429 was seen', async () => {
		expect(await startTimes(new RateLimitGate(), 5, Date.now())).toEqual([0, 0, 0, 0, 0]);
	});

	it('after a 429, holds everyone for Retry-After, then spaces starts below the rate that got through', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		const starts = [];
		for (let index = 0; index < 5; index++) {
			starts.push(await gate.passThrough());
			await jest.advanceTimersByTimeAsync(10);
		}
		// The fifth was rejected: four got through in the second before it, so the pace is 3 a second.
		gate.closeFor(1000, starts[4]);
		const times = await startTimes(gate, 4, origin);
		expect(times[0]).toBe(1050);
		for (let index = 1; index < times.length; index++) {
			expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(333);
			expect(times[index] - times[index - 1]).toBeLessThanOrEqual(335);
		}
	});

	it('stops pacing a few seconds after the last 429, so a rate learnt in a slow moment cannot slow the whole run', async () => {
		const gate = new RateLimitGate();
		const origin = Date.now();
		const starts = [];
		for (let index = 0; index < 3; index++) {
			starts.push(await gate.passThrough());
			await jest.advanceTimersByTimeAsync(10);
		}
		// Two got through before the rejected one: 1 a second while the pace holds…
		gate.closeFor(1000, starts[2]);
		expect(await startTimes(gate, 2, origin)).toEqual([1030, 2030]);
		// …which ends 5 s after the gate reopened; then everyone goes at once again.
		await jest.advanceTimersByTimeAsync(5000);
		const later = Date.now() - origin;
		expect(await startTimes(gate, 3, origin)).toEqual([later, later, later]);
	});
});
