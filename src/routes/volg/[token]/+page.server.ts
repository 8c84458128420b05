import { error, fail } from '@sveltejs/kit';
import { LAYER_LABELS, STATUSES, isLayer } from '$lib/domain/layers';
import { taxonomy } from '$lib/server/items/taxonomy';
import { clientOf } from '$lib/server/residents/http';
import { answerSolved, trackView } from '$lib/server/residents/track';
import type { Actions, PageServerLoad } from './$types';

const NOT_FOUND = 'Deze volglink bestaat niet. Controleer of u de hele link heeft gekopieerd.';

export const load: PageServerLoad = async ({ params, locals, url, setHeaders }) => {
	const view = await trackView(locals.db, params.token);
	if (!view) error(404, NOT_FOUND);
	// The link is the key: no shared caches, no referrer carrying it elsewhere.
	setHeaders({ 'cache-control': 'private, no-store' });
	const layer = isLayer(view.item.layer) ? view.item.layer : 'meldingen';
	const category = taxonomy().categories.find((c) => c.id === view.item.category);
	return {
		view,
		token: params.token,
		isNew: url.searchParams.has('nieuw'),
		layerLabel: LAYER_LABELS[layer],
		statuses: STATUSES[layer].map((s) => ({ id: s.id, nl: s.nl, en: s.en })),
		category: category ? { nl: category.nl, en: category.en } : null
	};
};

export const actions: Actions = {
	opgelost: async (event) => {
		const form = await event.request.formData();
		const answer = form.get('opgelost');
		if (answer !== 'ja' && answer !== 'nee') return fail(400, { solvedError: 'Kies ja of nee.' });
		const result = await answerSolved(
			event.locals.db,
			event.params.token,
			answer === 'ja',
			clientOf(event),
			{ baseUrl: event.url.origin }
		);
		if (result === 'not-found') error(404, NOT_FOUND);
		if (result === 'not-asked')
			return fail(409, { solvedError: 'Deze vraag is al beantwoord of niet meer van toepassing.' });
		return { answered: answer };
	}
};
