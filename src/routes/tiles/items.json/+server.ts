import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/errors.ts';
import { parseItemQuery } from '$lib/domain/filters.ts';
import { themeIds } from '$lib/domain/themes.ts';
import { json, readStoreFor } from '$lib/server/http/json.ts';
import { taxonomy } from '$lib/server/items/taxonomy.ts';
import { itemTileJson } from '$lib/server/tiles/tilejson.ts';

/** TileJSON of the item tiles; the /api/items filters given here are carried into the tile URL. */
export const GET: RequestHandler = endpoint(async (event) => {
	const params = new URLSearchParams(event.url.searchParams);
	params.delete('bbox');
	parseItemQuery(params, themeIds(taxonomy()));
	const search = params.size ? `?${params}` : '';
	return json(await itemTileJson(await readStoreFor(event), event.url.origin, search));
});
