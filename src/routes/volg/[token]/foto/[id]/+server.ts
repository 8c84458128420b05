import type { RequestHandler } from './$types';
import { msg, NotFoundError } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { storeFor } from '$lib/server/http/json';
import { ownPhoto, photoResponse } from '$lib/server/residents/photos';

/** GET /volg/<token>/foto/<id> — the submitter's own photo, before it is public. */
export const GET: RequestHandler = endpoint(async (event) => {
	const id = /^\d{1,15}$/.test(event.params.id) ? Number(event.params.id) : null;
	const photo = id === null ? null : await ownPhoto(await storeFor(event), event.params.token, id);
	if (!photo) throw new NotFoundError(msg('errors.photo.missing'));
	return photoResponse(photo, 'private, no-store');
});
