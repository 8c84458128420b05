import type { RequestHandler } from './$types';
import { choropleth, choroplethGeoJSON } from '$lib/server/analyse/choropleth.ts';
import { choroplethCsv } from '$lib/server/analyse/csv.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';

/** Items per area with the chosen measure and class breaks; see the README's API section. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'choropleth',
	compute: (db, q, audience) => choropleth(db, q, audience, q.format === 'geojson'),
	csv: choroplethCsv,
	geojson: choroplethGeoJSON
});
