import { LAYER_LABELS, LAYERS, isLayer } from '$lib/domain/layers';
import { listStaffItems } from '$lib/server/items/staff-read';
import { taxonomy } from '$lib/server/items/taxonomy';
import type { PageServerLoad } from './$types';

const DELETED = ['zonder', 'met', 'alleen'] as const;

export const load: PageServerLoad = async ({ url, locals }) => {
	const q = (k: string) => url.searchParams.get(k)?.trim() || null;
	const deletedRaw = q('verwijderd');
	const deleted = (DELETED as readonly string[]).includes(deletedRaw ?? '') ? (deletedRaw as (typeof DELETED)[number]) : 'zonder';
	const layer = q('laag');
	const filters = { layer: layer && isLayer(layer) ? layer : null, theme: q('thema'), status: q('status'), area: q('gebied'), q: q('q'), deleted };
	const items = await listStaffItems(locals.db, { ...filters, limit: 300 });
	return {
		filters,
		items: items.map((i) => ({ id: i.id, layer: i.layer, title: i.title, status: i.status, theme: i.theme, wijk: Object.values(i.areas)[0] ?? '', deletedAt: i.deletedAt, moderation: i.moderation, updatedAt: i.updatedAt, version: i.version })),
		layers: LAYERS.map((l) => ({ id: l, label: LAYER_LABELS[l][locals.lang] })),
		themes: taxonomy().themes.map((t) => ({ id: t.id, label: t[locals.lang] }))
	};
};
