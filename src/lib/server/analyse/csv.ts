import { tableCsv } from '../../domain/analyse.ts';
import type { CsvDialect } from '../../domain/csv.ts';
import type { Choropleth } from './choropleth.ts';
import type { Clusters } from './clusters.ts';
import type { BudgetRow, DurationRow, OverdueRow } from './follow-through.ts';
import type { Koppelkansen } from './koppelkansen.ts';
import type { WideThemes } from './themes.ts';
import type { Trend } from './trend.ts';

/** The CSV of every analysis table: the same numbers as the JSON, one row per table row. */
export const choroplethCsv = (c: Choropleth, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: c.level, value: (r) => r.code },
			{ key: 'naam', value: (r) => r.name },
			{ key: 'inwoners', value: (r) => r.population },
			{ key: 'aantal', value: (r) => r.count },
			{ key: 'per_1000', value: (r) => (r.per1000 === null ? null : round(r.per1000, 2)) },
			{ key: 'zonder_rate', value: (r) => r.noRate },
			{ key: 'vorige_periode', value: (r) => r.previous },
			{ key: 'verandering', value: (r) => r.change },
			{
				key: 'verandering_pct',
				value: (r) => (r.changePct === null ? null : round(r.changePct, 1))
			},
			{ key: 'klasse', value: (r) => (r.class === null ? null : r.class + 1) }
		],
		c.areas,
		dialect
	);

export const clustersCsv = (c: Clusters, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: 'cluster', value: (r) => r.id },
			{ key: 'aantal', value: (r) => r.count },
			{ key: 'grensoverschrijdend', value: (r) => r.crossBoundary },
			{
				key: `${c.level}en`,
				value: (r) => r.wards.map((w) => `${w.code} ${w.name} (${w.count})`).join('; ')
			},
			{ key: 'themas', value: (r) => r.themes.map((t) => `${t.theme} (${t.count})`).join('; ') },
			{ key: 'lon', value: (r) => r.center[0] },
			{ key: 'lat', value: (r) => r.center[1] }
		],
		c.clusters,
		dialect
	);

export const koppelkansenCsv = (k: Koppelkansen, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: 'a', value: (r) => r.a },
			{ key: 'a_titel', value: (r) => k.items[r.a].title },
			{ key: 'a_wijk', value: (r) => k.items[r.a].area },
			{ key: 'a_eigenaar', value: (r) => k.items[r.a].owner },
			{ key: 'b', value: (r) => r.b },
			{ key: 'b_titel', value: (r) => k.items[r.b].title },
			{ key: 'b_wijk', value: (r) => k.items[r.b].area },
			{ key: 'b_eigenaar', value: (r) => k.items[r.b].owner },
			{ key: 'afstand_m', value: (r) => r.distance },
			{ key: 'overlap_van', value: (r) => r.overlap.from },
			{ key: 'overlap_tot', value: (r) => r.overlap.to }
		],
		k.pairs,
		dialect
	);

export const trendCsv = (t: Trend, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: 'maand', value: (r) => r.month },
			{ key: 'thema', value: (r) => r.theme },
			{ key: 'aantal', value: (r) => r.count }
		],
		t.rows,
		dialect
	);

export const themesCsv = (t: WideThemes, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: 'thema', value: (r) => r.theme },
			{ key: `${t.level}en_boven_mediaan`, value: (r) => r.wards.length },
			{ key: t.level, value: (r) => r.wards.join('; ') }
		],
		t.themes,
		dialect
	);

export const overdueCsv = (o: { level: string; rows: OverdueRow[] }, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: o.level, value: (r) => r.code },
			{ key: 'naam', value: (r) => r.name },
			{ key: 'open', value: (r) => r.open },
			{ key: 'over_termijn', value: (r) => r.overdue },
			{ key: 'aandeel', value: (r) => (r.share === null ? null : round(r.share, 3)) }
		],
		o.rows,
		dialect
	);

export const handlingTimeCsv = (o: { level: string; rows: DurationRow[] }, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: o.level, value: (r) => r.code },
			{ key: 'naam', value: (r) => r.name },
			{ key: 'thema', value: (r) => r.theme },
			{ key: 'afgehandeld', value: (r) => r.handled },
			{ key: 'mediaan_dagen', value: (r) => r.medianDays }
		],
		o.rows,
		dialect
	);

export const budgetCsv = (o: { level: string; rows: BudgetRow[] }, dialect?: CsvDialect) =>
	tableCsv(
		[
			{ key: o.level, value: (r) => r.code },
			{ key: 'naam', value: (r) => r.name },
			{ key: 'initiatieven', value: (r) => r.initiatives },
			{ key: 'aangevraagd_eur', value: (r) => r.requested },
			{ key: 'toegekend_eur', value: (r) => r.granted },
			{ key: 'aandeel_toegekend', value: (r) => (r.share === null ? null : round(r.share, 3)) }
		],
		o.rows,
		dialect
	);

function round(x: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}
