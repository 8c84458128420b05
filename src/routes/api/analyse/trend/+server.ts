import type { RequestHandler } from './$types';
import { trendCsv } from '$lib/server/analyse/csv.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';
import { trend } from '$lib/server/analyse/trend.ts';

/** Items per month per theme. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'trend',
	compute: trend,
	csv: trendCsv
});
