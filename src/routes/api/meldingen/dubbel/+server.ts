import type { RequestHandler } from './$types';
import { json, jsonError, storeFor } from '$lib/server/http/json';
import { findDuplicates } from '$lib/server/residents/submit';

/** GET /api/meldingen/dubbel?lat=&lon=&category= — open public meldingen of that category within 50 m. */
export const GET: RequestHandler = async (event) => {
	const p = event.url.searchParams;
	const lat = Number(p.get('lat'));
	const lon = Number(p.get('lon'));
	const category = p.get('category')?.trim() ?? '';
	if (!p.get('lat') || !p.get('lon') || !Number.isFinite(lat) || !Number.isFinite(lon))
		return jsonError(400, 'Geef lat en lon.');
	if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(category)) return jsonError(400, 'Geef een categorie.');
	return json({ items: await findDuplicates(await storeFor(event), [lon, lat], category) });
};
