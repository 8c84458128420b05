import type { RequestHandler } from './$types';
import { taxonomy } from '$lib/server/items/taxonomy';
import { document, open311 } from '$lib/server/open311/http';
import { serviceDefinition } from '$lib/server/open311/services';

/** GeoReport v2 service definition: services/{service_code}.json|.xml. */
export const GET: RequestHandler = (event) =>
	open311(event, event.params.file, async (ctx) => {
		const def = serviceDefinition(taxonomy(), ctx.name);
		const value = ctx.format === 'xml' ? { service_code: def.service_code, attributes: null } : def;
		return document(ctx.format, value, { root: 'service_definition' }, { lang: ctx.lang });
	});
