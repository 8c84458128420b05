import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { ANALYSE_DEFAULTS, type AnalyseQuery } from '../../domain/analyse-params.ts';
import type { Sql } from '../db/types.ts';
import type { Audience } from '../items/read.ts';
import { filterSql, resolveLevel, wardsAt } from './common.ts';
import { geojsonSql } from '../db/geojson.ts';

export interface Cluster {
	id: number;
	count: number;
	/** Wards (areas of `level`) that hold members of the cluster, by code. */
	wards: { code: string; name: string; count: number }[];
	/** Spans two or more wards: nobody owns it alone. */
	crossBoundary: boolean;
	/** Themes of the members, most frequent first. */
	themes: { theme: string; count: number }[];
	center: [number, number];
	hull: Polygon;
}

export interface Clusters {
	level: string;
	eps: number;
	minPoints: number;
	audience: Audience;
	clusters: Cluster[];
}

/**
 * Density clusters with ST_ClusterDBSCAN in RD New (EPSG:28992), so eps is in metres. Each
 * item counts at its representative point. The hull is the convex hull grown by a few metres,
 * so two or three points in a line still draw as an area. DBSCAN hands a border point that two
 * clusters reach to one of them, which can leave the other below the minimum size; such
 * remnants are left out, so every cluster shown has at least minPoints members.
 */
export async function clusters(db: Sql, q: AnalyseQuery, audience: Audience): Promise<Clusters> {
	const level = await resolveLevel(db, q.level);
	const { from, where, params, p } = await filterSql(db, q.filter, audience);
	const minPoints = q.minPoints ?? (await densityMinPoints(db, from, where, params, q.eps));
	const rows = await db.query<{
		cid: number;
		n: number;
		hull: string;
		x: number;
		y: number;
		wards: { code: string; count: number }[] | null;
		themes: { theme: string; count: number }[];
	}>(
		`WITH pts AS (
		   SELECT i.theme, i.areas ->> ${p(level)} AS ward, ST_Transform(ST_PointOnSurface(i.geom), 28992) AS g
		   FROM ${from} WHERE ${where}
		 ),
		 cl AS (
		   SELECT pts.*, ST_ClusterDBSCAN(g, eps := ${p(q.eps)}::float8, minpoints := ${p(minPoints)}::int) OVER () AS cid FROM pts
		 ),
		 member AS (SELECT * FROM cl WHERE cid IS NOT NULL),
		 shape AS (
		   SELECT cid, count(*)::int AS n, ST_Collect(g) AS pts FROM member GROUP BY cid HAVING count(*) >= ${p(minPoints)}::int
		 ),
		 -- Grouped once each and joined: a subquery per cluster would rescan every member.
		 by_theme AS (
		   SELECT cid, jsonb_agg(jsonb_build_object('theme', theme, 'count', n) ORDER BY n DESC, theme) AS themes
		   FROM (SELECT cid, theme, count(*)::int AS n FROM member GROUP BY 1, 2) t GROUP BY cid
		 ),
		 by_ward AS (
		   SELECT cid, jsonb_agg(jsonb_build_object('code', ward, 'count', n) ORDER BY n DESC, ward) AS wards
		   FROM (SELECT cid, ward, count(*)::int AS n FROM member WHERE ward IS NOT NULL GROUP BY 1, 2) w GROUP BY cid
		 )
		 SELECT s.cid, s.n,
		   ${geojsonSql('ST_Transform(ST_Buffer(ST_ConvexHull(s.pts), 12, 4), 4326)')} AS hull,
		   ST_X(ST_Transform(ST_Centroid(s.pts), 4326))::float8 AS x,
		   ST_Y(ST_Transform(ST_Centroid(s.pts), 4326))::float8 AS y,
		   w.wards, t.themes
		 FROM shape s LEFT JOIN by_ward w ON w.cid = s.cid LEFT JOIN by_theme t ON t.cid = s.cid
		 ORDER BY s.n DESC, s.cid`,
		params,
		{ purpose: 'clusters' }
	);
	const names = await wardsAt(db, level);
	return {
		level,
		eps: q.eps,
		minPoints,
		audience,
		clusters: rows.map((r, k) => {
			const wards = (r.wards ?? []).map((w) => ({
				code: w.code,
				name: names.get(w.code)?.name ?? w.code,
				count: w.count
			}));
			return {
				id: k + 1,
				count: r.n,
				wards,
				crossBoundary: wards.length >= 2,
				themes: r.themes ?? [],
				center: [Number(r.x.toFixed(6)), Number(r.y.toFixed(6))],
				hull: JSON.parse(r.hull)
			};
		})
	};
}

/** The clusters as /api/analyse/clusters?format=geojson sends them. */
export type ClustersGeoJSON = ReturnType<typeof clustersGeoJSON>;

export function clustersGeoJSON(c: Clusters) {
	const { clusters: list, ...rest } = c;
	const fc: FeatureCollection<Polygon, Omit<Cluster, 'hull'>> = {
		type: 'FeatureCollection',
		features: list.map(({ hull, ...props }): Feature<Polygon, Omit<Cluster, 'hull'>> => ({
			type: 'Feature',
			id: props.id,
			geometry: hull,
			properties: props
		}))
	};
	return { ...fc, ...rest };
}

/** How many times the average density a core point needs around it, by default. */
export const DENSITY_FACTOR = 6;

/**
 * The default minimum cluster size: DENSITY_FACTOR times the number of items an eps-circle holds
 * on average over the municipality, and at least ANALYSE_DEFAULTS.minPoints. A fixed minimum
 * lets a dense city chain one "hotspot" across several wijken (Utrecht, 10,000 meldingen, 8
 * within 150 m: one cluster of 1,637 over 5 wijken); scaled with the density a hotspot is a spot
 * that stands out from its surroundings, whatever the size of the set.
 */
export async function densityMinPoints(
	db: Sql,
	from: string,
	where: string,
	params: unknown[],
	eps: number
): Promise<number> {
	const [r] = await db.query<{ n: number; area: number | null }>(
		`SELECT (SELECT count(*)::int FROM ${from} WHERE ${where}) AS n,
		        (SELECT sum(ST_Area(ST_Transform(a.geom, 28992)))::float8 FROM area a
		         WHERE a.level = (SELECT name FROM area_level ORDER BY depth LIMIT 1)) AS area`,
		params
	);
	if (!r.area || r.area <= 0) return ANALYSE_DEFAULTS.minPoints;
	const perCircle = (r.n * Math.PI * eps * eps) / r.area;
	return Math.min(500, Math.max(ANALYSE_DEFAULTS.minPoints, Math.ceil(DENSITY_FACTOR * perCircle)));
}
