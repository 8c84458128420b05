import { error } from '@sveltejs/kit';
import { config } from './config.ts';
import type { Db } from './db/types.ts';
import { getArea, listLevels, storeFacts } from './areas.ts';
import { areaSummary } from './items/read.ts';
import { taxonomy } from './items/taxonomy.ts';
import { LAYER_LABELS, LAYERS } from '../domain/layers.ts';

/** Data for /wijk/<code> and /gebied/<level>/<code>: one loader, two routes. */
export async function loadAreaPage(db: Db, code: string, level: string) {
	const detail = await getArea(db, code, level);
	if (!detail) error(404, `Er is geen ${level} met code "${code}".`);
	const [levels, facts, summary] = await Promise.all([
		listLevels(db),
		storeFacts(db),
		areaSummary(db, code, level)
	]);
	const tax = taxonomy();
	const byLayer = new Map<string, number>();
	const byTheme = new Map<string, number>();
	for (const c of summary?.counts ?? []) {
		byLayer.set(c.layer, (byLayer.get(c.layer) ?? 0) + c.count);
		byTheme.set(c.theme, (byTheme.get(c.theme) ?? 0) + c.count);
	}
	const p = detail.feature.properties;
	return {
		area: { level: p.level, code: p.code, name: p.name, population: p.population },
		ancestors: detail.ancestors,
		children: detail.children,
		childLevel: detail.childLevel,
		bounds: detail.bounds,
		levels: levels.map((l) => l.name),
		gemeente: facts.gemeente ?? config().municipalityName,
		basemap: config().basemap,
		counts: {
			total: summary?.total ?? 0,
			overdue: summary?.overdue ?? 0,
			layers: LAYERS.map((l) => ({ id: l, ...LAYER_LABELS[l], count: byLayer.get(l) ?? 0 })),
			themes: tax.themes
				.map((t) => ({
					id: t.id,
					nl: t.nl,
					en: t.en,
					color: t.color,
					count: byTheme.get(t.id) ?? 0
				}))
				.filter((t) => t.count > 0),
			sensitive: (summary?.sensitive ?? []).map((s) => ({
				...s,
				category: tax.categories.find((c) => c.id === s.category)?.nl ?? s.category
			}))
		}
	};
}
