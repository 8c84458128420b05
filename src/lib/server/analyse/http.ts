import type { RequestEvent } from '@sveltejs/kit';
import { parseAnalyseQuery, type AnalyseQuery } from '../../domain/analyse-params.ts';
import type { CsvDialect } from '../../domain/csv.ts';
import { themeIds } from '../../domain/themes.ts';
import type { Sql } from '../db/types.ts';
import { endpoint } from '../http/errors.ts';
import { json, storeFor } from '../http/json.ts';
import { type Audience } from '../items/read.ts';
import { taxonomy } from '../items/taxonomy.ts';

interface Endpoint<T> {
	/** File name of downloads, without extension. */
	name: string;
	compute(db: Sql, q: AnalyseQuery, audience: Audience): Promise<T>;
	csv(result: T, dialect: CsvDialect): string;
	geojson?(result: T): unknown;
}

/**
 * One /api/analyse/* endpoint: the /api/items filters plus the analysis parameters, JSON by
 * default, format=csv for the table, format=geojson where there is a map layer. Signed-in
 * staff get counts that include sensitive meldingen; everyone else gets the public figures.
 */
export function analyseEndpoint<T>(ep: Endpoint<T>) {
	return endpoint(async (event: Pick<RequestEvent, 'url' | 'locals'>): Promise<Response> => {
		const q = parseAnalyseQuery(
			event.url.searchParams,
			themeIds(taxonomy()),
			ep.geojson ? ['json', 'csv', 'geojson'] : ['json', 'csv']
		);
		const db = await storeFor(event);
		const audience: Audience = (event.locals as App.Locals).user ? 'staff' : 'public';
		const result = await ep.compute(db, q, audience);
		if (q.format === 'csv') {
			return new Response(ep.csv(result, q.filter.dialect), {
				headers: {
					'content-type': 'text/csv; charset=utf-8',
					'content-disposition': `attachment; filename="wijkkaart-${ep.name}${q.filter.dialect.sep === ';' ? '-excel' : ''}.csv"`,
					'cache-control': 'no-cache'
				}
			});
		}
		if (q.format === 'geojson') return json(ep.geojson!(result), 'application/geo+json');
		const res = json(result);
		if (ep.geojson) {
			// The same result as a map layer: clients find it without reading the README.
			const alt = new URL(event.url);
			alt.searchParams.set('format', 'geojson');
			res.headers.set(
				'link',
				`<${alt.pathname}${alt.search}>; rel="alternate"; type="application/geo+json"`
			);
		}
		return res;
	});
}
