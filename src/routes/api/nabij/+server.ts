import type { RequestHandler } from './$types';
import { json, jsonError, storeFor } from '$lib/server/items/http';
import { clientOf } from '$lib/server/residents/http';
import { nearFor } from '$lib/server/residents/near';
import { allow, limits, tooMany } from '$lib/server/residents/rate-limit';

/** GET /api/nabij?lat=&lon=&r=250|500|1000 (or q=) plus layer/theme/status filters. */
export const GET: RequestHandler = async (event) => {
	const p = event.url.searchParams;
	if (!p.has('q') && !(p.has('lat') && p.has('lon'))) return jsonError(400, 'Geef lat en lon, of q (een adres).');
	const db = await storeFor(event);
	if (p.get('q')?.trim() && !(await allow(db, clientOf(event), limits.search()))) return tooMany('search');
	const r = await nearFor(db, p);
	if (r.error) return jsonError(r.error.startsWith('Niets gevonden') ? 404 : 400, r.error);
	return json(
		{
			type: 'FeatureCollection',
			center: r.point,
			radius: r.radius,
			areas: r.areas,
			numberReturned: r.items.length,
			features: r.items
		},
		'application/geo+json'
	);
};
