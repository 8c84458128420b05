import { error } from '@sveltejs/kit';
import { photoResponse } from '$lib/server/residents/photos';
import { staffPhoto } from '$lib/server/photo-moderation';
import type { RequestHandler } from './$types';

/** A photo as the moderator sees it before deciding; never cached by anyone else. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const id = /^\d{1,18}$/.test(params.id) ? Number(params.id) : NaN;
	const photo = Number.isSafeInteger(id) ? await staffPhoto(locals.db, id) : null;
	if (!photo) error(404, 'Deze foto bestaat niet (meer).');
	return photoResponse(photo, 'private, no-store');
};
