import { fail } from '@sveltejs/kit';
import { unsubscribe, unsubscribeTarget } from '$lib/server/mail/subscriptions';
import type { Actions, PageServerLoad } from './$types';

// A stop link opens a page with one button; the POST stops (a link preview must not).
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store' });
	const target = await unsubscribeTarget(locals.db, params.token);
	return { target: target ? ('itemId' in target ? 'item' : 'subscription') : null };
};

export const actions: Actions = {
	default: async ({ params, locals }) =>
		(await unsubscribe(locals.db, params.token)) ? { done: true } : fail(404, { done: false })
};
