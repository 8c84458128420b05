import type { RequestHandler } from './$types';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json, storeFor } from '$lib/server/http/json';
import { clientOf, search } from '$lib/server/residents/http';
import { allow, limits, tooMany } from '$lib/server/residents/rate-limit';

/** GET /api/adressen?q=… — the search box: addresses, streets, postcodes, wijken and buurten. */
export const GET: RequestHandler = endpoint(async (event) => {
	const q = event.url.searchParams.get('q')?.trim() ?? '';
	if (q.length < 2) throw new AppError(msg('errors.near.short'), { field: 'q' });
	if (q.length > 100) throw new AppError(msg('errors.search.long', { max: 100 }), { field: 'q' });
	const db = await storeFor(event);
	if (!(await allow(db, clientOf(event), limits.search()))) return tooMany('search');
	return json({ query: q, results: await search(db, q) });
});
