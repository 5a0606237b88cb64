import { sleep } from 'n8n-workflow';

/**
 * One per node run, shared by all its parallel requests: a 429 closes it for everyone until
 * KOMOJU's Retry-After has passed, so the node slows down as a whole instead of each request
 * meeting the limit on its own.
 */
export class RateLimitGate {
	private reopensAt = 0;

	closeFor(ms: number, now = Date.now()): void {
		this.reopensAt = Math.max(this.reopensAt, now + ms);
	}

	/** Resolves once the gate is open; re-checks, since another 429 may have closed it again. */
	async passThrough(): Promise<void> {
		for (let wait = this.reopensAt - Date.now(); wait > 0; wait = this.reopensAt - Date.now()) {
			await sleep(wait);
		}
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
