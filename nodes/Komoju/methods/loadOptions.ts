import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { apiPath, komojuApiRequestArray } from '../transport';

/** The payment types enabled for the merchant (GET /payment_methods), each once, with its currencies. */
export async function getPaymentTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const methods = await komojuApiRequestArray.call(
		this,
		{ method: 'GET', path: apiPath('payment_methods') },
		{ itemIndex: 0, maxRetries: 2, timeoutMs: 30000 },
	);
	// KOMOJU lists one entry per type and currency; the dropdown wants each type once.
	const currencies = new Map<string, string[]>();
	for (const method of methods) {
		const slug = typeof method.type_slug === 'string' ? method.type_slug : '';
		if (!slug) continue;
		const list = currencies.get(slug) ?? [];
		if (typeof method.currency === 'string' && !list.includes(method.currency)) list.push(method.currency);
		currencies.set(slug, list);
	}
	return [...currencies.entries()]
		.map(([slug, codes]) => ({
			name: readableName(slug),
			value: slug,
			description: codes.length ? `Enabled for ${codes.join(', ')}` : undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** "credit_card" → "Credit Card". */
function readableName(slug: string): string {
	return slug
		.split('_')
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}
