import type { RequestHandler } from './$types';
import { themeIds } from '$lib/domain/themes.ts';
import { themesCsv } from '$lib/server/analyse/csv.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';
import { wideThemes } from '$lib/server/analyse/themes.ts';
import { taxonomy } from '$lib/server/items/taxonomy.ts';

/** Themes above the city median per 1,000 inhabitants in minWards or more wards. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'themas',
	compute: (db, q, audience) => wideThemes(db, q, audience, themeIds(taxonomy())),
	csv: themesCsv
});
