import type { RequestHandler } from './$types';
import { endpoint, langOf } from '$lib/server/http/errors.ts';
import { storeFor } from '$lib/server/http/json.ts';
import { restore } from '$lib/server/items/edit.ts';
import {
	itemId,
	jsonBody,
	savedResponse,
	versionOf,
	writeContext
} from '$lib/server/items/edit-http.ts';

/** Brings a soft-deleted item back; an optional JSON body {version} guards against stale views. */
export const POST: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	const id = itemId(event.params.id);
	const { version } = await jsonBody(event.request, true);
	return savedResponse(
		langOf(event),
		await restore(await storeFor(event), id, versionOf(version, false), ctx)
	);
});
