import type { RequestHandler } from './$types';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json, storeFor } from '$lib/server/http/json';
import { clientOf } from '$lib/server/residents/http';
import { nearFor } from '$lib/server/residents/near';
import { allow, limits, tooMany } from '$lib/server/residents/rate-limit';

/** GET /api/nabij?lat=&lon=&r=250|500|1000 (or q=) plus layer/theme/status filters. */
export const GET: RequestHandler = endpoint(async (event) => {
	const p = event.url.searchParams;
	if (!p.has('q') && !(p.has('lat') && p.has('lon')))
		throw new AppError(msg('errors.near.where'), { field: 'lat' });
	const db = await storeFor(event);
	if (p.get('q')?.trim() && !(await allow(db, clientOf(event), limits.search())))
		return tooMany('search');
	const r = await nearFor(db, p);
	if (r.error) throw r.error;
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
});
