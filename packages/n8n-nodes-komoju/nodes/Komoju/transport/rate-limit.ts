import { sleep } from 'n8n-workflow';

/** How many recent answered and rejected start times the gate keeps to learn the allowed rate from. */
const REMEMBERED_STARTS = 1000;

/**
 * How long a pace learnt from one 429 holds. One 429 can come from a slow moment or a hiccup
 * and teach a rate far too low, so its lesson ends by itself; a second 429 met at full speed
 * (after the hold) that teaches about the same rate confirms a limit, and that pace then holds
 * for the rest of the run. A 429 met while paced confirms nothing: at its own pace the node
 * would only relearn that pace (see MOST_STEPS_DOWN).
 */
const UNCONFIRMED_PACE_MS = 5000;

/** Two lessons within this factor of each other describe the same limit. */
const SAME_LIMIT = 1.25;

/**
 * The pace, as a share of the rate a 429 showed KOMOJU allows. Evenly spaced starts at 97.5 %
 * of a limit leave 25 ms a second for network and timer jitter, at any rate; "one a second
 * less" left 53 ms at 20/s, for 5 % of the run's time, and only 10 ms at 100/s.
 */
const PACE_BELOW_LIMIT = 0.975;

/**
 * How long a confirmed pace must first go without a 429 before it rises by one start a second:
 * a limit KOMOJU raised is found again. A rise that meets a 429 goes back down, and the next
 * one waits twice as long, so a limit that stayed where it was costs fewer and fewer 429s.
 */
const RISE_AFTER_MS = 20_000;

/**
 * How many times a 429 met while paced (not after a rise) lowers the pace, by one step of
 * PACE_BELOW_LIMIT each: the margin was too thin for this connection's jitter. A further one means
 * pacing does not stop these 429s, so they say nothing about a rate: the pace then ends
 * UNCONFIRMED_PACE_MS after the gate reopens, as a first lesson's does. So random 429s can
 * lower a pace by at most two steps, never to a crawl.
 */
const MOST_STEPS_DOWN = 2;

/**
 * A start up to this late for its turn keeps the turn's place, so the timers' lateness (a
 * millisecond or more each) does not add up to a slower pace; two starts then come at most this
 * much closer together than the pace, well within PACE_BELOW_LIMIT's 25 ms a second.
 */
const LATENESS_FORGIVEN_MS = 10;

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
 * A 429 met at full speed never teaches a pace below what the most requests one second without
 * any 429 let through in this run show, and one met while paced lowers the pace by a small step
 * at most twice (MOST_STEPS_DOWN): a 429 that does not come from a rate limit (a hiccup, a slow
 * moment with few requests sent) would otherwise lower the pace each time, until the run crawls.
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
	private riseAfterMs = RISE_AFTER_MS;
	/** Set from a rise until the next 429: the pace before the latest rise. */
	private paceBeforeRise: number | undefined;
	/** When the last 429 that taught something came back. */
	private lastLessonAt = 0;
	/** Steps down since the last lesson: see MOST_STEPS_DOWN. */
	private stepsDown = 0;

	/** A request started at `startedAt` was answered with something other than a 429. */
	answered(startedAt: number): void {
		remember(this.answeredStarts, startedAt);
	}

	/** `rejectedStartedAt`: when the request that got the 429 was sent. */
	closeFor(ms: number, rejectedStartedAt: number, now = Date.now()): void {
		this.reopensAt = Math.max(this.reopensAt, now + ms);
		this.quietSince = this.reopensAt;
		remember(this.rejectedStarts, rejectedStartedAt);
		// Sent before the last lesson's 429 came back: part of the burst that lesson was learnt from.
		if (rejectedStartedAt < this.lastLessonAt) return;
		this.lastLessonAt = now;
		this.provenPerSecond = Math.max(this.provenPerSecond, this.mostAnsweredInASecondWithoutA429());
		if (rejectedStartedAt < this.pacedUntil) {
			this.metWhilePaced();
			return;
		}
		const letThrough = this.answeredStarts.filter((startedAt) => startedAt > rejectedStartedAt - 1000 && startedAt < rejectedStartedAt).length;
		// Counted in one second, the requests a 429-free second let through can be one too many at its edges.
		const lesson = Math.max(letThrough, this.provenPerSecond - 1) * PACE_BELOW_LIMIT;
		if (lesson < 1) return;
		this.stepsDown = 0;
		const last = this.lastFullSpeedLesson;
		this.lastFullSpeedLesson = lesson;
		const confirmed = lesson * SAME_LIMIT >= last && lesson <= last * SAME_LIMIT;
		// Each count can miss a request at its second's edges: the higher of the two lessons.
		this.startsPerSecond = confirmed ? Math.max(lesson, last) : lesson;
		this.pacedUntil = confirmed ? Infinity : this.reopensAt + UNCONFIRMED_PACE_MS;
	}

	private metWhilePaced(): void {
		if (this.paceBeforeRise !== undefined) {
			// The rise met the limit: back to the pace that held a whole rise window without a 429.
			this.startsPerSecond = this.paceBeforeRise;
			this.paceBeforeRise = undefined;
			this.riseAfterMs *= 2;
		} else if (this.stepsDown < MOST_STEPS_DOWN) {
			this.stepsDown++;
			this.startsPerSecond *= PACE_BELOW_LIMIT;
		} else {
			this.pacedUntil = Math.min(this.pacedUntil, this.reopensAt + UNCONFIRMED_PACE_MS);
		}
	}

	/** Waits until the gate is open and it is this request's turn; returns the start time. */
	async passThrough(): Promise<number> {
		for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await sleep(wait);
		const startedAt = Date.now();
		const turn = startedAt - this.nextStartAt <= LATENESS_FORGIVEN_MS ? this.nextStartAt : startedAt;
		// Claimed at once, so parallel requests waking together take consecutive turns.
		this.nextStartAt = turn + 1000 / this.pace(startedAt);
		return startedAt;
	}

	private pace(now: number): number {
		if (now >= this.pacedUntil) return Infinity;
		const rises = Math.floor((now - this.quietSince) / this.riseAfterMs);
		if (rises > 0) {
			this.paceBeforeRise = this.startsPerSecond;
			this.startsPerSecond += rises;
			this.quietSince += rises * this.riseAfterMs;
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
