import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/errors.ts';
import { parseItemQuery } from '$lib/domain/filters.ts';
import { themeIds } from '$lib/domain/themes.ts';
import { readStoreFor } from '$lib/server/http/json.ts';
import { tileParams } from '$lib/server/tiles/params.ts';
import { gzipTile, itemTile, itemsVersion, TileCache } from '$lib/server/tiles/item-tiles.ts';
import { taxonomy } from '$lib/server/items/taxonomy.ts';

const cache = new TileCache();

/**
 * Public items as vector tiles, with the filters of /api/items (bbox is the tile's own). The
 * ETag is the store's item version: any change to items gives every tile a new one.
 */
export const GET: RequestHandler = endpoint(async (event) => {
	const [z, x, y] = tileParams(event.params);
	const params = new URLSearchParams(event.url.searchParams);
	params.delete('bbox');
	const query = parseItemQuery(params, themeIds(taxonomy()));
	const db = await readStoreFor(event);
	const etag = `"items-${await itemsVersion(db)}"`;
	const gzip = /\bgzip\b/.test(event.request.headers.get('accept-encoding') ?? '');
	const headers: Record<string, string> = {
		'content-type': 'application/vnd.mapbox-vector-tile',
		etag,
		'cache-control': 'no-cache',
		vary: 'Accept-Encoding'
	};
	if (event.request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	// The parsed filters, not the raw query: parameters the API ignores make no new entry.
	const key = `${etag}${gzip ? 'gz' : ''}${z}/${x}/${y}?${JSON.stringify(query)}`;
	let body = cache.get(key);
	if (!body) {
		const tile = await itemTile(db, query, z, x, y);
		body = gzip && tile.byteLength ? gzipTile(tile) : tile;
		cache.set(key, body);
	}
	if (gzip && body.byteLength) headers['content-encoding'] = 'gzip';
	return new Response(body.byteLength ? (body as Uint8Array<ArrayBuffer>) : null, { status: body.byteLength ? 200 : 204, headers });
});
