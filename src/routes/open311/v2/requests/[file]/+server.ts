import type { RequestHandler } from './$types';
import { publicOrigin } from '$lib/server/config';
import { taxonomy } from '$lib/server/items/taxonomy';
import { document, open311, Open311Error } from '$lib/server/open311/http';
import { listRequests, parseRequestFilter } from '$lib/server/open311/requests';

/** GeoReport v2 one request: requests/{service_request_id}.json|.xml, a list of one (404 when not public). */
export const GET: RequestHandler = (event) =>
	open311(event, event.params.file, async (ctx) => {
		if (!/^\d{1,15}$/.test(ctx.name)) throw new Open311Error(404, 'noRequest', { id: ctx.name });
		const tax = taxonomy();
		const filter = parseRequestFilter(new URLSearchParams({ service_request_id: ctx.name }), tax);
		const { requests } = await listRequests(ctx.db, filter, tax, ctx.lang, publicOrigin(ctx.url));
		if (requests.length === 0) throw new Open311Error(404, 'noRequest', { id: ctx.name });
		return document(
			ctx.format,
			requests,
			{ root: 'service_requests', element: 'request' },
			{ lang: ctx.lang }
		);
	});
