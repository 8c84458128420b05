import type { FeatureCollection, Geometry } from 'geojson';
import { groupPairs } from '../../domain/analyse.ts';
import type { AnalyseQuery } from '../../domain/analyse-params.ts';
import type { Sql } from '../db/types.ts';
import { likePattern, type Audience } from '../items/read.ts';
import { filterSql } from './common.ts';
import { geojsonSql } from '../db/geojson.ts';

/** Something a department or group runs somewhere for a while. */
export interface WorkItem {
	/** 'item:123' or 'action:45' (an action of a wijkagenda). */
	key: string;
	source: 'item' | 'action';
	id: number;
	layer: string;
	title: string;
	theme: string;
	owner: string;
	starts: string;
	/** null: no end in sight. */
	ends: string | null;
	href: string;
	/** The coarsest area (wijk) it lies in, so equal titles in different places read apart; null outside every area. */
	area: string | null;
	geometry: Geometry;
}

export interface Koppelkans {
	a: string;
	b: string;
	/** Metres between the two shapes (0 when they touch). */
	distance: number;
	overlap: { from: string; to: string | null };
}

export interface Koppelkansen {
	buffer: number;
	items: Record<string, WorkItem>;
	pairs: Koppelkans[];
	/** Items linked by any chain of pairs, biggest group first. */
	groups: { keys: string[]; owners: string[] }[];
}

/**
 * Work of different owners in the same place at the same time. Owner: the department
 * (details.department), else the initiator. Time: projects from their actual or planned start
 * to their actual or planned end; initiatives from their creation until they are completed.
 * Rejected initiatives are no work. Actions of a wijkagenda (owner, planned/actual dates, a
 * place when they have one; not the struck-out ones) are a second source with the same columns.
 */
export async function koppelkansen(
	db: Sql,
	q: AnalyseQuery,
	audience: Audience
): Promise<Koppelkansen> {
	// The period filters on activity overlap, not on the creation date the item filter uses.
	const { from, where, params, p } = await filterSql(
		db,
		{ ...q.filter, from: null, to: null },
		audience
	);
	const actionWhere = await actionFilter(q.filter, p);
	const period =
		q.filter.from || q.filter.to
			? `AND s.span && daterange(${p(q.filter.from?.toISOString().slice(0, 10) ?? null)}::date, ${p(q.filter.to?.toISOString().slice(0, 10) ?? null)}::date, '[)')`
			: '';
	const rows = await db.query<Record<string, string | number | null>>(
		`WITH src AS (${sources(from, where, actionWhere)}),
		 s AS (
		   SELECT src.*, ST_Transform(src.geom, 28992) AS g,
		     daterange(starts, CASE WHEN ends IS NULL THEN NULL ELSE greatest(ends, starts) END, '[]') AS span
		   FROM src WHERE owner IS NOT NULL
		 ),
		 w AS (SELECT s.* FROM s WHERE true ${period})
		 SELECT a.source AS a_source, a.id AS a_id, b.source AS b_source, b.id AS b_id,
		   ST_Distance(a.g, b.g)::float8 AS distance,
		   lower(a.span * b.span)::text AS o_from, upper(a.span * b.span)::text AS o_to
		 FROM w a JOIN w b ON (a.source, a.id) < (b.source, b.id)
		   AND lower(a.owner) <> lower(b.owner)
		   AND a.span && b.span
		   AND ST_DWithin(a.g, b.g, ${p(q.buffer)}::float8)
		 ORDER BY distance, a_id, b_id`,
		params
	);
	const pairs: Koppelkans[] = rows.map((r) => ({
		a: `${r.a_source}:${r.a_id}`,
		b: `${r.b_source}:${r.b_id}`,
		distance: Math.round(Number(r.distance)),
		// daterange upper bounds are exclusive: the last shared day is the one before.
		overlap: { from: String(r.o_from), to: r.o_to === null ? null : dayBefore(String(r.o_to)) }
	}));
	const items = await describe(db, [...new Set(pairs.flatMap((x) => [x.a, x.b]))]);
	return {
		buffer: q.buffer,
		items,
		pairs,
		groups: groupPairs(pairs).map((keys) => ({
			keys,
			owners: [...new Set(keys.map((k) => items[k].owner))].sort()
		}))
	};
}

function dayBefore(day: string): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * Every source of work as rows of (source, id, layer, title, theme, owner, geom, starts, ends),
 * ends null when open. Agenda actions become one more UNION ALL branch with these columns.
 */
function sources(from: string, itemWhere: string, actionWhere: string | null): string {
	const local = (col: string) => `(${col} AT TIME ZONE 'Europe/Amsterdam')::date`;
	const items = `SELECT 'item'::text AS source, i.id, i.layer, i.title, i.theme,
	   coalesce(nullif(trim(i.details ->> 'department'), ''), nullif(trim(i.details ->> 'initiator'), '')) AS owner,
	   i.geom,
	   CASE WHEN i.layer = 'projecten'
	     THEN coalesce((i.details ->> 'actualStart')::date, (i.details ->> 'plannedStart')::date, ${local('i.created_at')})
	     ELSE ${local('i.created_at')} END AS starts,
	   CASE WHEN i.layer = 'projecten' THEN coalesce((i.details ->> 'actualEnd')::date, (i.details ->> 'plannedEnd')::date)
	     WHEN i.status = 'afgerond' THEN ${local('i.updated_at')} END AS ends,
	   '/item/' || i.id AS href
	 FROM ${from}
	 WHERE ${itemWhere} AND i.layer IN ('projecten', 'initiatieven') AND NOT (i.layer = 'initiatieven' AND i.status = 'afgewezen')`;
	if (actionWhere === null) return items;
	return `${items}
	 UNION ALL
	 SELECT 'action'::text, a.id, 'acties'::text, a.title, am.theme, nullif(trim(a.owner), ''), a.geom,
	   coalesce(a.actual_start, a.planned_start, ${local('a.created_at')}), coalesce(a.actual_end, a.planned_end),
	   '/wijk/' || ag.wijk || '#actie-' || a.id
	 FROM action a JOIN ambition am ON am.id = a.ambition_id JOIN agenda ag ON ag.id = am.agenda_id
	 WHERE a.geom IS NOT NULL AND a.status <> 'geschrapt' AND ${actionWhere}`;
}

/**
 * The item filters that mean something for an action: theme (of its ambition), area, bbox and
 * text. A layer or status filter names item layers and statuses, so it leaves actions out.
 */
async function actionFilter(
	f: AnalyseQuery['filter'],
	p: (v: unknown) => string
): Promise<string | null> {
	if (f.layers.length || f.statuses.length) return null;
	const and = ['true'];
	if (f.themes.length) and.push(`am.theme = ANY(${p(f.themes)}::text[])`);
	if (f.area)
		and.push(
			`EXISTS (SELECT 1 FROM area x WHERE x.code = ${p(f.area)} AND ST_Intersects(x.geom, a.geom))`
		);
	if (f.bbox) and.push(`a.geom && ST_MakeEnvelope(${f.bbox.map(p).join(', ')}, 4326)`);
	if (f.q) {
		const like = p(likePattern(f.q));
		and.push(`(a.title ILIKE ${like} OR a.description ILIKE ${like})`);
	}
	return and.join(' AND ');
}

async function describe(db: Sql, keys: string[]): Promise<Record<string, WorkItem>> {
	const ids = (source: string) =>
		keys.filter((k) => k.startsWith(`${source}:`)).map((k) => Number(k.slice(source.length + 1)));
	if (keys.length === 0) return {};
	const rows = await db.query<{
		source: WorkItem['source'];
		id: number;
		layer: string;
		title: string;
		theme: string;
		owner: string;
		starts: string;
		ends: string | null;
		href: string;
		area: string | null;
		geometry: string;
	}>(
		`SELECT source, id, layer, title, theme, owner, starts::text, ends::text, href, top.name AS area, ${geojsonSql('src.geom')} AS geometry
		 FROM (${sources('item i', 'i.id = ANY($1::bigint[])', 'a.id = ANY($2::bigint[])')}) src
		 LEFT JOIN LATERAL (
		   SELECT x.name FROM area x JOIN area_level l ON l.name = x.level AND l.depth = 0
		   WHERE ST_Intersects(x.geom, ST_PointOnSurface(src.geom)) ORDER BY x.code LIMIT 1
		 ) top ON true`,
		[ids('item'), ids('action')]
	);
	return Object.fromEntries(
		rows.map((r) => [
			`${r.source}:${r.id}`,
			{
				key: `${r.source}:${r.id}`,
				source: r.source,
				id: r.id,
				layer: r.layer,
				title: r.title,
				theme: r.theme,
				owner: r.owner,
				starts: r.starts,
				ends: r.ends,
				href: r.href,
				area: r.area,
				geometry: JSON.parse(r.geometry)
			}
		])
	);
}

/**
 * The same result as GeoJSON (format=geojson): one feature per work item with its own shape,
 * its group (index in `groups`, biggest first) and the keys it pairs with; `pairs`, `groups`
 * and `buffer` stay as members of the collection.
 */
export function koppelkansenGeoJSON(
	k: Koppelkansen
): FeatureCollection<
	Geometry,
	Omit<WorkItem, 'geometry'> & { group: number | null; partners: string[] }
> &
	Omit<Koppelkansen, 'items'> {
	const groupOf = new Map<string, number>();
	k.groups.forEach((g, i) => g.keys.forEach((key) => groupOf.set(key, i)));
	const features = Object.values(k.items).map(({ geometry, ...props }) => ({
		type: 'Feature' as const,
		id: props.key,
		geometry,
		properties: {
			...props,
			group: groupOf.get(props.key) ?? null,
			partners: k.pairs.flatMap((p) => (p.a === props.key ? [p.b] : p.b === props.key ? [p.a] : []))
		}
	}));
	return {
		type: 'FeatureCollection',
		features,
		buffer: k.buffer,
		pairs: k.pairs,
		groups: k.groups
	};
}
