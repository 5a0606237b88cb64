import { sleep } from 'n8n-workflow';

/** How many recent answered and rejected start times the gate keeps to learn the allowed rate from. */
const REMEMBERED_STARTS = 1000;

/**
 * How long a pace learnt from one 429 holds. One 429 can come from a slow moment or a hiccup
 * and teach a rate far too low, so its lesson ends by itself; a second 429 met at full speed
 * (after the hold) that teaches about the same rate confirms a limit, and that pace then holds
 * for the rest of the run. A 429 met while paced lowers the pace but confirms nothing: at its
 * own pace the node would only relearn that pace.
 */
const UNCONFIRMED_PACE_MS = 5000;

/** Two lessons within this factor of each other describe the same limit. */
const SAME_LIMIT = 1.25;

/**
 * How long a confirmed pace must go without a 429 before it rises by one start a second: a
 * limit KOMOJU raised is found again, at the cost of at most one 429 per rise.
 */
const RISE_AFTER_MS = 20_000;

function remember(list: number[], startedAt: number): void {
	list.push(startedAt);
	if (list.length > REMEMBERED_STARTS) list.shift();
}

/**
 * One per node run, shared by all its parallel requests. A 429 closes it for everyone until
 * KOMOJU's Retry-After has passed, and teaches it the rate KOMOJU let through: the requests
 * answered (not with 429) among those started in the second before the rejected one. From then
 * on it spaces starts evenly just below that rate, so the node neither bursts into the limit
 * again after every wait nor bunches up (for a while, or for the run once a second 429 has
 * confirmed the limit: see UNCONFIRMED_PACE_MS).
 *
 * A 429 never teaches a pace below the most requests one second without any 429 let through
 * in this run: a 429 that does not come from a rate limit (a hiccup, a slow moment with few
 * requests sent) would otherwise lower the pace by one each time, until the run crawls.
 */
export class RateLimitGate {
	private reopensAt = 0;
	private answeredStarts: number[] = [];
	private rejectedStarts: number[] = [];
	private provenPerSecond = 0;
	private startsPerSecond = Infinity;
	private pacedUntil = 0;
	/** What the last 429 met at full speed taught. */
	private lastFullSpeedLesson = 0;
	private nextStartAt = 0;
	private quietSince = 0;

	/** A request started at `startedAt` was answered with something other than a 429. */
	answered(startedAt: number): void {
		remember(this.answeredStarts, startedAt);
	}

	/** `rejectedStartedAt`: when the request that got the 429 was sent. */
	closeFor(ms: number, rejectedStartedAt: number, now = Date.now()): void {
		this.reopensAt = Math.max(this.reopensAt, now + ms);
		this.quietSince = this.reopensAt;
		remember(this.rejectedStarts, rejectedStartedAt);
		this.provenPerSecond = Math.max(this.provenPerSecond, this.mostAnsweredInASecondWithoutA429());
		const letThrough = this.answeredStarts.filter((startedAt) => startedAt > rejectedStartedAt - 1000 && startedAt < rejectedStartedAt).length;
		const lesson = Math.max(letThrough, this.provenPerSecond) - 1;
		if (lesson < 1) return;
		const paced = rejectedStartedAt < this.pacedUntil;
		this.startsPerSecond = paced ? Math.min(this.startsPerSecond, lesson) : lesson;
		if (paced) return;
		const last = this.lastFullSpeedLesson;
		this.lastFullSpeedLesson = lesson;
		this.pacedUntil = lesson * SAME_LIMIT >= last && lesson <= last * SAME_LIMIT ? Infinity : this.reopensAt + UNCONFIRMED_PACE_MS;
	}

	/** Waits until the gate is open and it is this request's turn; returns the start time. */
	async passThrough(): Promise<number> {
		for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await sleep(wait);
		const startedAt = Date.now();
		// Claimed at once, so parallel requests waking together take consecutive turns.
		this.nextStartAt = startedAt + 1000 / this.pace(startedAt);
		return startedAt;
	}

	private pace(now: number): number {
		if (now >= this.pacedUntil) return Infinity;
		const rises = Math.floor((now - this.quietSince) / RISE_AFTER_MS);
		if (rises > 0) {
			this.startsPerSecond += rises;
			this.quietSince += rises * RISE_AFTER_MS;
		}
		return this.startsPerSecond;
	}

	/** Over the remembered starts: the most answered ones in a second that holds no rejected one. */
	private mostAnsweredInASecondWithoutA429(): number {
		const ascending = (a: number, b: number) => a - b;
		const answered = [...this.answeredStarts].sort(ascending);
		const rejected = [...this.rejectedStarts].sort(ascending);
		let most = 0;
		let end = 0;
		let nextRejected = 0;
		for (let first = 0; first < answered.length; first++) {
			const windowEnd = answered[first] + 1000;
			while (end < answered.length && answered[end] < windowEnd) end++;
			while (nextRejected < rejected.length && rejected[nextRejected] < answered[first]) nextRejected++;
			const clean = nextRejected === rejected.length || rejected[nextRejected] >= windowEnd;
			if (clean) most = Math.max(most, end - first);
		}
		return most;
	}

	private waitMs(): number {
		return Math.max(this.reopensAt, this.nextStartAt) - Date.now();
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
