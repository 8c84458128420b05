import { perThousand, themesAboveMedian } from '../../domain/analyse.ts';
import type { AnalyseQuery } from '../../domain/analyse-params.ts';
import type { Sql } from '../db/types.ts';
import type { Audience } from '../items/read.ts';
import { filterSql, resolveLevel, wardsAt } from './common.ts';

export interface WideTheme {
	theme: string;
	/** Wards where the theme's rate is above the city median. */
	wards: string[];
	/** The theme's rate per 1,000 in every ward with a usable population, for small multiples. */
	rates: { code: string; name: string; count: number; per1000: number }[];
}

export interface WideThemes {
	level: string;
	minWards: number;
	/** Median rate per 1,000 over every ward × theme present; null when no ward has a population. */
	median: number | null;
	/** Wards left out for want of (enough) inhabitants. */
	unrated: { code: string; name: string; reason: string }[];
	themes: WideTheme[];
	audience: Audience;
}

/** Themes above the city median (per 1,000 inhabitants) in at least minWards wards. */
export async function wideThemes(
	db: Sql,
	q: AnalyseQuery,
	audience: Audience,
	allThemes: string[]
): Promise<WideThemes> {
	const level = await resolveLevel(db, q.level);
	const { from, where, params, p } = await filterSql(db, q.filter, audience);
	const counts = await db.query<{ ward: string; theme: string; n: number }>(
		`SELECT i.areas ->> ${p(level)} AS ward, i.theme, count(*) AS n FROM ${from} WHERE ${where} GROUP BY 1, 2`,
		params
	);
	const wards = await wardsAt(db, level);
	// Themes that never occur in the selection (no meldingen about culture, say) would only
	// pile zeros under the median; only themes asked for or present take part.
	const present = new Set(counts.map((c) => c.theme));
	const themes = q.filter.themes.length ? q.filter.themes : allThemes.filter((t) => present.has(t));
	const n = new Map(counts.map((c) => [`${c.ward}|${c.theme}`, c.n]));
	const cells: { ward: string; theme: string; rate: number | null; count: number }[] = [];
	const unrated: WideThemes['unrated'] = [];
	for (const w of wards.values()) {
		const base = perThousand(0, w.population);
		if (base.value === null) {
			unrated.push({ code: w.code, name: w.name, reason: base.reason! });
			continue;
		}
		for (const t of themes) {
			const count = n.get(`${w.code}|${t}`) ?? 0;
			cells.push({ ward: w.code, theme: t, count, rate: perThousand(count, w.population).value });
		}
	}
	const { median, themes: above } = themesAboveMedian(cells, q.minWards);
	return {
		level,
		minWards: q.minWards,
		median,
		unrated,
		audience,
		themes: above.map((t) => ({
			...t,
			rates: cells
				.filter((c) => c.theme === t.theme)
				.map((c) => ({
					code: c.ward,
					name: wards.get(c.ward)!.name,
					count: c.count,
					per1000: c.rate!
				}))
		}))
	};
}
