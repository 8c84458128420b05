import type { RequestHandler } from './$types';
import { extent, collectionOf } from '$lib/server/ogc/collections';
import { collectionDocument, JSON_TYPE } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';

export const GET: RequestHandler = (event) =>
	ogc(event, async ({ db, base, lang, format }) => {
		const c = await collectionOf(db, event.params.id, lang);
		const doc = await collectionDocument(base, c, await extent(db));
		return format === 'html' ? html(doc.title, doc, lang) : body(doc, JSON_TYPE);
	});
