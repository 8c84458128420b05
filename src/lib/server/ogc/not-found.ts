import type { RequestEvent } from '@sveltejs/kit';
import { errorResponse, OgcError, type Lang } from './messages.ts';

export function notFound(event: RequestEvent, doc: string): Response {
	const lang: Lang = (event.locals as { lang?: Lang }).lang === 'en' ? 'en' : 'nl';
	return errorResponse(
		lang,
		new OgcError(404, 'NotFound', 'notFound', { path: event.url.pathname, doc })
	);
}
