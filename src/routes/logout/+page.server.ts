import { redirect } from '@sveltejs/kit';
import { clientOf } from '$lib/server/auth/guard';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { signOut } from '$lib/server/auth/users';
import type { Actions } from './$types';

export const actions: Actions = {
	// The session ends in the store, so a copied cookie stops working too.
	default: async (event) => {
		await signOut(
			event.locals.db,
			event.locals.user,
			event.cookies.get(SESSION_COOKIE),
			clientOf(event)
		);
		clearSessionCookie(event.cookies, event.url);
		redirect(303, '/');
	}
};
