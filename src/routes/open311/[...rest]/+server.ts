import type { RequestHandler } from './$types';
import { open311, Open311Error } from '$lib/server/open311/http';

/** Any other /open311 address: a 404 in the GeoReport v2 error format (XML when it ends in .xml). */
export const GET: RequestHandler = (event) =>
	open311(event, event.params.rest.endsWith('.xml') ? 'x.xml' : 'x.json', async (ctx) => {
		throw new Open311Error(404, 'notFound', { path: ctx.url.pathname });
	});
