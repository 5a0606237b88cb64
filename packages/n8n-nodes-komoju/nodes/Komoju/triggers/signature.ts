import { createHmac, timingSafeEqual } from 'crypto';

// KOMOJU signs with HMAC-SHA256 as lowercase hex, so anything else cannot be a valid signature.
const SIGNATURE_FORMAT = /^[0-9a-f]{64}$/;

export function computeSignature(rawBody: Buffer, secret: string): string {
	return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * True only when `header` is the lowercase hex HMAC-SHA256 of the raw body keyed with `secret`.
 * The comparison is constant-time; an empty secret never verifies anything.
 */
export function verifySignature(
	rawBody: Buffer,
	header: string | string[] | undefined,
	secret: string,
): boolean {
	if (secret === '' || typeof header !== 'string' || !SIGNATURE_FORMAT.test(header)) return false;
	const expected = Buffer.from(computeSignature(rawBody, secret), 'utf8');
	const received = Buffer.from(header, 'utf8');
	// timingSafeEqual throws on different lengths; the format check makes both 64 bytes.
	return expected.length === received.length && timingSafeEqual(expected, received);
}
