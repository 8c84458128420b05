import type { RequestHandler } from './$types';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json, storeFor } from '$lib/server/http/json';
import { nearestAddress } from '$lib/server/residents/streets';

/** GET /api/adressen/bij?lon=…&lat=… — the indexed address a map pin stands on, or null. */
export const GET: RequestHandler = endpoint(async (event) => {
	const lon = Number(event.url.searchParams.get('lon'));
	const lat = Number(event.url.searchParams.get('lat'));
	if (
		!event.url.searchParams.has('lon') ||
		!event.url.searchParams.has('lat') ||
		!(Math.abs(lon) <= 180) ||
		!(Math.abs(lat) <= 90)
	) {
		throw new AppError(msg('errors.search.lonLat'), { field: 'lon' });
	}
	return json({ address: await nearestAddress(await storeFor(event), lon, lat) });
});
