import { error } from '@sveltejs/kit';
import { buildSlides } from '$lib/server/agenda/slides';
import { agendaView } from '$lib/server/agenda/view';
import { getArea, listLevels } from '$lib/server/areas';
import { config, publicOrigin } from '$lib/server/config';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const area = await getArea(locals.db, params.code, 'wijk');
	if (!area) error(404, `Er is geen wijk met code "${params.code}".`);
	const view = await agendaView(locals.db, params.code, url.searchParams.get('sinds'));
	if (!view) error(404, `Wijk ${area.feature.properties.name} heeft (nog) geen wijkagenda.`);
	const levels = await listLevels(locals.db);
	return {
		wijk: { code: area.feature.properties.code, name: area.feature.properties.name },
		bounds: area.bounds,
		basemap: config().basemap,
		levels: levels.map((l) => l.name),
		view,
		slides: await buildSlides(view, publicOrigin(url)),
		themes: taxonomy().themes.map((t) => ({ id: t.id, nl: t.nl, en: t.en }))
	};
};
