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
/** Where a customer's own bank account number sits: a refund request's account to pay back into. */
const BANK_ACCOUNT_CONTAINERS = new Set(['refund_requests']);

type Inside = 'card' | 'bankAccount' | undefined;

/** A bank account number masked like a card's, its last three digits kept so a person can tell accounts apart. */
function maskAccountNumber(value: unknown): unknown {
	if (value === null || value === undefined) return value;
	const digits = String(value).replace(/\D/g, '');
	return `••••${digits.slice(-3)}`;
}

/**
 * A copy of a KOMOJU object without card numbers or CVCs in its card parts (`payment_details`,
 * `source`, `card`, at any depth) and with the customer's account number masked in refund
 * requests, so no output can carry them even if an API answer did. (A bank transfer's
 * `payment_details.account_number` is the account the customer pays into, and stays.)
 */
export function scrubCardData<T>(value: T, inside: Inside = undefined): T {
	if (Array.isArray(value)) return value.map((entry) => scrubCardData(entry, inside)) as T;
	if (typeof value !== 'object' || value === null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		if (inside === 'card' && CARD_SECRET_KEYS.has(key)) continue;
		if (inside === 'bankAccount' && key === 'account_number') {
			copy[key] = maskAccountNumber(entry);
			continue;
		}
		const next: Inside = CARD_CONTAINERS.has(key) ? 'card' : BANK_ACCOUNT_CONTAINERS.has(key) ? 'bankAccount' : undefined;
		copy[key] = scrubCardData(entry, next);
	}
	return copy as T;
}
