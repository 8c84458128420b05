import { config } from '$lib/server/config';
import { listLevels } from '$lib/server/areas';
import { taxonomy } from '$lib/server/items/taxonomy';
import { LAYER_LABELS, LAYERS, STATUSES } from '$lib/domain/layers';
import { RADII } from '$lib/domain/nearby';
import { clientOf } from '$lib/server/residents/http';
import { nearFor } from '$lib/server/residents/near';
import { allow, limits, RATE_MESSAGES } from '$lib/server/residents/rate-limit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { url, locals } = event;
	const p = url.searchParams;
	const limited = p.get('q')?.trim() && !(await allow(locals.db, clientOf(event), limits.search()));
	const near = limited ? null : await nearFor(locals.db, p);
	const tax = taxonomy();
	return {
		near: near && { ...near, error: null },
		error: limited ? RATE_MESSAGES.search : (near?.error?.messageIn(locals.lang) ?? null),
		q: p.get('q') ?? '',
		label: p.get('label') ?? near?.hit?.label ?? null,
		radius: near?.radius ?? 500,
		radii: [...RADII],
		chosen: { layers: p.getAll('layer'), themes: p.getAll('theme') },
		layers: LAYERS.map((l) => ({ id: l, ...LAYER_LABELS[l] })),
		statuses: Object.fromEntries(
			LAYERS.map((l) => [l, STATUSES[l].map((s) => ({ id: s.id, nl: s.nl, en: s.en }))])
		),
		themes: tax.themes.map((t) => ({ id: t.id, nl: t.nl, en: t.en, color: t.color })),
		levels: (await listLevels(locals.db)).map((l) => l.name),
		basemap: config().basemap
	};
};
