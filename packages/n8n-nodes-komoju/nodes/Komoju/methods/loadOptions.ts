import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { paymentMethodSpec } from '../helpers/payment-methods';
import { apiPath, DEFAULT_REQUEST_SETTINGS, komojuApiRequestArray } from '../transport';

/** The payment types enabled for the merchant (GET /payment_methods), each once, with its currencies. */
export async function getPaymentTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await enabledPaymentTypes.call(this, () => true);
}

/** The enabled payment methods Payment → Create can send, cards aside (they have their own sources). */
export async function getPaymentMethods(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await enabledPaymentTypes.call(this, (slug) => paymentMethodSpec(slug) !== undefined);
}

async function enabledPaymentTypes(this: ILoadOptionsFunctions, offered: (slug: string) => boolean): Promise<INodePropertyOptions[]> {
	const methods = await komojuApiRequestArray.call(
		this,
		{ method: 'GET', path: apiPath('payment_methods') },
		{ itemIndex: 0, ...DEFAULT_REQUEST_SETTINGS },
	);
	// KOMOJU lists one entry per type and currency; the dropdown wants each type once.
	const types = new Map<string, { nameEn: string; nameJa: string; currencies: string[] }>();
	for (const method of methods) {
		const slug = typeof method.type_slug === 'string' ? method.type_slug : '';
		if (!slug || !offered(slug)) continue;
		const entry = types.get(slug) ?? {
			nameEn: text(method.name_en) || paymentMethodSpec(slug)?.name || readableName(slug),
			nameJa: text(method.name_ja),
			currencies: [],
		};
		if (typeof method.currency === 'string' && !entry.currencies.includes(method.currency)) entry.currencies.push(method.currency);
		types.set(slug, entry);
	}
	return [...types.entries()]
		.map(([slug, { nameEn, nameJa, currencies }]) => ({
			name: nameEn,
			value: slug,
			description: [nameJa, currencies.length ? `Enabled for ${currencies.join(', ')}` : ''].filter(Boolean).join(' · ') || undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** "credit_card" → "Credit Card", for an entry without KOMOJU's English name. */
function readableName(slug: string): string {
	return slug
		.split('_')
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}
