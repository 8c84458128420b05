import type { RequestHandler } from './$types';
import { endpoint, langOf } from '$lib/server/http/errors.ts';
import { storeFor } from '$lib/server/http/json.ts';
import { changeStatus } from '$lib/server/items/edit.ts';
import {
	itemId,
	jsonBody,
	savedResponse,
	versionOf,
	writeContext
} from '$lib/server/items/edit-http.ts';

/** A status change with its public text: {status, publicText, version, reason?}. */
export const POST: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	const id = itemId(event.params.id);
	const b = await jsonBody(event.request);
	const str = (v: unknown) => (typeof v === 'string' ? v : '');
	return savedResponse(
		langOf(event),
		await changeStatus(
			await storeFor(event),
			id,
			versionOf(b.version, true)!,
			str(b.status),
			str(b.publicText),
			ctx,
			{ reason: str(b.reason) || null }
		)
	);
});
