import type { IDataObject } from 'n8n-workflow';

import type { KomojuSecureToken } from './interfaces';

export interface CardDetails {
	number: string;
	month: number;
	year: number;
	verificationValue?: string;
	name?: string;
	email?: string;
	/** KOMOJU's optional card fields, already under their API names. */
	extra: IDataObject;
}

/** Builds KOMOJU's `payment_details` object for a credit card. */
export function cardPaymentDetails(card: CardDetails): IDataObject {
	const details: IDataObject = {
		type: 'credit_card',
		number: card.number,
		month: card.month,
		year: card.year,
	};
	if (card.verificationValue) details.verification_value = card.verificationValue;
	if (card.name) details.name = card.name;
	if (card.email) details.email = card.email;
	for (const [key, value] of Object.entries(card.extra)) {
		if (value !== '' && value !== undefined && value !== null) details[key] = value;
	}
	return details;
}

/** Maps the "Additional Fields" collection (camelCase UI names) to KOMOJU's snake_case names. */
export function toSnakeCaseFields(fields: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		const text = typeof value === 'string' ? value.trim() : value;
		if (text === '' || text === undefined || text === null) continue;
		out[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = text;
	}
	return out;
}

/**
 * Returns the secure token as KOMOJU sent it, with older API versions' `secure_token` key renamed
 * to `id` and the 3DS cryptogram (CAVV) masked: nothing downstream needs it.
 */
export function normaliseSecureToken(body: IDataObject): KomojuSecureToken {
	const { secure_token: legacyId, ...rest } = body;
	const token = { ...rest } as IDataObject;
	token.id = (body.id ?? legacyId) as string;
	const authResult = body.three_ds_auth_result;
	if (authResult && typeof authResult === 'object' && !Array.isArray(authResult)) {
		const result = { ...(authResult as IDataObject) };
		if (result.authenticationValue) result.authenticationValue = '[redacted]';
		token.three_ds_auth_result = result;
	}
	return token as KomojuSecureToken;
}

/** The form KOMOJU shows and takes times in: ISO 8601 in UTC, whole seconds. */
export function apiTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
