import type { RequestHandler } from './$types';
import { json, jsonError, readStoreFor } from '$lib/server/items/http';
import { streetsInView } from '$lib/server/residents/streets';
import { ParamError, parseBbox } from '$lib/domain/filters';

/** GET /api/straten?bbox=w,s,e,n — street names to write on a map that shows no basemap. */
export const GET: RequestHandler = async (event) => {
	let bbox: [number, number, number, number] | null;
	try {
		bbox = parseBbox(event.url.searchParams.get('bbox'));
	} catch (err) {
		if (err instanceof ParamError) return jsonError(400, err.message);
		throw err;
	}
	if (!bbox) return jsonError(400, 'Geef bbox=minLon,minLat,maxLon,maxLat in graden (WGS84).');
	return json({ streets: await streetsInView(await readStoreFor(event), bbox) });
};
