import { sleep } from 'n8n-workflow';

/** How many recent start times the gate keeps to learn the allowed rate from. */
const REMEMBERED_STARTS = 1000;

/**
 * How long the pace holds after the last 429. A 429 can also come while few requests were
 * sent (a slow moment, a short outage), which would teach a rate far too low; the pace ends
 * by itself so that such a lesson cannot slow the rest of the run.
 */
const PACE_FOR_MS = 5000;

/**
 * One per node run, shared by all its parallel requests. A 429 closes it for everyone until
 * KOMOJU's Retry-After has passed, and teaches it the rate KOMOJU let through: the requests
 * started in the second before the rejected one. For a while after that it spaces starts evenly
 * just below that rate, so the node neither bursts into the limit again after every wait nor
 * bunches up.
 */
export class RateLimitGate {
	private reopensAt = 0;
	private recentStarts: number[] = [];
	private startsPerSecond = Infinity;
	private pacedUntil = 0;
	private nextStartAt = 0;

	/** `rejectedStartedAt`: when the request that got the 429 was sent. */
	closeFor(ms: number, rejectedStartedAt: number, now = Date.now()): void {
		this.reopensAt = Math.max(this.reopensAt, now + ms);
		const letThrough = this.recentStarts.filter(
			(startedAt) => startedAt > rejectedStartedAt - 1000 && startedAt < rejectedStartedAt,
		).length;
		if (letThrough > 1) {
			this.startsPerSecond = letThrough - 1;
			this.pacedUntil = this.reopensAt + PACE_FOR_MS;
		}
	}

	/** Waits until the gate is open and it is this request's turn; returns the start time. */
	async passThrough(): Promise<number> {
		for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await sleep(wait);
		const startedAt = Date.now();
		// Claimed at once, so parallel requests waking together take consecutive turns.
		if (startedAt < this.pacedUntil) this.nextStartAt = startedAt + 1000 / this.startsPerSecond;
		this.recentStarts.push(startedAt);
		if (this.recentStarts.length > REMEMBERED_STARTS) this.recentStarts.shift();
		return startedAt;
	}

	private waitMs(): number {
		const now = Date.now();
		const turn = now < this.pacedUntil ? this.nextStartAt : 0;
		return Math.max(this.reopensAt, turn) - now;
	}
}

// Keyed by n8n's context object, which lives exactly as long as one node run (or one poller).
const gates = new WeakMap<object, RateLimitGate>();

export function rateLimitGateFor(context: object): RateLimitGate {
	let gate = gates.get(context);
	if (!gate) {
		gate = new RateLimitGate();
		gates.set(context, gate);
	}
	return gate;
}
