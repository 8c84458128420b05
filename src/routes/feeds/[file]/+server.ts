import type { RequestHandler } from './$types';
import { jsonError, storeFor } from '$lib/server/items/http';
import { feedFile, feedResponse, pointScope } from '$lib/server/residents/feed-http';

/** GET /feeds/punt.atom|.ics?lat=&lon=&r= — follow a circle around a point. */
export const GET: RequestHandler = async (event) => {
	const f = feedFile(event.params.file);
	if (!f || f.name !== 'punt') return jsonError(404, 'Onbekende feed; bedoelt u /feeds/punt.atom?lat=…&lon=…&r=500?');
	return feedResponse(await storeFor(event), pointScope(event.url.searchParams), f.format, event.url, event.request);
};
