import type { RequestHandler } from './$types';
import { readOne, collectionOf } from '$lib/server/ogc/collections';
import { crsHeaders, featureDocument, GEOJSON } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';
import { OgcError } from '$lib/server/ogc/messages';
import { checkOnly, parseFeatureParams } from '$lib/server/ogc/params';

export const GET: RequestHandler = (event) =>
	ogc(event, async ({ db, url, lang, format }) => {
		checkOnly(url.searchParams, ['f', 'crs']);
		const c = await collectionOf(db, event.params.id, lang);
		const f = parseFeatureParams(url.searchParams, {});
		const feature = await readOne(db, await c.source(db, f), event.params.featureId, f.crs);
		if (!feature)
			throw new OgcError(404, 'NotFound', 'noFeature', {
				id: event.params.featureId,
				collection: c.id
			});
		const doc = featureDocument(url, feature, lang);
		return format === 'html'
			? html(`${c.title}: ${feature.id}`, { links: doc.links, features: [feature] }, lang)
			: body(doc, GEOJSON, crsHeaders(f.crs));
	});
