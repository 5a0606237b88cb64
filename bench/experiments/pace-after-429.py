# Experiment: after the first 429, pace the node at the rate KOMOJU let through instead of
# bursting after each Retry-After. The gate remembers when requests started; on a 429 it counts
# how many started in the second before the rejected one (what the limit allowed) and from then
# on lets at most that many minus one start in any rolling second.
p = 'nodes/Komoju/transport/rate-limit.ts'
s = open(p).read()
start = s.index('export class RateLimitGate {')
end = s.index('// Keyed by n8n')
s = s[:start] + '''export class RateLimitGate {
	private reopensAt = 0;
	private starts: number[] = [];
	private perSecond = Infinity;

	/** `startedAt`: when the rejected request was sent (learns the allowed rate from it). */
	closeFor(ms: number, now = Date.now(), startedAt = now): void {
		this.reopensAt = Math.max(this.reopensAt, now + ms);
		const allowed = this.starts.filter((t) => t > startedAt - 1000 && t < startedAt).length;
		if (allowed > 0) this.perSecond = Math.max(1, Math.min(this.perSecond, allowed - 1));
	}

	/** Resolves once the gate is open and the pace allows another start; returns the start time. */
	async passThrough(): Promise<number> {
		for (;;) {
			const now = Date.now();
			let wait = this.reopensAt - now;
			if (wait <= 0 && this.perSecond !== Infinity) {
				this.starts = this.starts.filter((t) => t > now - 1000);
				if (this.starts.length >= this.perSecond) wait = this.starts[0] + 1000 - now + 1;
			}
			if (wait <= 0) break;
			await sleep(wait);
		}
		const started = Date.now();
		this.starts.push(started);
		if (this.starts.length > 1000) this.starts.splice(0, this.starts.length - 1000);
		return started;
	}
}

''' + s[end:]
open(p, 'w').write(s)

p = 'nodes/Komoju/transport/request.ts'
s = open(p).read()
assert '\t\tawait gate.passThrough();' in s
s = s.replace('\t\tawait gate.passThrough();', '\t\tconst startedAt = await gate.passThrough();')
s = s.replace('if (attempt.failure.status === 429) gate.closeFor(delay);', 'if (attempt.failure.status === 429) gate.closeFor(delay, Date.now(), startedAt);')
open(p, 'w').write(s)
