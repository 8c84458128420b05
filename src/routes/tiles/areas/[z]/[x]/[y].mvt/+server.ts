import { stat } from 'node:fs/promises';
import type { RequestHandler } from './$types';
import { msg, NotFoundError } from '$lib/domain/errors.ts';
import { endpoint } from '$lib/server/http/errors.ts';
import { tileParams } from '$lib/server/tiles/params.ts';
import { etagOf } from '$lib/server/tiles/range.ts';
import { areaArchive, areaArchivePath } from '$lib/server/tiles/tilejson.ts';

/** One tile of the area archive, for clients that read TileJSON rather than PMTiles. */
export const GET: RequestHandler = endpoint(async ({ params, request }) => {
	const [z, x, y] = tileParams(params);
	const info = await stat(areaArchivePath()).catch(() => null);
	if (!info) throw new NotFoundError(msg('errors.tile.areasMissing'));
	const etag = etagOf(info);
	const headers = { 'content-type': 'application/vnd.mapbox-vector-tile', etag, 'cache-control': 'no-cache' };
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	const tile = await areaArchive().getZxy(z, x, y);
	if (!tile || tile.data.byteLength === 0) return new Response(null, { status: 204, headers });
	return new Response(new Uint8Array(tile.data), { headers });
});
