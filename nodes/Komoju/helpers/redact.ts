/**
 * Digit runs that may hold a card number: 12 or more digits, optionally split by single spaces
 * or dashes, also when glued to letters ("card4111…", "…1111x"). The whole run is matched, so
 * digits written just before a card ("order 123 4100 0000 …") or a longer run cannot hide one.
 */
const CARD_NUMBER_PATTERN = /(?<!\d)\d(?:[ -]?\d){11,}(?!\d)/g;

/** Masks anything that looks like a card number, keeping the last four digits. */
export function redactCardNumbers(text: string): string {
	return text.replace(CARD_NUMBER_PATTERN, (match) => {
		const digits = match.replace(/\D/g, '');
		return `••••${digits.slice(-4)}`;
	});
}

/** Keys that hold card secrets inside KOMOJU objects; KOMOJU scrubs them, the node makes sure. */
const CARD_SECRET_KEYS = new Set(['number', 'verification_value']);
const CARD_CONTAINERS = new Set(['payment_details', 'source', 'card']);

/**
 * A copy of a KOMOJU object without card numbers or CVCs in its card parts (`payment_details`,
 * `source`, `card`, at any depth), so no output can carry them even if an API answer did.
 */
export function scrubCardData<T>(value: T, insideCard = false): T {
	if (Array.isArray(value)) return value.map((entry) => scrubCardData(entry, insideCard)) as T;
	if (typeof value !== 'object' || value === null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		if (insideCard && CARD_SECRET_KEYS.has(key)) continue;
		copy[key] = scrubCardData(entry, CARD_CONTAINERS.has(key));
	}
	return copy as T;
}
