import { msg } from '$lib/domain/errors';
import { staffActor } from '$lib/server/auth/guard';
import { actionFailure, langOf } from '$lib/server/http/errors';
import { randomPassword } from '$lib/server/auth/password';
import {
	addUser,
	changeUser,
	disableUser,
	enableUser,
	listUsers,
	normalizeEmail,
	resetPassword,
	UserInputError
} from '$lib/server/auth/users';
import { ROLES } from '$lib/domain/staff';
import type { Actions, PageServerLoad } from './$types';

/**
 * Staff accounts for the beheerder (the guard admits no one else: policy.ts RULES). Every action
 * calls the same functions as `npm run user` (auth/users.ts), which audit the change; sessions
 * read the account on every request, so a change reaches open sessions on their next request.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const wijken = await locals.db.query<{ code: string; name: string }>(
		`SELECT code, name FROM area WHERE level = 'wijk' ORDER BY code`
	);
	return { users: await listUsers(locals.db), wijken, roles: [...ROLES], me: locals.user!.email };
};

type Act = 'add' | 'change' | 'disable' | 'enable' | 'reset';

/**
 * One shape for every outcome: which form, for which account, and a message (in the page's
 * language) or a one-time password.
 */
async function run(
	event: { locals: App.Locals },
	act: Act,
	email: string,
	fn: () => Promise<string | null>
) {
	try {
		const password = await fn();
		return { act, email, ok: true as const, password, message: null };
	} catch (err) {
		if (err instanceof UserInputError)
			return actionFailure(err, langOf(event), {
				act,
				email,
				ok: false as const,
				password: null
			});
		throw err;
	}
}

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export const actions: Actions = {
	add: async (event) => {
		const form = await event.request.formData();
		const { actor, client } = staffActor(event);
		const email = text(form, 'email');
		return run(event, 'add', email, async () => {
			const password = randomPassword();
			await addUser(
				event.locals.db,
				{
					email,
					role: text(form, 'role'),
					wijken: form.getAll('wijk').map(String),
					name: text(form, 'name'),
					department: text(form, 'department') || null,
					password
				},
				actor,
				client
			);
			return password;
		});
	},
	change: async (event) => {
		const form = await event.request.formData();
		const { actor, client } = staffActor(event);
		const email = text(form, 'email');
		return run(event, 'change', email, async () => {
			await changeUser(
				event.locals.db,
				email,
				{
					role: text(form, 'role'),
					wijken: form.getAll('wijk').map(String),
					name: text(form, 'name'),
					department: text(form, 'department') || null
				},
				actor,
				client
			);
			return null;
		});
	},
	disable: async (event) => {
		const form = await event.request.formData();
		const { actor, client } = staffActor(event);
		const email = text(form, 'email');
		return run(event, 'disable', email, async () => {
			// The last way back in would be the CLI: a beheerder does not lock themself out here.
			if (normalizeEmail(email) === event.locals.user!.email)
				throw new UserInputError(msg('errors.user.self'));
			await disableUser(event.locals.db, email, actor, client);
			return null;
		});
	},
	enable: async (event) => {
		const form = await event.request.formData();
		const { actor, client } = staffActor(event);
		const email = text(form, 'email');
		return run(event, 'enable', email, async () => {
			await enableUser(event.locals.db, email, actor, client);
			return null;
		});
	},
	reset: async (event) => {
		const form = await event.request.formData();
		const { actor, client } = staffActor(event);
		const email = text(form, 'email');
		return run(event, 'reset', email, async () => {
			const password = randomPassword();
			await resetPassword(event.locals.db, email, password, actor, client);
			return password;
		});
	}
};
