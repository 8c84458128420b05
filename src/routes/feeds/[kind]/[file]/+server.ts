import type { RequestHandler } from './$types';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { storeFor } from '$lib/server/http/json';
import { feedFile, feedResponse, scopeFor } from '$lib/server/residents/feed-http';

/** GET /feeds/<wijk|buurt|other level|thema|item>/<code>.atom|.ics — follow an area, a theme or one item. */
export const GET: RequestHandler = endpoint(async (event) => {
	const f = feedFile(event.params.file);
	if (!f) throw new AppError(msg('errors.feed.file'), { status: 404 });
	const db = await storeFor(event);
	return feedResponse(
		db,
		await scopeFor(db, event.params.kind, f.name),
		f.format,
		event.url,
		event.request
	);
});
