import type { RequestHandler } from './$types';
import { koppelkansenCsv } from '$lib/server/analyse/csv.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';
import { koppelkansen } from '$lib/server/analyse/koppelkansen.ts';

/** Work of different owners in the same place at the same time. */
export const GET: RequestHandler = analyseEndpoint({ name: 'koppelkansen', compute: koppelkansen, csv: koppelkansenCsv });
