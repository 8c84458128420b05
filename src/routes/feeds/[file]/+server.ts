import type { RequestHandler } from './$types';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { storeFor } from '$lib/server/http/json';
import { feedFile, feedResponse, pointScope } from '$lib/server/residents/feed-http';

/** GET /feeds/punt.atom|.ics?lat=&lon=&r= — follow a circle around a point. */
export const GET: RequestHandler = endpoint(async (event) => {
	const f = feedFile(event.params.file);
	if (!f || f.name !== 'punt') throw new AppError(msg('errors.feed.unknown'), { status: 404 });
	return feedResponse(
		await storeFor(event),
		pointScope(event.url.searchParams),
		f.format,
		event.url,
		event.request
	);
});
