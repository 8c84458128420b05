import type { RequestHandler } from './$types';
import { json, jsonError, storeFor } from '$lib/server/items/http.ts';
import { getItem } from '$lib/server/items/read.ts';

/** One public item with its areas, timeline and linked items. */
export const GET: RequestHandler = async (event) => {
	const raw = event.params.id;
	if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) return jsonError(400, `id "${raw}" is geen itemnummer`);
	const item = await getItem(await storeFor(event), Number(raw));
	if (!item) return jsonError(404, `item ${raw} bestaat niet of is niet openbaar`);
	return json(item, 'application/geo+json');
};
