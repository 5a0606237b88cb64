/**
 * Looking for card data in what a test can see, so that a random value cannot match by chance
 * while a real leak still does.
 *
 * A card number (12 digits or more) is searched as a plain substring of every string (and of
 * every number written out): no id, hex idempotency key, timestamp or duration holds such a run
 * of digits by chance.
 *
 * A CVC (3 or 4 digits) is not: those digits turn up inside random ids (`k3987x…`), hex keys
 * (`…a987f…`), millisecond timestamps (`1764…987…`) and durations. So a short secret counts
 *   - in a string, as a token of its own, with no letter, digit or hyphen right before or after
 *     it, and not as a part of a number or time (`.`, `:` or `,` with a digit on its other side):
 *     `"verification_value":"987"`, `cvc=987`, `CVC 987 was refused.` all count; `a987f`,
 *     `1764598798712`, a UUID group (`-1234-`), a date (`2026-11-29`) and the milliseconds of
 *     `15:09:35.987+09:00` do not. In a `stack`,
 *     the frame lines (`    at f (file.js:987:12)`) are skipped; the message line above them is
 *     searched like any text;
 *   - as a number, only under a key that names card data (`verification_value: 987`), since
 *     durations and timestamps are numbers too;
 *   - as an object key.
 * Values are walked as data (parse JSON text first), so a request body kept as a JSON string
 * inside an error is searched with its quotes unescaped.
 */

const LONG_SECRET = 12;
const CARD_DATA_KEY = /cvc|cvv|verification|security_?code|card_?number|^number$/i;
/** Keys whose values are never card data and can equal a CVC: a body of 987 bytes has `content-length: "987"`. */
const IGNORED_KEYS = new Set(['content-length']);

function withoutStackFrames(stack: string): string {
	return stack
		.split('\n')
		.filter((line) => !/^\s+at\s/.test(line))
		.join('\n');
}

function excerpt(text: string, index: number, length: number): string {
	return JSON.stringify(text.slice(Math.max(0, index - 30), index + length + 30));
}

/** Where the secrets occur in `value`: one line per find (path and context), [] when none does. */
export function secretLeaks(value: unknown, secrets: readonly string[]): string[] {
	const found: string[] = [];
	const checks = secrets.map((secret) => {
		const long = secret.length >= LONG_SECRET;
		// Not next to a letter, digit or hyphen, and not the fraction or a part of a number or time
		// (`35.987+09:00`, `1.987`, `12:987`): a "." or ":" or "," with a digit on its other side.
		const token = new RegExp(
			`(?<![0-9A-Za-z-])(?<![0-9][.:,])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z-])(?![.:,][0-9])`,
		);
		const indexIn = (text: string) => (long ? text.indexOf(secret) : (token.exec(text)?.index ?? -1));
		return { secret, long, indexIn };
	});
	const seen = new WeakSet<object>();

	const visit = (item: unknown, path: string, key: string): void => {
		if (IGNORED_KEYS.has(key.toLowerCase())) return;
		if (typeof item === 'string') {
			const text = key === 'stack' ? withoutStackFrames(item) : item;
			for (const { secret, indexIn } of checks) {
				const at = indexIn(text);
				if (at >= 0) found.push(`${path} holds ${secret}: ${excerpt(text, at, secret.length)}`);
			}
		} else if (typeof item === 'number' || typeof item === 'bigint') {
			const written = String(item);
			for (const { secret, long } of checks) {
				if (long ? written.includes(secret) : written === secret && CARD_DATA_KEY.test(key)) found.push(`${path} is ${written}`);
			}
		} else if (item !== null && typeof item === 'object') {
			if (seen.has(item)) return;
			seen.add(item);
			const entries: Array<[string, unknown]> = Array.isArray(item)
				? item.map((element, index) => [String(index), element])
				: Object.entries(item);
			for (const [childKey, child] of entries) {
				const childPath = Array.isArray(item) ? `${path}[${childKey}]` : `${path}.${childKey}`;
				if (!Array.isArray(item)) {
					for (const { secret, indexIn } of checks) if (indexIn(childKey) >= 0) found.push(`${childPath}: the key holds ${secret}`);
				}
				visit(child, childPath, Array.isArray(item) ? key : childKey);
			}
		}
	};
	visit(value, '$', '');
	return found;
}
