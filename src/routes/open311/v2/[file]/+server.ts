import type { RequestHandler } from './$types';
import { config, publicOrigin } from '$lib/server/config';
import { taxonomy } from '$lib/server/items/taxonomy';
import { document, open311, Open311Error } from '$lib/server/open311/http';
import { postRequest } from '$lib/server/open311/post';
import { listRequests, parseRequestFilter } from '$lib/server/open311/requests';
import { discovery, discoveryXml, services } from '$lib/server/open311/services';

/** GeoReport v2: discovery, services and requests, each as .json or .xml (docs/api.md). */
export const GET: RequestHandler = (event) =>
	open311(event, event.params.file, async (ctx) => {
		const origin = publicOrigin(ctx.url);
		if (ctx.name === 'discovery') {
			const doc = discovery(origin, config().municipalityName, ctx.lang);
			return document(
				ctx.format,
				ctx.format === 'xml' ? discoveryXml(doc) : doc,
				{ root: 'discovery' },
				{ lang: ctx.lang }
			);
		}
		if (ctx.name === 'services')
			return document(
				ctx.format,
				services(taxonomy(), ctx.lang),
				{ root: 'services', element: 'service' },
				{ lang: ctx.lang }
			);
		if (ctx.name === 'requests') {
			const tax = taxonomy();
			const { requests, total } = await listRequests(
				ctx.db,
				parseRequestFilter(ctx.url.searchParams, tax),
				tax,
				ctx.lang,
				origin
			);
			return document(
				ctx.format,
				requests,
				{ root: 'service_requests', element: 'request' },
				{ lang: ctx.lang, headers: { 'x-total-count': String(total) } }
			);
		}
		throw new Open311Error(404, 'notFound', { path: ctx.url.pathname });
	});

export const POST: RequestHandler = (event) =>
	open311(
		event,
		event.params.file,
		async (ctx) => {
			if (ctx.name !== 'requests')
				throw new Open311Error(404, 'notFound', { path: ctx.url.pathname });
			return postRequest(event, ctx);
		},
		true
	);
