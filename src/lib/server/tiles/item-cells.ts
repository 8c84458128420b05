import type { ItemQuery } from '../../domain/filters.ts';
import { DETAIL_ZOOM } from '../../geo/tiles.ts';
import type { Sql } from '../db/types.ts';
import { countUpTo, itemWhere } from '../items/read.ts';
import { placeholders } from '../db/params.ts';

/**
 * Items counted per map cell for the tiles below DETAIL_ZOOM. A cell is a Web-Mercator tile:
 * the GRID × GRID cells of tile z/x/y are the zoom-(z + CELL_BITS) tiles inside it, so cells
 * nest and a tile's cells are a range of integers at one zoom.
 */
export const CELL_BITS = 5;
export const GRID = 2 ** CELL_BITS;
/** The finest cell zoom, kept in item_cell with every coarser one (migration 013 stores 5..18). */
export const FINEST_CELL_ZOOM = DETAIL_ZOOM - 1 + CELL_BITS;
export const COARSEST_CELL_ZOOM = 5;

/** One layer × theme in one cell: its count, sums of positions and the status most of it has. */
export interface CellGroup {
	layer: string;
	theme: string;
	status: string;
	cx: number;
	cy: number;
	n: number;
	/** An item id of the group; the item's own where n = 1 (the only place it is shown). */
	id: number;
	lon: number;
	lat: number;
}

/**
 * item_cell holds counts by layer, theme and status only (and public items only, as tiles
 * are public): a query with area, from, to or q falls back to counting the matching items.
 */
export function countedInCells(query: ItemQuery): boolean {
	return query.area === null && query.from === null && query.to === null && query.q === null;
}

/**
 * The groups in the cells of tile z/x/y and one ring of cells around it, for the tile's buffer.
 * Cells are the tiles of `cellZoom` (at most FINEST_CELL_ZOOM) inside it. `bbox` is the tile with
 * its buffer, for the fallback that reads items.
 */
export async function cellGroups(
	db: Sql,
	query: ItemQuery,
	z: number,
	x: number,
	y: number,
	bbox: [number, number, number, number],
	cellZoom = z + CELL_BITS
): Promise<CellGroup[]> {
	if (cellZoom > FINEST_CELL_ZOOM || cellZoom <= z) throw new RangeError(`cellen op zoom ${cellZoom} bestaan niet voor tegel ${z}`);
	const rows = countedInCells(query) ? await fromCells(db, query, z, x, y, cellZoom) : await fromItems(db, { ...query, bbox }, cellZoom);
	return rows;
}

/**
 * How many items tile z/x/y holds (without its buffer), read from its own cell where the query
 * allows; counted from the items otherwise, but no further than `upTo` + 1.
 */
export async function itemsInTile(db: Sql, query: ItemQuery, z: number, x: number, y: number, bbox: [number, number, number, number], upTo: number): Promise<number> {
	if (countedInCells(query) && z <= FINEST_CELL_ZOOM) {
		const { and, params } = cellFilters(query, [z, x, y]);
		const [row] = await db.query<{ n: number | null }>(`SELECT sum(n) AS n FROM item_cell WHERE z = $1 AND cx = $2 AND cy = $3${and}`, params);
		return row?.n ?? 0;
	}
	return countUpTo(db, { ...query, bbox }, upTo);
}

/** The layer, theme and status filters on item_cell, after the parameters already given. */
function cellFilters(query: ItemQuery, params: unknown[]): { and: string; params: unknown[] } {
	const p = placeholders(params);
	const and: string[] = [];
	if (query.layers.length) and.push(`layer = ANY(${p(query.layers)}::text[])`);
	if (query.themes.length) and.push(`theme = ANY(${p(query.themes)}::text[])`);
	if (query.statuses.length) and.push(`status = ANY(${p(query.statuses)}::text[])`);
	return { and: and.map((c) => ` AND ${c}`).join(''), params };
}

async function fromCells(db: Sql, query: ItemQuery, z: number, x: number, y: number, cellZoom: number): Promise<CellGroup[]> {
	// Cells coarser than the coarsest kept are summed from it.
	const kept = Math.max(cellZoom, COARSEST_CELL_ZOOM);
	const up = kept - cellZoom;
	const grid = 2 ** (kept - z);
	const ring = 2 ** up;
	const { and, params } = cellFilters(query, [kept, x * grid - ring, (x + 1) * grid + ring - 1, y * grid - ring, (y + 1) * grid + ring - 1]);
	const [cx, cy] = up ? [`cx >> ${up}`, `cy >> ${up}`] : ['cx', 'cy'];
	// A group's status is its most frequent, the smallest on a tie, as mode() in fromItems. Grouped
	// in the primary key's order, so the index scan feeds the aggregate without a sort.
	return db.query<CellGroup>(
		`SELECT layer, theme, ${cx} AS cx, ${cy} AS cy, sum(n) AS n, sum(ids)::bigint AS id, sum(lon)::float8 AS lon, sum(lat)::float8 AS lat,
		        (array_agg(status ORDER BY n DESC, status))[1] AS status
		 FROM item_cell
		 WHERE z = $1 AND cx BETWEEN $2 AND $3 AND cy BETWEEN $4 AND $5${and}
		 GROUP BY ${cx}, ${cy}, layer, theme`,
		params
	);
}

/** The same groups counted from the items themselves, with the cells item_cell uses. */
async function fromItems(db: Sql, query: ItemQuery, cellZoom: number): Promise<CellGroup[]> {
	const { from, where, params } = await itemWhere(db, query);
	const shift = `${FINEST_CELL_ZOOM - cellZoom}`;
	return db.query<CellGroup>(
		`SELECT layer, theme, cx, cy, count(*) AS n, min(id) AS id, mode() WITHIN GROUP (ORDER BY status) AS status,
		        sum(lon)::float8 AS lon, sum(lat)::float8 AS lat
		 FROM (SELECT i.id, i.layer, i.theme, i.status, ST_X(c) AS lon, ST_Y(c) AS lat,
		              item_cell_x(ST_X(c)) >> ${shift} AS cx, item_cell_y(ST_Y(c)) >> ${shift} AS cy
		       FROM ${from} CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(i.geom) = 'POINT' THEN i.geom ELSE ST_PointOnSurface(i.geom) END AS c) pt
		       WHERE ${where}) q
		 GROUP BY layer, theme, cx, cy`,
		params
	);
}
