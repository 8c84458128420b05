import type { RequestHandler } from './$types';
import { json } from '$lib/server/http/json';
import { apiOpenApi } from '$lib/server/ogc/openapi';

/** The OpenAPI 3.0 description of /api, the tiles and /ogc. */
export const GET: RequestHandler = ({ url }) => json(apiOpenApi(url.origin));
