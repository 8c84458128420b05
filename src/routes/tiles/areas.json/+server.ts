import type { RequestHandler } from './$types';
import { json, jsonError } from '$lib/server/http/json.ts';
import { areaTileJson } from '$lib/server/tiles/tilejson.ts';

/** TileJSON of the area archive, its tiles served one by one from /tiles/areas/{z}/{x}/{y}.mvt. */
export const GET: RequestHandler = async ({ url }) => {
	try {
		return json(await areaTileJson(url.origin));
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return jsonError(404, 'De kaarttegels van de gebieden ontbreken; start het portaal opnieuw of draai npm run tiles.');
		throw err;
	}
};
