import type { RequestHandler } from './$types';
import { notFound } from '$lib/server/ogc/not-found';

/** Any /api address without a route: a JSON 404, never the HTML error page. */
export const GET: RequestHandler = (event) => notFound(event, '/api/openapi.json');
