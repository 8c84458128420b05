import type { RequestHandler } from './$types';
import { jsonError, storeFor } from '$lib/server/items/http';
import { feedFile, feedResponse, scopeFor } from '$lib/server/residents/feed-http';

/** GET /feeds/<wijk|buurt|other level|thema|item>/<code>.atom|.ics — follow an area, a theme or one item. */
export const GET: RequestHandler = async (event) => {
	const f = feedFile(event.params.file);
	if (!f) return jsonError(404, 'Een feed eindigt op .atom of .ics.');
	const db = await storeFor(event);
	return feedResponse(db, await scopeFor(db, event.params.kind, f.name), f.format, event.url, event.request);
};
