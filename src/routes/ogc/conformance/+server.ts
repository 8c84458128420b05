import type { RequestHandler } from './$types';
import { conformance, JSON_TYPE } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';
import { message } from '$lib/server/ogc/messages';

export const GET: RequestHandler = (event) =>
	ogc(event, async ({ lang, format }) => {
		const doc = conformance();
		return format === 'html'
			? html(
					message(lang, 'conformance'),
					{ links: doc.conformsTo.map((href) => ({ href, rel: 'conformance' })) },
					lang
				)
			: body(doc, JSON_TYPE);
	});
