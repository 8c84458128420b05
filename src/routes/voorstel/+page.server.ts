import { taxonomy } from '$lib/server/items/taxonomy';
import { formStart, submitForm } from '$lib/server/residents/form-page';
import { submitInitiative } from '$lib/server/residents/submit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const finest = await locals.db.query<{ code: string; name: string }>(
		`SELECT a.code, a.name FROM area a JOIN area_level l ON l.name = a.level
		 WHERE l.depth = (SELECT max(depth) FROM area_level) ORDER BY a.name`
	);
	return {
		...(await formStart(locals.db, url.searchParams)),
		themes: taxonomy().themes.map((t) => ({ id: t.id, nl: t.nl, en: t.en })),
		areas: finest
	};
};

export const actions: Actions = {
	default: (event) => submitForm(event, (db, s, client) => submitInitiative(db, s, client))
};
