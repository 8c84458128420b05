import { fail, redirect } from '@sveltejs/kit';
import { clientOf } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/sessions';
import { signIn } from '$lib/server/auth/users';
import { sameSitePath } from '$lib/server/http/same-site';
import type { Actions, PageServerLoad } from './$types';

/** Only a path on this site: never an address elsewhere ("//evil.example", "https://…"). */
const safeRedirect = (target: string | null) => sameSitePath(target, '/beheer');

export const load: PageServerLoad = async ({ locals, url }) => {
	return {
		user: locals.user ? { name: locals.user.name || locals.user.email } : null,
		redirectTo: safeRedirect(url.searchParams.get('redirectTo'))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const email = String(form.get('email') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const redirectTo = safeRedirect(String(form.get('redirectTo') ?? ''));
		const errors: { email?: string; password?: string } = {};
		if (!email) errors.email = 'email';
		if (!password) errors.password = 'password';
		if (errors.email || errors.password)
			return fail(400, { email, errors, problem: null, minutes: 0 });

		const result = await signIn(event.locals.db, email, password, clientOf(event));
		if (!result.ok) {
			return result.reason === 'throttled'
				? fail(429, { email, errors, problem: 'throttled' as const, minutes: result.minutes })
				: fail(400, { email, errors, problem: 'invalid' as const, minutes: 0 });
		}
		setSessionCookie(event.cookies, event.url, result.token);
		redirect(303, redirectTo);
	}
};
