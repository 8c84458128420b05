import { fail } from '@sveltejs/kit';
import { confirmSubscription } from '$lib/server/mail/subscriptions';
import { findToken } from '$lib/server/mail/tokens';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows a button: mail scanners that prefetch links confirm nothing.
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	return { known: (await findToken(locals.db, params.token, 'bevestigen')) !== null };
};

export const actions: Actions = {
	default: async ({ params, locals }) =>
		(await confirmSubscription(locals.db, params.token))
			? { confirmed: true }
			: fail(404, { confirmed: false })
};
