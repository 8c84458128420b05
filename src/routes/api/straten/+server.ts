import type { RequestHandler } from './$types';
import { ParamError, parseBbox } from '$lib/domain/filters';
import { endpoint } from '$lib/server/http/errors';
import { json, readStoreFor } from '$lib/server/http/json';
import { streetsInView } from '$lib/server/residents/streets';

/** GET /api/straten?bbox=w,s,e,n — street names to write on a map that shows no basemap. */
export const GET: RequestHandler = endpoint(async (event) => {
	const bbox = parseBbox(event.url.searchParams.get('bbox'));
	if (!bbox) throw new ParamError({ code: 'errors.straten.bbox' }, 'bbox');
	return json({ streets: await streetsInView(await readStoreFor(event), bbox) });
});
