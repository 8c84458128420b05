import type { Sql } from '../db/types.ts';

/**
 * Lookups several modules share, each written once: the public timeline of an item, the
 * municipality's bounds, the areas at a point and the wijk (and department) of stored items.
 */

export interface TimelineRow {
	at: Date;
	from: string | null;
	to: string | null;
	text: string;
}

/** The public timeline of one item, oldest first (what residents read on it and in e-mail). */
export async function publicTimeline(db: Sql, itemId: number): Promise<TimelineRow[]> {
	return db.query<TimelineRow>(
		`SELECT at, status_from AS "from", status_to AS "to", public_text AS text FROM item_update WHERE item_id = $1 ORDER BY at, id`,
		[itemId]
	);
}

/** The extent of all areas [west, south, east, north] in WGS84, or null before any import. */
export async function municipalityExtent(
	db: Sql
): Promise<[number, number, number, number] | null> {
	const [r] = await db.query<{ w: number | null; s: number; e: number; n: number }>(
		`SELECT ST_XMin(e)::float8 w, ST_YMin(e)::float8 s, ST_XMax(e)::float8 e, ST_YMax(e)::float8 n
		 FROM (SELECT ST_Extent(geom)::geometry e FROM area) x`
	);
	return r && r.w !== null ? [r.w, r.s, r.e, r.n] : null;
}

/** The areas (every level) that contain the point, coarsest first; none outside the municipality. */
export async function areasAt(db: Sql, [lon, lat]: [number, number]) {
	return db.query<{ level: string; code: string; name: string }>(
		`SELECT a.level, a.code, a.name FROM area a JOIN area_level l ON l.name = a.level
		 WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY l.depth, a.code`,
		[lon, lat]
	);
}

/** Where stored items belong for staff scopes: their wijk and department. Unknown ids are left out. */
export async function itemWijken(
	db: Sql,
	ids: number[]
): Promise<{ wijk: string | null; department: string | null }[]> {
	return db.query<{ wijk: string | null; department: string | null }>(
		`SELECT areas ->> 'wijk' AS wijk, details ->> 'department' AS department FROM item WHERE id = ANY($1::bigint[]) ORDER BY id`,
		[ids]
	);
}
