/**
 * Waits for a condition the test can observe (a recorded request, a delivery attempt, a held
 * request at a barrier), checking every few milliseconds. The bound only turns "never" into a
 * failure with a message; nothing is decided by how long things took.
 */
export async function waitUntil<T>(
	what: string,
	probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
	timeoutMs = 10_000,
	/** Between two checks; a probe that asks a server over HTTP wants a longer pause. */
	pauseMs = 5,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== null && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, pauseMs));
	}
}
