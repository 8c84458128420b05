import { WIJK_LEVEL } from '$lib/domain/area';
import { agendaView } from '$lib/server/agenda/view';
import { loadAreaPage } from '$lib/server/area-page';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const [area, agenda] = await Promise.all([
		loadAreaPage(locals.db, params.code, WIJK_LEVEL),
		agendaView(locals.db, params.code, url.searchParams.get('sinds'))
	]);
	return {
		...area,
		agenda,
		themeLabels: Object.fromEntries(taxonomy().themes.map((t) => [t.id, { nl: t.nl, en: t.en }]))
	};
};
