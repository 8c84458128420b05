import { config } from '$lib/server/config';
import { areaTree, listLevels, municipalityBounds } from '$lib/server/areas';
import { MAX_LIMIT, ParamError, parseItemQuery } from '$lib/domain/filters';
import { filterParams, splitThemes } from '$lib/domain/home-filters';
import { LAYER_LABELS, LAYERS, STATUSES } from '$lib/domain/layers';
import { themeIds } from '$lib/domain/themes';
import { countUpTo, listItems, UnknownAreaError } from '$lib/server/items/read';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, untrack }) => {
	const tax = taxonomy();
	// Read untracked: a filter change is a client navigation that this load need not answer. The
	// page follows its URL and the map fetches /api/items itself; this is the first render.
	const filters = untrack(() => filterParams(url.searchParams));

	const [levels, bounds, tree] = await Promise.all([
		listLevels(locals.db),
		municipalityBounds(locals.db),
		areaTree(locals.db)
	]);
	// Without JavaScript the list still shows what matches; the map then refines it to its view.
	let filterError: string | null = null;
	let initial: Awaited<ReturnType<typeof listItems>>['features'] = [];
	let dense = false;
	try {
		const query = parseItemQuery(
			new URLSearchParams([...filters, ['limit', '200']]),
			themeIds(tax)
		);
		initial = (await listItems(locals.db, query)).features;
		// Whether the first view holds more than the map's one request returns (themes are drawn on
		// the client, so without them): the map then shows item tiles at once, without waiting for
		// that request to tell it so.
		if (bounds) {
			const view = new URLSearchParams(splitThemes(filters.toString()).rest);
			view.set('bbox', bounds.flat().join(','));
			dense =
				(await countUpTo(locals.db, parseItemQuery(view, themeIds(tax)), MAX_LIMIT)) > MAX_LIMIT;
		}
	} catch (err) {
		if (!(err instanceof ParamError || err instanceof UnknownAreaError)) throw err;
		filterError = err.message;
	}
	return {
		levels: levels.map((l) => l.name),
		bounds,
		tree,
		basemap: config().basemap,
		/** The filters the server judged; its error belongs to these only. */
		checkedQuery: filters.toString(),
		filterError,
		initial: initial.map((f) => ({ ...f, geometry: f.geometry })),
		dense,
		themes: tax.themes.map((t) => ({ id: t.id, nl: t.nl, en: t.en, color: t.color })),
		layers: LAYERS.map((l) => ({
			id: l,
			...LAYER_LABELS[l],
			statuses: STATUSES[l].map((s) => ({ id: s.id, nl: s.nl, en: s.en }))
		}))
	};
};
