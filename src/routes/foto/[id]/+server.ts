import type { RequestHandler } from './$types';
import { msg, NotFoundError } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { storeFor } from '$lib/server/http/json';
import { photoResponse, publicPhoto } from '$lib/server/residents/photos';

/** GET /foto/<id> — a melding photo, 404 until staff make it public. */
export const GET: RequestHandler = endpoint(async (event) => {
	const id = /^\d{1,15}$/.test(event.params.id) ? Number(event.params.id) : null;
	const photo = id === null ? null : await publicPhoto(await storeFor(event), id);
	if (!photo) throw new NotFoundError(msg('errors.photo.notPublic'));
	return photoResponse(photo, 'public, max-age=300');
});
