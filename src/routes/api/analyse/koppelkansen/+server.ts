import type { RequestHandler } from './$types';
import { koppelkansenCsv } from '$lib/server/analyse/csv.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';
import { koppelkansen, koppelkansenGeoJSON } from '$lib/server/analyse/koppelkansen.ts';

/** Work of different owners in the same place at the same time; format=geojson gives the items as features. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'koppelkansen',
	compute: koppelkansen,
	csv: koppelkansenCsv,
	geojson: koppelkansenGeoJSON
});
