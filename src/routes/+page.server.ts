import { config } from '$lib/server/config';
import { areaTree, listLevels, municipalityBounds } from '$lib/server/areas';
import { ParamError, parseItemQuery } from '$lib/domain/filters';
import { LAYER_LABELS, LAYERS, STATUSES } from '$lib/domain/layers';
import { themeIds } from '$lib/domain/themes';
import { listItems, UnknownAreaError } from '$lib/server/items/read';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { PageServerLoad } from './$types';

/** Filter parameters the home page understands; everything else (e.g. lang) stays out of the item query. */
const FILTER_KEYS = ['layer', 'theme', 'status', 'area', 'from', 'to', 'q'];

export const load: PageServerLoad = async ({ locals, url }) => {
	const tax = taxonomy();
	const filterParams = new URLSearchParams();
	for (const [k, v] of url.searchParams) if (FILTER_KEYS.includes(k) && v !== '') filterParams.append(k, v);

	const [levels, bounds, tree] = await Promise.all([listLevels(locals.db), municipalityBounds(locals.db), areaTree(locals.db)]);
	// Without JavaScript the list still shows what matches; the map then refines it to its view.
	let filterError: string | null = null;
	let initial: Awaited<ReturnType<typeof listItems>>['features'] = [];
	try {
		const query = parseItemQuery(new URLSearchParams([...filterParams, ['limit', '200']]), themeIds(tax));
		initial = (await listItems(locals.db, query)).features;
	} catch (err) {
		if (!(err instanceof ParamError || err instanceof UnknownAreaError)) throw err;
		filterError = err.message;
	}
	return {
		levels: levels.map((l) => l.name),
		bounds,
		tree,
		basemapStyleUrl: config().basemapStyleUrl,
		filters: {
			layers: filterParams.getAll('layer').flatMap((v) => v.split(',')),
			themes: filterParams.getAll('theme').flatMap((v) => v.split(',')),
			status: filterParams.get('status') ?? '',
			area: filterParams.get('area') ?? '',
			from: filterParams.get('from') ?? '',
			to: filterParams.get('to') ?? '',
			q: filterParams.get('q') ?? ''
		},
		itemQuery: filterError ? '' : filterParams.toString(),
		filterError,
		initial: initial.map((f) => ({ ...f, geometry: f.geometry })),
		themes: tax.themes.map((t) => ({ id: t.id, nl: t.nl, en: t.en, color: t.color })),
		layers: LAYERS.map((l) => ({ id: l, ...LAYER_LABELS[l], statuses: STATUSES[l].map((s) => ({ id: s.id, nl: s.nl, en: s.en })) }))
	};
};
