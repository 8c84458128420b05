import type { RequestHandler } from './$types';
import { clusters, clustersGeoJSON } from '$lib/server/analyse/clusters.ts';
import { clustersCsv } from '$lib/server/analyse/csv.ts';
import { analyseEndpoint } from '$lib/server/analyse/http.ts';

/** DBSCAN hotspots that ignore boundaries, flagged when they span wards. */
export const GET: RequestHandler = analyseEndpoint({
	name: 'clusters',
	compute: clusters,
	csv: clustersCsv,
	geojson: clustersGeoJSON
});
