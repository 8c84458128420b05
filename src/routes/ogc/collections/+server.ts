import type { RequestHandler } from './$types';
import { listCollections } from '$lib/server/ogc/collections';
import { collectionsDocument, JSON_TYPE } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';
import { message } from '$lib/server/ogc/messages';

export const GET: RequestHandler = (event) =>
	ogc(event, async ({ db, base, lang, format }) => {
		const doc = await collectionsDocument(base, await listCollections(db, lang), db, lang);
		if (format === 'html') {
			const links = [
				...doc.links,
				...doc.collections.map((c) => ({
					href: c.links[0].href,
					rel: 'collection',
					title: c.title
				}))
			];
			return html(message(lang, 'collections'), { links }, lang);
		}
		return body(doc, JSON_TYPE);
	});
