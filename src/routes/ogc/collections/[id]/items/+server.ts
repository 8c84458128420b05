import type { RequestHandler } from './$types';
import { readPage, collectionOf } from '$lib/server/ogc/collections';
import { crsHeaders, GEOJSON, itemsDocument } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';
import { parseFeatureParams } from '$lib/server/ogc/params';

/** Features of a collection, paged with next/prev links; same visibility as /api/items. */
export const GET: RequestHandler = (event) =>
	ogc(event, async ({ db, url, lang, format }) => {
		const c = await collectionOf(db, event.params.id, lang);
		const f = parseFeatureParams(url.searchParams, c.queryables);
		const doc = itemsDocument(url, await readPage(db, await c.source(db, f), f), f, lang);
		return format === 'html' ? html(c.title, doc, lang) : body(doc, GEOJSON, crsHeaders(f.crs));
	});
