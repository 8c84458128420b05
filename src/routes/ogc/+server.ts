import type { RequestHandler } from './$types';
import { JSON_TYPE, landingPage } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';

/** The landing page of OGC API Features (README: "OGC API Features"). */
export const GET: RequestHandler = (event) =>
	ogc(event, async ({ base, lang, format }) => {
		const doc = landingPage(base, lang);
		return format === 'html' ? html(doc.title, doc, lang) : body(doc, JSON_TYPE);
	});
