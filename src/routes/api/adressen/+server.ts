import type { RequestHandler } from './$types';
import { json, jsonError, storeFor } from '$lib/server/http/json';
import { clientOf, search } from '$lib/server/residents/http';
import { allow, limits, tooMany } from '$lib/server/residents/rate-limit';

/** GET /api/adressen?q=… — the search box: addresses, streets, postcodes, wijken and buurten. */
export const GET: RequestHandler = async (event) => {
	const q = event.url.searchParams.get('q')?.trim() ?? '';
	if (q.length < 2) return jsonError(400, 'Typ minstens 2 tekens om te zoeken.');
	if (q.length > 100) return jsonError(400, 'Zoek met hoogstens 100 tekens.');
	const db = await storeFor(event);
	if (!(await allow(db, clientOf(event), limits.search()))) return tooMany('search');
	return json({ query: q, results: await search(db, q) });
};
