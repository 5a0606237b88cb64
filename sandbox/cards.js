// @ts-check
'use strict';

/**
 * KOMOJU's documented test cards (docs §7.1 and §7.2) and the validation of a
 * `payment_details` credit-card object. Only these numbers are accepted: any other
 * number, even a Luhn-valid one, is rejected with `invalid_number`.
 *
 * A parsed card keeps the full number in memory (a customer's stored card needs it),
 * but nothing here or in the callers ever puts it in a response, an error or the record.
 */

const { ApiError, invalid, missing, luhnValid } = require('./errors');
const { isPlainObject, rejectUnknown, optionalString, optionalEmail, optionalEnum, isBlank } = require('./validate');

/**
 * @typedef {'success_frictionless' | 'success_challenge' | 'failure_frictionless' | 'failure_challenge'} ThreeDsScenario
 * @typedef {{ kind: '3ds', scenario: ThreeDsScenario }
 *   | { kind: 'regular' }
 *   | { kind: 'decline', code: string, message: string, param: string | null }} CardBehaviour
 * @typedef {'visa' | 'master' | 'jcb' | 'american_express' | 'diners_club'} Brand
 * @typedef {{ brand: Brand, behaviour: CardBehaviour }} TestCard
 * @typedef {{
 *   number: string, brand: Brand, lastFour: string, month: number, year: number,
 *   name?: string, email?: string, behaviour: CardBehaviour, label: string
 * }} Card
 */

/** @type {Map<string, TestCard>} */
const TEST_CARDS = new Map();

/** @param {Brand} brand @param {ThreeDsScenario} scenario @param {string[]} numbers */
function threeDs(brand, scenario, numbers) {
	for (const n of numbers) TEST_CARDS.set(n, { brand, behaviour: { kind: '3ds', scenario } });
}
// §7.2: Visa, Mastercard, JCB
threeDs('visa', 'success_frictionless', ['4100000000000100']);
threeDs('master', 'success_frictionless', ['5100000000000107']);
threeDs('jcb', 'success_frictionless', ['3528000000000106']);
threeDs('visa', 'success_challenge', ['4100000000005000']);
threeDs('master', 'success_challenge', ['5100000000005007']);
threeDs('jcb', 'success_challenge', ['3528000000005006']);
threeDs('visa', 'failure_frictionless', ['4100000000500000']);
threeDs('master', 'failure_frictionless', ['5100000000500007']);
threeDs('jcb', 'failure_frictionless', ['3528000000500006']);
threeDs('visa', 'failure_challenge', ['4100000000300005']);
threeDs('master', 'failure_challenge', ['5100000000300002']);
threeDs('jcb', 'failure_challenge', ['3528000000300001']);

// §7.1: regular cards that succeed (3DS is not performed → SKIPPED)
/** @type {[string, Brand][]} */
const REGULAR = [
	['4111111111111111', 'visa'],
	['5555555555554444', 'master'],
	['3530111333300000', 'jcb'],
	['378282246310005', 'american_express'],
	['30569309025904', 'diners_club'],
];
for (const [n, brand] of REGULAR) TEST_CARDS.set(n, { brand, behaviour: { kind: 'regular' } });

// §7.1: regular cards that are declined (402 with the decline code)
/** @type {[string, string, string, string | null][]} */
const DECLINES = [
	['4123111111111000', 'insufficient_funds', 'The card has insufficient funds.', null],
	['4123111111111018', 'exceeds_limit', 'The amount exceeds the card limit.', null],
	['4123111111111034', 'bad_verification_value', 'The card verification value is incorrect.', 'payment_details.verification_value'],
	['4123111111111042', 'card_expired', 'The card has expired.', null],
	['4123111111111059', 'card_declined', 'The card cannot be used.', null],
	['4123111111111067', 'invalid_number', 'The card is invalid.', null],
];
for (const [n, code, message, param] of DECLINES) {
	TEST_CARDS.set(n, { brand: 'visa', behaviour: { kind: 'decline', code, message, param } });
}

const CARD_FIELDS = new Set([
	'type', 'number', 'month', 'year', 'verification_value', 'name', 'given_name', 'family_name', 'email',
	'expiry_days', 'initiator', 'usage', 'scheme_reference', 'installments', 'intent',
	...['billing', 'shipping'].flatMap((p) =>
		['name', 'line1', 'line2', 'city', 'state', 'zip', 'country'].map((s) => `${p}_address_${s}`),
	),
]);

/**
 * Integer from a number or a digit string ("08" is fine).
 * @param {unknown} v
 * @param {string} param
 * @param {RegExp} pattern for the string form
 */
function digitsOrInteger(v, param, pattern) {
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && pattern.test(v)) return Number(v);
	throw invalid(param);
}

/**
 * Is the card past its expiry month (UTC), by the sandbox clock?
 * @param {{ month: number, year: number }} card
 * @param {number} nowMs
 */
function isExpired(card, nowMs) {
	const now = new Date(nowMs);
	const y = now.getUTCFullYear();
	const m = now.getUTCMonth() + 1;
	return card.year < y || (card.year === y && card.month < m);
}

/** @param {{ month: number, year: number }} card @param {number} nowMs @param {string} param */
function assertNotExpired(card, nowMs, param) {
	if (isExpired(card, nowMs)) throw new ApiError(422, 'card_expired', 'The card has expired.', param);
}

/**
 * Validates a `payment_details` card object (secure tokens, customers).
 * Order: shape, type, number, month, year, expiry, verification_value, other fields, decline.
 * @param {unknown} pd
 * @param {number} nowMs
 * @returns {Card}
 */
function parseCard(pd, nowMs) {
	const p = 'payment_details';
	if (!isPlainObject(pd)) throw invalid(p, 'must be a credit card object');
	rejectUnknown(pd, CARD_FIELDS, `${p}.`);

	if (isBlank(pd.type)) throw missing(`${p}.type`);
	if (pd.type !== 'credit_card') throw invalid(`${p}.type`, 'the sandbox supports credit_card only');

	if (isBlank(pd.number)) throw missing(`${p}.number`);
	const number = pd.number;
	if (typeof number !== 'string' || !/^\d{12,19}$/.test(number) || !luhnValid(number)) {
		throw new ApiError(422, 'invalid_number', 'The card number is invalid.', `${p}.number`);
	}
	const test = TEST_CARDS.get(number);
	if (!test) {
		throw new ApiError(422, 'invalid_number', 'The card number is not a KOMOJU test card; the sandbox accepts only the documented test numbers.', `${p}.number`);
	}

	if (isBlank(pd.month)) throw missing(`${p}.month`);
	const month = digitsOrInteger(pd.month, `${p}.month`, /^\d{1,2}$/);
	if (month < 1 || month > 12) throw invalid(`${p}.month`, 'must be 1 to 12');

	if (isBlank(pd.year)) throw missing(`${p}.year`);
	let year = digitsOrInteger(pd.year, `${p}.year`, /^(\d{2}|\d{4})$/);
	if (year >= 0 && year < 100) year += 2000;
	else if (year < 2000 || year > 2099) throw invalid(`${p}.year`, 'must be a 2-digit or 4-digit year');

	const expiry = { month, year };
	if (isExpired(expiry, nowMs)) {
		const thisYear = new Date(nowMs).getUTCFullYear();
		throw new ApiError(422, 'card_expired', 'The card has expired.', year < thisYear ? `${p}.year` : `${p}.month`);
	}

	const cvc = pd.verification_value;
	if (!isBlank(cvc)) {
		const len = test.brand === 'american_express' ? 4 : 3;
		if (typeof cvc !== 'string' || !new RegExp(`^\\d{${len}}$`).test(cvc)) {
			throw invalid(`${p}.verification_value`, `must be a string of ${len} digits`);
		}
	}

	const name = optionalString(pd.name, `${p}.name`);
	const given = optionalString(pd.given_name, `${p}.given_name`);
	const family = optionalString(pd.family_name, `${p}.family_name`);
	const email = optionalEmail(pd.email, `${p}.email`);
	for (const key of CARD_FIELDS) {
		if (key.includes('_address_') || key === 'scheme_reference') optionalString(pd[key], `${p}.${key}`);
	}
	if (!isBlank(pd.expiry_days)) {
		const d = digitsOrInteger(pd.expiry_days, `${p}.expiry_days`, /^\d{1,4}$/);
		if (d < 1) throw invalid(`${p}.expiry_days`, 'must be a positive integer');
	}
	optionalEnum(pd.initiator, `${p}.initiator`, ['customer', 'merchant']);
	optionalEnum(pd.usage, `${p}.usage`, ['first', 'used']);
	for (const key of ['installments', 'intent']) {
		if (pd[key] !== undefined && pd[key] !== null && !isPlainObject(pd[key])) throw invalid(`${p}.${key}`, 'must be an object');
	}

	const behaviour = test.behaviour;
	if (behaviour.kind === 'decline') {
		throw new ApiError(402, behaviour.code, behaviour.message, behaviour.param);
	}

	const fullName = name || [given, family].filter(Boolean).join(' ') || undefined;
	return {
		number,
		brand: test.brand,
		lastFour: number.slice(-4),
		month,
		year,
		...(fullName ? { name: fullName } : {}),
		...(email ? { email } : {}),
		behaviour,
		label: behaviour.kind === '3ds' ? behaviour.scenario : 'regular_success',
	};
}

/**
 * The scrubbed card as KOMOJU shows it (customer `source`).
 * @param {Card} card
 */
function scrubbed(card) {
	return {
		type: 'credit_card',
		brand: card.brand,
		last_four_digits: card.lastFour,
		month: card.month,
		year: card.year,
		...(card.name ? { name: card.name } : {}),
	};
}

/**
 * The scrubbed card as a payment shows it (docs §10.1 `payment_details` for cards).
 * @param {Card} card
 */
function paymentDetails(card) {
	return {
		type: 'credit_card',
		email: card.email || null,
		brand: card.brand,
		last_four_digits: card.lastFour,
		month: card.month,
		year: card.year,
	};
}

/** Sandbox-view summary of a card (never the number). @param {Card} card */
function cardView(card) {
	return { brand: card.brand, lastFour: card.lastFour, month: card.month, year: card.year, testCard: card.label };
}

module.exports = { TEST_CARDS, parseCard, scrubbed, paymentDetails, cardView, isExpired, assertNotExpired };
