import { AppError } from '$lib/domain/errors';
import { fail } from '@sveltejs/kit';
import { followChoices, followScope, scopeLinks } from '$lib/server/mail/follow-page';
import { subscribe, SUBSCRIBE_MESSAGES } from '$lib/server/mail/subscriptions';
import { subscriptionScope } from '$lib/server/mail/send';
import { clientOf } from '$lib/server/residents/http';
import { allow, limits, RATE_MESSAGES } from '$lib/server/residents/rate-limit';
import type { FeedScope } from '$lib/server/residents/feeds';
import type { Actions, PageServerLoad } from './$types';

async function described(db: App.Locals['db'], scope: FeedScope, lang: 'nl' | 'en') {
	if (scope.kind === 'item') return { name: scope.title };
	const named = await subscriptionScope(
		db,
		{
			id: 0,
			email: '',
			kind: scope.kind,
			area_level: scope.kind === 'area' ? scope.level : null,
			area_code: scope.kind === 'area' ? scope.code : null,
			theme: scope.kind === 'theme' ? scope.id : null,
			lon: scope.kind === 'point' ? scope.lon : null,
			lat: scope.kind === 'point' ? scope.lat : null,
			radius_m: scope.kind === 'point' ? scope.radius : null,
			confirmed_at: null
		},
		lang
	);
	return { name: named?.name ?? '' };
}

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = await followScope(locals.db, url.searchParams);
	if (scope === null)
		return { scope: null, choices: await followChoices(locals.db, locals.lang), error: null };
	if (scope instanceof AppError)
		return {
			scope: null,
			choices: await followChoices(locals.db, locals.lang),
			error: scope.messageIn(locals.lang)
		};
	return {
		scope: {
			...scopeLinks(scope),
			...(await described(locals.db, scope, locals.lang)),
			email: scope.kind !== 'item'
		},
		choices: null,
		error: null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const params = new URLSearchParams();
		for (const k of ['soort', 'code', 'lat', 'lon', 'r']) {
			const v = form.get(k);
			if (typeof v === 'string' && v) params.set(k, v);
		}
		const email = String(form.get('email') ?? '');
		const lang = event.locals.lang;
		// Every subscription sends a message to an address someone typed: limited like submissions.
		if (!(await allow(event.locals.db, clientOf(event), limits.submit())))
			return fail(429, { email, error: RATE_MESSAGES.submit });
		const scope = await followScope(event.locals.db, params);
		if (!scope || scope instanceof AppError)
			return fail(400, { email, error: SUBSCRIBE_MESSAGES.scope[lang] });
		const res = await subscribe(event.locals.db, email, scope, lang, event.url.origin);
		if (!res.ok) return fail(400, { email, error: SUBSCRIBE_MESSAGES[res.code][lang] });
		return { subscribed: true };
	}
};
