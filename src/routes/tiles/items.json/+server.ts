import type { RequestHandler } from './$types';
import { ParamError, parseItemQuery } from '$lib/domain/filters.ts';
import { themeIds } from '$lib/domain/themes.ts';
import { json, jsonError, readStoreFor } from '$lib/server/items/http.ts';
import { UnknownAreaError } from '$lib/server/items/read.ts';
import { taxonomy } from '$lib/server/items/taxonomy.ts';
import { itemTileJson } from '$lib/server/tiles/tilejson.ts';

/** TileJSON of the item tiles; the /api/items filters given here are carried into the tile URL. */
export const GET: RequestHandler = async (event) => {
	try {
		const params = new URLSearchParams(event.url.searchParams);
		params.delete('bbox');
		parseItemQuery(params, themeIds(taxonomy()));
		const search = params.size ? `?${params}` : '';
		return json(await itemTileJson(await readStoreFor(event), event.url.origin, search));
	} catch (err) {
		if (err instanceof ParamError || err instanceof UnknownAreaError) return jsonError(400, err.message);
		throw err;
	}
};
