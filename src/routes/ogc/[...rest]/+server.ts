import type { RequestHandler } from './$types';
import { notFound } from '$lib/server/ogc/not-found';

/** Any /ogc address without a route: a JSON 404 in the OGC exception shape. */
export const GET: RequestHandler = (event) => notFound(event, '/ogc/api');
