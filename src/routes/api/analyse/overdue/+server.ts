import type { RequestHandler } from './$types';
import { overdueCsv } from '$lib/server/analyse/csv.ts';
import { overdue } from '$lib/server/analyse/follow-through.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';

/** Open meldingen past their afhandeltermijn, per ward. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'over-termijn',
	compute: overdue,
	csv: overdueCsv
});
