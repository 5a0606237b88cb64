/** Card-number-like digit runs (12 to 19 digits, optionally split by spaces or dashes). */
const CARD_NUMBER_PATTERN = /\b(?:\d[ -]?){11,18}\d\b/g;

/** Masks anything that looks like a card number, keeping the last four digits. */
export function redactCardNumbers(text: string): string {
	return text.replace(CARD_NUMBER_PATTERN, (match) => {
		const digits = match.replace(/\D/g, '');
		return `••••${digits.slice(-4)}`;
	});
}
