import type { RequestHandler } from './$types';
import { json, jsonError, storeFor } from '$lib/server/http/json';
import { nearestAddress } from '$lib/server/residents/streets';

/** GET /api/adressen/bij?lon=…&lat=… — the indexed address a map pin stands on, or null. */
export const GET: RequestHandler = async (event) => {
	const lon = Number(event.url.searchParams.get('lon'));
	const lat = Number(event.url.searchParams.get('lat'));
	if (
		!event.url.searchParams.has('lon') ||
		!event.url.searchParams.has('lat') ||
		!(Math.abs(lon) <= 180) ||
		!(Math.abs(lat) <= 90)
	) {
		return jsonError(400, 'Geef lon en lat in graden (WGS84).');
	}
	return json({ address: await nearestAddress(await storeFor(event), lon, lat) });
};
