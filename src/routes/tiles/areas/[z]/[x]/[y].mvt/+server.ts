import { stat } from 'node:fs/promises';
import type { RequestHandler } from './$types';
import { isValidTile } from '$lib/geo/tiles.ts';
import { jsonError } from '$lib/server/http/json.ts';
import { etagOf } from '$lib/server/tiles/range.ts';
import { areaArchive, areaArchivePath } from '$lib/server/tiles/tilejson.ts';

/** One tile of the area archive, for clients that read TileJSON rather than PMTiles. */
export const GET: RequestHandler = async ({ params, request }) => {
	const [z, x, y] = [params.z, params.x, params.y].map((v) => (/^\d{1,7}$/.test(v) ? Number(v) : NaN));
	if (!isValidTile(z, x, y)) return jsonError(400, `geen geldige tegel ${params.z}/${params.x}/${params.y}`);
	const info = await stat(areaArchivePath()).catch(() => null);
	if (!info) return jsonError(404, 'De kaarttegels van de gebieden ontbreken; start het portaal opnieuw of draai npm run tiles.');
	const etag = etagOf(info);
	const headers = { 'content-type': 'application/vnd.mapbox-vector-tile', etag, 'cache-control': 'no-cache' };
	if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	const tile = await areaArchive().getZxy(z, x, y);
	if (!tile || tile.data.byteLength === 0) return new Response(null, { status: 204, headers });
	return new Response(new Uint8Array(tile.data), { headers });
};
