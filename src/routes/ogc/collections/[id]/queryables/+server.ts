import type { RequestHandler } from './$types';
import { collectionOf } from '$lib/server/ogc/collections';
import { queryablesDocument } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';

export const GET: RequestHandler = (event) =>
	ogc(event, async ({ db, base, lang, format }) => {
		const doc = queryablesDocument(base, await collectionOf(db, event.params.id, lang));
		return format === 'html'
			? html(`Queryables: ${doc.title}`, {}, lang)
			: body(doc, 'application/schema+json');
	});
