import { config } from '$lib/server/config';
import { areaTree, listLevels, municipalityBounds } from '$lib/server/areas';
import { LAYER_LABELS, LAYERS, STATUSES } from '$lib/domain/layers';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { PageServerLoad } from './$types';

/** The page only describes what can be chosen; every number is fetched from /api/analyse/*. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const [levels, bounds, tree] = await Promise.all([
		listLevels(locals.db),
		municipalityBounds(locals.db),
		areaTree(locals.db)
	]);
	return {
		// Names on the map for the two coarsest levels (the wijken and buurten of Utrecht).
		names: tree
			.flatMap((w) => [w, ...w.children])
			.map((a) => ({ level: a.level, name: a.name, label: a.label })),
		levels: levels.map((l) => l.name),
		bounds,
		basemap: config().basemap,
		staff: locals.user !== null,
		query: url.searchParams.toString(),
		themes: taxonomy().themes.map((t) => ({ id: t.id, nl: t.nl, en: t.en, color: t.color })),
		layers: LAYERS.map((l) => ({
			id: l,
			...LAYER_LABELS[l],
			statuses: STATUSES[l].map((s) => ({ id: s.id, nl: s.nl, en: s.en }))
		}))
	};
};
