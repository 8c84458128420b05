import type { RequestHandler } from './$types';
import { storeFor } from '$lib/server/items/http.ts';
import { restore } from '$lib/server/items/edit.ts';
import { handleWrite, itemId, jsonBody, savedResponse, versionOf, writeContext } from '$lib/server/items/edit-http.ts';

/** Brings a soft-deleted item back; an optional JSON body {version} guards against stale views. */
export const POST: RequestHandler = (event) =>
	handleWrite(async () => {
		const ctx = writeContext(event);
		const id = itemId(event.params.id);
		const { version } = await jsonBody(event.request, true);
		return savedResponse(await restore(await storeFor(event), id, versionOf(version, false), ctx));
	});
