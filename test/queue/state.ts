/** What scripts/queue-mode/run.sh started, read from the JSON file it names in KOMOJU_QUEUE_STATE. */
import { readFileSync } from 'node:fs';

export interface QueueState {
	runDir: string;
	main: { url: string; folder: string; log: string; owner: { email: string; password: string } };
	workers: Array<{ name: string; folder: string; log: string }>;
	sandboxUrl: string;
	/** How many times the 1,000-item workflow is started. */
	executions: number;
	concurrency: number;
}

export function loadQueueState(): QueueState {
	const file = process.env.KOMOJU_QUEUE_STATE;
	if (!file) throw new Error('KOMOJU_QUEUE_STATE is not set: run the queue-mode tests with bash scripts/queue-mode/run.sh');
	return JSON.parse(readFileSync(file, 'utf8')) as QueueState;
}

/** Execution ids a process's log says it ran: n8n's "Worker started execution <id> (job <n>)" lines. */
export function executionsStartedIn(log: string): string[] {
	return [...readFileSync(log, 'utf8').matchAll(/Worker started execution (\d+) \(job \S+\)/g)].map((m) => m[1]);
}

/** Execution ids the main put on the queue: "Enqueued execution <id> (job <n>)". */
export function executionsEnqueuedIn(log: string): string[] {
	return [...readFileSync(log, 'utf8').matchAll(/Enqueued execution (\d+) \(job \S+\)/g)].map((m) => m[1]);
}
