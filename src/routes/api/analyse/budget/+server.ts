import type { RequestHandler } from './$types';
import { budgetCsv } from '$lib/server/analyse/csv.ts';
import { budget } from '$lib/server/analyse/follow-through.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';

/** Initiative budget requested and granted per ward. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'budget',
	compute: budget,
	csv: budgetCsv
});
