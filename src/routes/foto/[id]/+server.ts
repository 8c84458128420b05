import type { RequestHandler } from './$types';
import { jsonError, storeFor } from '$lib/server/http/json';
import { photoResponse, publicPhoto } from '$lib/server/residents/photos';

/** GET /foto/<id> — a melding photo, 404 until staff make it public. */
export const GET: RequestHandler = async (event) => {
	const id = /^\d{1,15}$/.test(event.params.id) ? Number(event.params.id) : null;
	const photo = id === null ? null : await publicPhoto(await storeFor(event), id);
	if (!photo) return jsonError(404, 'Deze foto bestaat niet of is niet openbaar.');
	return photoResponse(photo, 'public, max-age=300');
};
