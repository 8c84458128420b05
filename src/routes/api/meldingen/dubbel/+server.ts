import type { RequestHandler } from './$types';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json, storeFor } from '$lib/server/http/json';
import { findDuplicates } from '$lib/server/residents/submit';

/** GET /api/meldingen/dubbel?lat=&lon=&category= — open public meldingen of that category within 50 m. */
export const GET: RequestHandler = endpoint(async (event) => {
	const p = event.url.searchParams;
	const lat = Number(p.get('lat'));
	const lon = Number(p.get('lon'));
	const category = p.get('category')?.trim() ?? '';
	if (!p.get('lat') || !p.get('lon') || !Number.isFinite(lat) || !Number.isFinite(lon))
		throw new AppError(msg('errors.duplicates.latLon'), { field: 'lat' });
	if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(category))
		throw new AppError(msg('errors.duplicates.category'), { field: 'category' });
	return json({ items: await findDuplicates(await storeFor(event), [lon, lat], category) });
});
