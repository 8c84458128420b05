import type { RequestHandler } from './$types';
import { endpoint, langOf } from '$lib/server/http/errors.ts';
import { parseItemQuery } from '$lib/domain/filters.ts';
import { themeIds } from '$lib/domain/themes.ts';
import { itemsCsv, itemsCsvStream } from '$lib/server/items/csv.ts';
import { itemsGeoPackage } from '$lib/server/items/gpkg.ts';
import { jsonText, readStoreFor, storeFor } from '$lib/server/http/json.ts';
import { listItems, listItemsJson } from '$lib/server/items/read.ts';
import { taxonomy } from '$lib/server/items/taxonomy.ts';
import { createItem } from '$lib/server/items/edit.ts';
import { jsonBody, savedResponse, writeContext } from '$lib/server/items/edit-http.ts';

/**
 * Public items as GeoJSON (default), CSV or GeoPackage; parameters in the README's API section.
 * A CSV or GeoPackage without `limit` holds every matching item.
 */
export const GET: RequestHandler = endpoint(async (event) => {
	const query = parseItemQuery(event.url.searchParams, themeIds(taxonomy()));
	const db = await readStoreFor(event);
	if (query.format === 'geojson')
		return jsonText(await listItemsJson(db, query), 'application/geo+json');
	const levels = (
		await db.query<{ name: string }>('SELECT name FROM area_level ORDER BY depth')
	).map((l) => l.name);
	const name = `wijkkaart-items${query.dialect.sep === ';' ? '-excel' : ''}`;
	if (query.format === 'gpkg') {
		return new Response(Buffer.from(await itemsGeoPackage(db, query, levels)), {
			headers: {
				'content-type': 'application/geopackage+sqlite3',
				'content-disposition': 'attachment; filename="wijkkaart-items.gpkg"',
				'cache-control': 'no-cache'
			}
		});
	}
	const headers: Record<string, string> = {
		'content-type': 'text/csv; charset=utf-8',
		'content-disposition': `attachment; filename="${name}.csv"`,
		'cache-control': 'no-cache'
	};
	if (query.all) return new Response(itemsCsvStream(db, query, levels, query.dialect), { headers });
	const page = await listItems(db, query);
	if (page.next) {
		const next = new URL(event.url);
		next.searchParams.set('cursor', page.next);
		headers.link = `<${next.pathname}${next.search}>; rel="next"`;
	}
	if (page.numberMatched !== undefined) headers['x-total-count'] = String(page.numberMatched);
	return new Response(itemsCsv(page.features, levels, query.dialect), { headers });
});

/** Creates an item (staff); body and answers in the README's "Bewerken en moderatie". */
export const POST: RequestHandler = endpoint(async (event) => {
	const ctx = writeContext(event);
	return savedResponse(
		langOf(event),
		await createItem(await storeFor(event), await jsonBody(event.request), ctx),
		true
	);
});
