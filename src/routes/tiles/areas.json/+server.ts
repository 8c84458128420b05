import type { RequestHandler } from './$types';
import { msg, NotFoundError } from '$lib/domain/errors.ts';
import { endpoint } from '$lib/server/http/errors.ts';
import { json } from '$lib/server/http/json.ts';
import { areaTileJson } from '$lib/server/tiles/tilejson.ts';

/** TileJSON of the area archive, its tiles served one by one from /tiles/areas/{z}/{x}/{y}.mvt. */
export const GET: RequestHandler = endpoint(async ({ url }) => {
	try {
		return json(await areaTileJson(url.origin));
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT')
			throw new NotFoundError(msg('errors.tile.areasMissing'), { cause: err });
		throw err;
	}
});
