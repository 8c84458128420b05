import type { RequestHandler } from './$types';
import { OPENAPI_TYPE } from '$lib/server/ogc/documents';
import { body, html, ogc } from '$lib/server/ogc/http';
import { message } from '$lib/server/ogc/messages';
import { ogcOpenApi } from '$lib/server/ogc/openapi';

/** The OpenAPI 3.0 definition of /ogc (the landing page's service-desc). */
export const GET: RequestHandler = (event) =>
	ogc(event, async ({ base, lang, format }) => {
		const doc = ogcOpenApi(base);
		if (format === 'html') {
			const links = Object.keys(doc.paths).map((p) => ({
				href: `${base}${p === '/' ? '' : p}`,
				rel: 'path',
				title: `GET ${p}`
			}));
			return html(message(lang, 'apiDefinition'), { links }, lang);
		}
		return body(doc, OPENAPI_TYPE);
	});
