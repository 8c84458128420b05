import type { Handle } from '@sveltejs/kit';
import { config } from '../config.ts';

/**
 * Cross-origin access (CORS) to the public data: other sites may read the API, /ogc, the tiles
 * (with Range), the feeds and the health check. Reads only, never with credentials: the
 * answer is `*` or the named origin, and never Access-Control-Allow-Credentials, so a browser
 * refuses any cross-site request that sends cookies. Writes stay same-origin: a preflight for
 * anything but GET/HEAD is refused, and a write that carries another Origin is a 403 before it
 * reaches a route (SvelteKit's own CSRF check only looks at form content types).
 */

const PUBLIC_PREFIXES = ['/api/', '/ogc', '/tiles/', '/feeds/', '/healthz', '/open311/'];
const READS = ['GET', 'HEAD'];
/** Request headers a cross-origin reader may send: conditional and range requests, languages. */
const ALLOWED_HEADERS = [
	'accept',
	'accept-language',
	'content-language',
	'if-match',
	'if-none-match',
	'if-modified-since',
	'if-range',
	'range',
	'cache-control'
];
/** Response headers a cross-origin reader may see beyond the CORS-safelisted ones. */
const EXPOSED = [
	'Content-Range',
	'Accept-Ranges',
	'Content-Length',
	'Content-Encoding',
	'ETag',
	'Last-Modified',
	'Content-Crs',
	'Link',
	'X-Total-Count',
	'Retry-After'
];

export function isPublicPath(pathname: string): boolean {
	return pathname === '/ogc' || PUBLIC_PREFIXES.some((p) => pathname.startsWith(p));
}

/** The Access-Control-Allow-Origin value for this request's Origin, or null when it may not read. */
export function allowedOrigin(
	origin: string | null,
	allowed: '*' | readonly string[]
): string | null {
	if (!origin) return null;
	if (allowed === '*') return '*';
	return allowed.includes(origin) ? origin : null;
}

function corsHeaders(allow: string): Record<string, string> {
	return {
		'access-control-allow-origin': allow,
		'access-control-expose-headers': EXPOSED.join(', '),
		...(allow === '*' ? {} : { vary: 'Origin' })
	};
}

/** The answer to a preflight (OPTIONS with Access-Control-Request-Method), or null for any other request. */
export function preflight(
	request: Request,
	url: URL,
	allowed: '*' | readonly string[]
): Response | null {
	if (request.method !== 'OPTIONS' || !request.headers.has('access-control-request-method'))
		return null;
	const origin = request.headers.get('origin');
	const allow = allowedOrigin(origin, allowed);
	const method = request.headers.get('access-control-request-method')!.toUpperCase();
	const asked = (request.headers.get('access-control-request-headers') ?? '')
		.split(',')
		.map((h) => h.trim().toLowerCase())
		.filter(Boolean);
	const sameOrigin = origin === url.origin;
	// A same-origin preflight never happens in practice; leave it to the routes as before.
	if (sameOrigin) return null;
	if (
		!allow ||
		!isPublicPath(url.pathname) ||
		!READS.includes(method) ||
		asked.some((h) => !ALLOWED_HEADERS.includes(h))
	) {
		return new Response(null, { status: 403, headers: { vary: 'Origin' } });
	}
	return new Response(null, {
		status: 204,
		headers: {
			...corsHeaders(allow),
			'access-control-allow-methods': 'GET, HEAD, OPTIONS',
			...(asked.length ? { 'access-control-allow-headers': asked.join(', ') } : {}),
			'access-control-max-age': '86400'
		}
	});
}

/** A write with an Origin that is not ours: refused before any route or form action runs. */
export function crossOriginWrite(request: Request, url: URL): Response | null {
	if (READS.includes(request.method) || request.method === 'OPTIONS') return null;
	const origin = request.headers.get('origin');
	if (!origin || origin === url.origin) return null;
	const body = JSON.stringify({
		error:
			'Schrijven kan alleen vanaf Wijkkaart zelf (andere herkomst geweigerd). / Writes are accepted from Wijkkaart itself only.'
	});
	return new Response(body, {
		status: 403,
		headers: { 'content-type': 'application/json; charset=utf-8' }
	});
}

/** Adds the CORS headers to a read of public data from an allowed origin. */
export function addCorsHeaders(
	request: Request,
	url: URL,
	response: Response,
	allowed: '*' | readonly string[]
): Response {
	if (!READS.includes(request.method) || !isPublicPath(url.pathname)) return response;
	const allow = allowedOrigin(request.headers.get('origin'), allowed);
	if (!allow) return response;
	for (const [k, v] of Object.entries(corsHeaders(allow))) {
		if (k === 'vary') response.headers.append(k, v);
		else response.headers.set(k, v);
	}
	return response;
}

/** The hook: hooks.server.ts puts it first in its sequence. */
export const cors: Handle = async ({ event, resolve }) => {
	const allowed = config().corsOrigins;
	const early =
		preflight(event.request, event.url, allowed) ?? crossOriginWrite(event.request, event.url);
	if (early) return early;
	const response = await resolve(event);
	try {
		return addCorsHeaders(event.request, event.url, response, allowed);
	} catch {
		// Immutable headers (a fetched response passed through): copy once.
		return addCorsHeaders(event.request, event.url, new Response(response.body, response), allowed);
	}
};
