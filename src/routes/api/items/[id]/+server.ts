import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/errors.ts';
import { json, jsonError, storeFor } from '$lib/server/http/json.ts';
import { getItem } from '$lib/server/items/read.ts';
import { softDelete, updateItem } from '$lib/server/items/edit.ts';
import {
	itemId,
	jsonBody,
	savedResponse,
	versionOf,
	writeContext
} from '$lib/server/items/edit-http.ts';

/** One public item with its areas, timeline and linked items. */
export const GET: RequestHandler = async (event) => {
	const raw = event.params.id;
	if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1)
		return jsonError(400, `id "${raw}" is geen itemnummer`);
	const item = await getItem(await storeFor(event), Number(raw));
	if (!item) return jsonError(404, `item ${raw} bestaat niet of is niet openbaar`);
	return json(item, 'application/geo+json');
};

/** Edits an item; `version` is the one the editor started from (409 when it is stale). */
export const PATCH: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	const id = itemId(event.params.id);
	const { version, ...patch } = await jsonBody(event.request);
	return savedResponse(
		await updateItem(await storeFor(event), id, versionOf(version, true)!, patch, ctx)
	);
});

/** Soft delete: gone from every public view until restored. ?version= guards against stale views. */
export const DELETE: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	const id = itemId(event.params.id);
	return savedResponse(
		await softDelete(
			await storeFor(event),
			id,
			versionOf(event.url.searchParams.get('version'), false),
			ctx
		)
	);
});
