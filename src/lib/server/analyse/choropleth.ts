import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import {
	SEQUENTIAL,
	change,
	classBreaks,
	classIndex,
	legend,
	perThousand,
	previousPeriod,
	type LegendClass,
	type NoRateReason
} from '../../domain/analyse.ts';
import type { AnalyseQuery } from '../../domain/analyse-params.ts';
import type { Sql } from '../db/types.ts';
import type { Audience } from '../items/read.ts';
import { filterSql, resolveLevel } from './common.ts';
import { geojsonSql } from '../db/geojson.ts';

export interface ChoroplethArea {
	code: string;
	name: string;
	population: number | null;
	count: number;
	/** Count in the previous period of equal length (measure=change only). */
	previous: number | null;
	change: number | null;
	changePct: number | null;
	per1000: number | null;
	/** Why per1000 is missing. */
	noRate: NoRateReason | null;
	/** The chosen measure; null where it cannot be computed (greyed out). */
	value: number | null;
	/** 0-based class in the legend, null when greyed out. */
	class: number | null;
}

export interface Choropleth {
	level: string;
	measure: AnalyseQuery['measure'];
	method: AnalyseQuery['breaks'];
	audience: Audience;
	period: { from: string; to: string } | null;
	previousPeriod: { from: string; to: string } | null;
	breaks: number[];
	legend: LegendClass[];
	/** Items in the filter, and those of them outside every area of this level. */
	total: number;
	unassigned: number;
	areas: ChoroplethArea[];
}

export async function choropleth(
	db: Sql,
	q: AnalyseQuery,
	audience: Audience,
	withGeometry = false
): Promise<Choropleth & { geometry?: Map<string, MultiPolygon> }> {
	const level = await resolveLevel(db, q.level);
	const f = q.filter;
	const prev = q.measure === 'change' && f.from && f.to ? previousPeriod(f.from, f.to) : null;
	// One scan covers both periods: the filter reaches back to the previous period's start.
	const { from, where, params, p } = await filterSql(
		db,
		prev ? { ...f, from: prev.from } : f,
		audience
	);
	const cur = prev ? `i.relevant_at >= ${p(f.from!.toISOString())}::timestamptz` : 'true';
	const counts = await db.query<{ code: string | null; n: number; prev: number }>(
		`SELECT i.areas ->> ${p(level)} AS code, count(*) FILTER (WHERE ${cur}) AS n, count(*) FILTER (WHERE NOT (${cur})) AS prev
		 FROM ${from} WHERE ${where} GROUP BY 1`,
		params
	);
	const inArea = f.area
		? `AND EXISTS (SELECT 1 FROM area x WHERE x.code = $2 AND ST_Intersects(x.geom, ST_PointOnSurface(a.geom)))`
		: '';
	const areas = await db.query<{
		code: string;
		name: string;
		population: number | null;
		geom?: string;
	}>(
		`SELECT a.code, a.name, a.population${withGeometry ? `, ${geojsonSql('a.geom')} AS geom` : ''}
		 FROM area a WHERE a.level = $1 ${inArea} ORDER BY a.code`,
		f.area ? [level, f.area] : [level]
	);
	const byCode = new Map(counts.map((c) => [c.code, c]));
	const rows: ChoroplethArea[] = areas.map((a) => {
		const c = byCode.get(a.code);
		const count = c?.n ?? 0;
		const previous = prev ? (c?.prev ?? 0) : null;
		const rate = perThousand(count, a.population);
		const ch = previous !== null ? change(count, previous) : null;
		const value = q.measure === 'count' ? count : q.measure === 'per1000' ? rate.value : ch!.diff;
		return {
			code: a.code,
			name: a.name,
			population: a.population,
			count,
			previous,
			change: ch?.diff ?? null,
			changePct: ch?.pct ?? null,
			per1000: rate.value,
			noRate: rate.reason,
			value,
			class: null
		};
	});
	const values = rows.map((r) => r.value).filter((v): v is number => v !== null);
	const breaks = classBreaks(values, q.classes, q.breaks);
	for (const r of rows)
		r.class = r.value === null || breaks.length === 0 ? null : classIndex(r.value, breaks);
	const total = counts.reduce((n, c) => n + c.n, 0);
	const result: Choropleth & { geometry?: Map<string, MultiPolygon> } = {
		level,
		measure: q.measure,
		method: q.breaks,
		audience,
		period: f.from && f.to ? { from: f.from.toISOString(), to: f.to.toISOString() } : null,
		previousPeriod: prev ? { from: prev.from.toISOString(), to: prev.to.toISOString() } : null,
		breaks,
		legend: legend(values, breaks, SEQUENTIAL),
		total,
		unassigned: byCode.get(null)?.n ?? 0,
		areas: rows
	};
	if (withGeometry) result.geometry = new Map(areas.map((a) => [a.code, JSON.parse(a.geom!)]));
	return result;
}

/** The choropleth as GeoJSON: every figure of the JSON answer, the areas as features. */
/** The choropleth as /api/analyse/choropleth?format=geojson sends it (the analysis page reads this type). */
export type ChoroplethGeoJSON = ReturnType<typeof choroplethGeoJSON>;

export function choroplethGeoJSON(c: Choropleth & { geometry?: Map<string, MultiPolygon> }) {
	const { areas, geometry, ...rest } = c;
	const features: Feature<MultiPolygon, ChoroplethArea & { color: string | null }>[] = areas.map(
		(a) => ({
			type: 'Feature',
			id: a.code,
			geometry: geometry!.get(a.code)!,
			properties: { ...a, color: a.class === null ? null : (c.legend[a.class]?.color ?? null) }
		})
	);
	const fc: FeatureCollection<MultiPolygon, ChoroplethArea & { color: string | null }> = {
		type: 'FeatureCollection',
		features
	};
	return { ...fc, ...rest };
}
