import { taxonomy } from '$lib/server/items/taxonomy';
import { formStart, submitForm } from '$lib/server/residents/form-page';
import { submitMelding } from '$lib/server/residents/submit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const tax = taxonomy();
	return {
		...(await formStart(locals.db, url.searchParams)),
		groups: tax.themes
			.map((t) => ({
				id: t.id,
				nl: t.nl,
				en: t.en,
				categories: tax.categories
					.filter((c) => c.theme === t.id)
					.map((c) => ({ id: c.id, nl: c.nl, en: c.en }))
			}))
			.filter((g) => g.categories.length > 0)
	};
};

export const actions: Actions = {
	default: (event) => submitForm(event, (db, s, client) => submitMelding(db, s, client))
};
