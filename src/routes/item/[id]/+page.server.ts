import { error } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { listLevels, storeFacts } from '$lib/server/areas';
import { getItem } from '$lib/server/items/read';
import { taxonomy } from '$lib/server/items/taxonomy';
import { LAYER_LABELS, STATUSES, isLayer } from '$lib/domain/layers';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	if (!/^\d{1,15}$/.test(params.id)) error(400, `"${params.id}" is geen nummer van een item.`);
	const item = await getItem(locals.db, Number(params.id));
	if (!item) error(404, `Item ${params.id} bestaat niet of is niet openbaar.`);
	const p = item.properties;
	const tax = taxonomy();
	const [bbox] = await locals.db.query<{ w: number; s: number; e: number; n: number }>(
		`SELECT ST_XMin(b)::float8 w, ST_YMin(b)::float8 s, ST_XMax(b)::float8 e, ST_YMax(b)::float8 n
		 FROM (SELECT ST_Expand(ST_Envelope(ST_GeomFromGeoJSON($1)), 0.004) b) x`,
		[JSON.stringify(item.geometry)]
	);
	const [levels, facts, photos] = await Promise.all([
		listLevels(locals.db),
		storeFacts(locals.db),
		// Only photos a moderator made public; the item itself is public, or getItem gave null.
		locals.db.query<{ id: number; width: number; height: number }>(
			'SELECT id, width, height FROM item_photo WHERE item_id = $1 AND public ORDER BY id',
			[p.id]
		)
	]);
	const layer = isLayer(p.layer) ? p.layer : null;
	const theme = (id: string) => tax.themes.find((t) => t.id === id);
	const category = p.category ? tax.categories.find((c) => c.id === p.category) : undefined;
	return {
		item,
		layerLabel: layer ? LAYER_LABELS[layer] : { nl: p.layer, en: p.layer },
		statuses: layer ? STATUSES[layer].map((s) => ({ id: s.id, nl: s.nl, en: s.en })) : [],
		themes: [p.theme, ...p.themes.filter((t) => t !== p.theme)].map((id) => ({
			id,
			nl: theme(id)?.nl ?? id,
			en: theme(id)?.en ?? id,
			color: theme(id)?.color ?? '#44505c'
		})),
		category: category ? { nl: category.nl, en: category.en, slaDays: category.slaDays } : null,
		bounds: [
			[bbox.w, bbox.s],
			[bbox.e, bbox.n]
		] as [[number, number], [number, number]],
		levels: levels.map((l) => l.name),
		photos: photos,
		gemeente: facts.gemeente ?? config().municipalityName,
		basemap: config().basemap
	};
};
