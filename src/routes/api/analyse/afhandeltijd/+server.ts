import type { RequestHandler } from './$types';
import { handlingTimeCsv } from '$lib/server/analyse/csv.ts';
import { handlingTime } from '$lib/server/analyse/follow-through.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';

/** Median days to afhandeling per ward and theme. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'afhandeltijd',
	compute: handlingTime,
	csv: handlingTimeCsv
});
