import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import type { AreaLevel, AreaProperties } from '../domain/area.ts';
import type { Sql } from './db/types.ts';
import { geojsonSql } from './db/geojson.ts';
import { municipalityExtent } from './items/queries.ts';

/** All SQL that reads areas. Level order comes from area_level.depth (0 = coarsest). */

interface AreaRow extends AreaProperties {
	geom: string;
}

const SELECT = `SELECT a.code, a.name, a.level, a.parent, a.population, ${geojsonSql('a.geom')} AS geom FROM area a`;

function toFeature(
	r: AreaRow,
	extra: Record<string, unknown> = {}
): Feature<MultiPolygon, AreaProperties & Record<string, unknown>> {
	return {
		type: 'Feature',
		id: `${r.level}/${r.code}`,
		properties: {
			code: r.code,
			name: r.name,
			level: r.level,
			parent: r.parent,
			population: r.population,
			...extra
		},
		geometry: JSON.parse(r.geom)
	};
}

export function listLevels(db: Sql): Promise<AreaLevel[]> {
	return db.query<AreaLevel>('SELECT name, depth FROM area_level ORDER BY depth');
}

export async function listAreas(
	db: Sql,
	level: string
): Promise<FeatureCollection<MultiPolygon, AreaProperties>> {
	const rows = await db.query<AreaRow>(`${SELECT} WHERE a.level = $1 ORDER BY a.name`, [level]);
	return { type: 'FeatureCollection', features: rows.map((r) => toFeature(r)) };
}

export interface AreaRef {
	level: string;
	code: string;
	name: string;
}

export interface AreaDetail {
	feature: Feature<MultiPolygon, AreaProperties & { children: string[] }>;
	/** Coarsest first, not including the area itself. */
	ancestors: AreaRef[];
	children: ChildArea[];
	childLevel: string | null;
	bounds: [[number, number], [number, number]];
}

/** One area by code; codes are unique per level, so the coarsest level wins unless `level` says otherwise. */
export async function getArea(db: Sql, code: string, level?: string): Promise<AreaDetail | null> {
	const [row] = await db.query<AreaRow & { w: number; s: number; e: number; n: number }>(
		`${SELECT.replace('FROM area a', `, ST_XMin(a.geom)::float8 w, ST_YMin(a.geom)::float8 s, ST_XMax(a.geom)::float8 e, ST_YMax(a.geom)::float8 n FROM area a`)}
		 JOIN area_level l ON l.name = a.level
		 WHERE a.code = $1 AND ($2::text IS NULL OR a.level = $2) ORDER BY l.depth LIMIT 1`,
		[code, level ?? null]
	);
	if (!row) return null;
	const [children, ancestors] = await Promise.all([
		childrenOf(db, row.level, row.code),
		ancestorsOf(db, row.level, row.code)
	]);
	return {
		feature: toFeature(row, {
			children: children.map((c) => c.code)
		}) as unknown as AreaDetail['feature'],
		ancestors,
		children,
		childLevel: children[0]?.level ?? (await childLevelOf(db, row.level)),
		bounds: [
			[row.w, row.s],
			[row.e, row.n]
		]
	};
}

async function childLevelOf(db: Sql, level: string): Promise<string | null> {
	const [r] = await db.query<{ name: string }>(
		`SELECT c.name FROM area_level p JOIN area_level c ON c.depth = p.depth + 1 WHERE p.name = $1`,
		[level]
	);
	return r?.name ?? null;
}

export interface ChildArea extends AreaRef {
	population: number | null;
	/** A point inside the area, where the map puts its name. */
	label: [number, number];
}

/** "All buurten of a wijk": one query, the child level found by depth. */
export async function childrenOf(db: Sql, level: string, code: string): Promise<ChildArea[]> {
	const rows = await db.query<AreaRef & { population: number | null; x: number; y: number }>(
		`SELECT c.level, c.code, c.name, c.population,
		        ST_X(ST_PointOnSurface(c.geom))::float8 x, ST_Y(ST_PointOnSurface(c.geom))::float8 y
		 FROM area_level lp
		 JOIN area_level lc ON lc.depth = lp.depth + 1
		 JOIN area c ON c.level = lc.name AND c.parent = $2
		 WHERE lp.name = $1 ORDER BY c.name`,
		[level, code]
	);
	return rows.map(({ x, y, ...r }) => ({ ...r, label: [x, y] }));
}

/** "The wijk of a buurt": one query. */
export async function parentOf(db: Sql, level: string, code: string): Promise<AreaRef | null> {
	const [r] = await db.query<AreaRef>(
		`SELECT p.level, p.code, p.name FROM area c
		 JOIN area_level lc ON lc.name = c.level
		 JOIN area_level lp ON lp.depth = lc.depth - 1
		 JOIN area p ON p.level = lp.name AND p.code = c.parent
		 WHERE c.level = $1 AND c.code = $2`,
		[level, code]
	);
	return r ?? null;
}

/** Every coarser area above this one, walking the hierarchy in the store. */
export function ancestorsOf(db: Sql, level: string, code: string): Promise<AreaRef[]> {
	return db.query<AreaRef>(
		`WITH RECURSIVE up AS (
		   SELECT c.level, c.code, c.parent, lc.depth, 0 AS hop FROM area c JOIN area_level lc ON lc.name = c.level
		   WHERE c.level = $1 AND c.code = $2
		   UNION ALL
		   SELECT p.level, p.code, p.parent, lp.depth, up.hop + 1 FROM up
		   JOIN area_level lp ON lp.depth = up.depth - 1
		   JOIN area p ON p.level = lp.name AND p.code = up.parent
		   WHERE up.hop < 10
		 )
		 SELECT up.level, up.code, a.name FROM up JOIN area a ON a.level = up.level AND a.code = up.code
		 WHERE up.hop > 0 ORDER BY up.depth`,
		[level, code]
	);
}

export async function municipalityBounds(
	db: Sql
): Promise<[[number, number], [number, number]] | null> {
	const box = await municipalityExtent(db);
	return box === null
		? null
		: [
				[box[0], box[1]],
				[box[2], box[3]]
			];
}

export interface TreeNode extends AreaRef {
	label: [number, number];
	children: (AreaRef & { label: [number, number] })[];
}

/** The two coarsest levels, names and label points only: the side list and the map labels. */
export async function areaTree(db: Sql): Promise<TreeNode[]> {
	const rows = await db.query<
		AreaRef & { parent: string | null; depth: number; x: number; y: number }
	>(
		`SELECT a.level, a.code, a.name, a.parent, l.depth,
		        ST_X(ST_PointOnSurface(a.geom))::float8 x, ST_Y(ST_PointOnSurface(a.geom))::float8 y
		 FROM area a JOIN area_level l ON l.name = a.level WHERE l.depth <= 1 ORDER BY a.name`
	);
	const top = rows.filter((r) => r.depth === 0);
	return top.map((t) => ({
		level: t.level,
		code: t.code,
		name: t.name,
		label: [t.x, t.y],
		children: rows
			.filter((r) => r.depth === 1 && r.parent === t.code)
			.map((c) => ({
				level: c.level,
				code: c.code,
				name: c.name,
				label: [c.x, c.y] as [number, number]
			}))
	}));
}

export async function storeFacts(db: Sql): Promise<{ demo: boolean; gemeente: string | null }> {
	const rows = await db.query<{ key: string; value: unknown }>(
		`SELECT key, value FROM meta WHERE key IN ('demo', 'gemeente')`
	);
	const get = (k: string) => rows.find((r) => r.key === k)?.value;
	const g = get('gemeente') as { name?: string } | undefined;
	return { demo: get('demo') === true, gemeente: g?.name ?? null };
}
