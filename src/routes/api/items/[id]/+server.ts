import type { RequestHandler } from './$types';
import { endpoint, langOf } from '$lib/server/http/errors.ts';
import { msg, NotFoundError } from '$lib/domain/errors.ts';
import { json, storeFor } from '$lib/server/http/json.ts';
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
export const GET: RequestHandler = endpoint(async (event) => {
	const id = itemId(event.params.id);
	const item = await getItem(await storeFor(event), id);
	if (!item) throw new NotFoundError(msg('errors.item.notPublic', { id }));
	return json(item, 'application/geo+json');
});

/** Edits an item; `version` is the one the editor started from (409 when it is stale). */
export const PATCH: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	const id = itemId(event.params.id);
	const { version, ...patch } = await jsonBody(event.request);
	return savedResponse(
		langOf(event),
		await updateItem(await storeFor(event), id, versionOf(version, true)!, patch, ctx)
	);
});

/** Soft delete: gone from every public view until restored. ?version= guards against stale views. */
export const DELETE: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	const id = itemId(event.params.id);
	return savedResponse(
		langOf(event),
		await softDelete(
			await storeFor(event),
			id,
			versionOf(event.url.searchParams.get('version'), false),
			ctx
		)
	);
});
