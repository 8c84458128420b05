import { error } from '@sveltejs/kit';
import { config } from './config.ts';
import type { Db } from './db/types.ts';
import { getArea, listLevels, storeFacts } from './areas.ts';

/** Data for /wijk/<code> and /gebied/<level>/<code>: one loader, two routes. */
export async function loadAreaPage(db: Db, code: string, level: string) {
	const detail = await getArea(db, code, level);
	if (!detail) error(404, `Er is geen ${level} met code "${code}".`);
	const [levels, facts] = await Promise.all([listLevels(db), storeFacts(db)]);
	const p = detail.feature.properties;
	return {
		area: { level: p.level, code: p.code, name: p.name, population: p.population },
		ancestors: detail.ancestors,
		children: detail.children,
		childLevel: detail.childLevel,
		bounds: detail.bounds,
		levels: levels.map((l) => l.name),
		gemeente: facts.gemeente ?? config().municipalityName,
		basemapStyleUrl: config().basemapStyleUrl
	};
}
