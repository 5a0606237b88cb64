import { sleep } from 'n8n-workflow';

/**
 * Bounded polling: asks again while the last answer is still pending, pausing as `pauseMs` says
 * but never past the deadline, and returns the last answer when it is final or time is up.
 */
export async function pollWhile<T>(
	fetchOnce: () => Promise<T>,
	isPending: (last: T) => boolean,
	timeoutMs: number,
	pauseMs: (last: T) => number,
): Promise<T> {
	let last = await fetchOnce();
	const deadline = Date.now() + timeoutMs;
	while (isPending(last)) {
		const remaining = deadline - Date.now();
		if (remaining <= 0) break;
		await sleep(Math.min(pauseMs(last), remaining));
		last = await fetchOnce();
	}
	return last;
}
