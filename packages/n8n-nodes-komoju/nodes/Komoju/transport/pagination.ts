import type { IDataObject } from 'n8n-workflow';

import { unexpectedResponseError } from './errors';
import { komojuApiRequest, type KomojuRequest, type KomojuRequestContext, type RequestSettings } from './request';

/** KOMOJU refuses a larger `per_page`. */
export const MAX_PER_PAGE = 100;

/** One page of a KOMOJU list (`{ total, page, per_page, last_page, data }`). */
export interface ListPage {
	items: IDataObject[];
	page: number;
	lastPage: number;
	total?: number;
}

function readPage(context: KomojuRequestContext, body: IDataObject, page: number, itemIndex: number): ListPage {
	if (!Array.isArray(body.data)) {
		throw unexpectedResponseError(context.getNode(), 200, 'a list without a "data" array', itemIndex);
	}
	const lastPage = typeof body.last_page === 'number' && body.last_page >= 1 ? body.last_page : page;
	return {
		items: body.data.filter((item): item is IDataObject => typeof item === 'object' && item !== null),
		page,
		lastPage,
		total: typeof body.total === 'number' ? body.total : undefined,
	};
}

/**
 * KOMOJU's pages from page 1 on, each fetched only when the caller asks for it (break out of
 * the loop to stop). Ends after `last_page` or at an empty page.
 */
export async function* komojuPages(
	this: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
	perPage: number = MAX_PER_PAGE,
): AsyncGenerator<ListPage> {
	const seen = new Set<unknown>();
	for (let page = 1; ; page++) {
		const qs = { ...request.qs, page, per_page: perPage };
		const body = await komojuApiRequest.call(this, { ...request, qs }, settings);
		const listPage = readPage(this, body, page, settings.itemIndex);
		// A server that ignores `page` answers every page alike: stop instead of reading forever.
		const ids = listPage.items.map((item) => item.id);
		if (page > 1 && ids.length > 0 && ids.every((id) => seen.has(id))) {
			throw unexpectedResponseError(this.getNode(), 200, `page ${page} of a list repeats only objects of earlier pages`, settings.itemIndex);
		}
		for (const id of ids) seen.add(id);
		yield listPage;
		if (listPage.items.length === 0 || page >= listPage.lastPage) return;
	}
}

/**
 * Every object of a KOMOJU list (or the first `limit`), in KOMOJU's order. An object that
 * moves between pages while paging (a new one was created) is returned once.
 */
export async function komojuApiRequestAllItems(
	this: KomojuRequestContext,
	request: KomojuRequest,
	settings: RequestSettings,
	limit?: number,
): Promise<IDataObject[]> {
	const perPage = limit === undefined ? MAX_PER_PAGE : Math.min(Math.max(limit, 1), MAX_PER_PAGE);
	const seen = new Set<unknown>();
	const collected: IDataObject[] = [];
	for await (const { items } of komojuPages.call(this, request, settings, perPage)) {
		for (const item of items) {
			if (item.id !== undefined && seen.has(item.id)) continue;
			seen.add(item.id);
			collected.push(item);
			if (limit !== undefined && collected.length >= limit) return collected;
		}
	}
	return collected;
}
