import { gzipSync } from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature } from 'geojson';
import type { ItemQuery } from '../../domain/filters.ts';
import { BUBBLE_PX, DETAIL_ZOOM, ICON_PX, TILE_PX, tileBounds, tilePixel } from '../../geo/tiles.ts';
import type { Sql } from '../db/types.ts';
import { itemWhere } from '../items/read.ts';
import { cellGroups, FINEST_CELL_ZOOM, itemsInTile } from './item-cells.ts';

/**
 * Public items as Mapbox Vector Tiles, layer "items". From DETAIL_ZOOM on, every item with its
 * own geometry; below it, items are counted per display cell (sized from the count bubble, see
 * cellPoints; read from the counts kept in item_cell, see item-cells.ts) so a tile's size and
 * cost follow the cells on screen, not the rows in the store.
 *
 * A detail tile holding more than DETAIL_CAP items is counted in the finest cells too: thousands
 * of symbols in one street-sized tile cover each other (nobody can pick one out), and reading
 * and sending them would make the tile's cost follow the store again. The map shows every item
 * of such a place one zoom step on, where the view is small enough to list (AreaMap.svelte).
 *
 * PGlite's PostGIS is built without protobuf, so ST_AsMVT is not available there; the store
 * selects and aggregates, and the encoding happens here, the same on both stores.
 */
export { DETAIL_ZOOM };
const EXTENT = 4096;
const BUFFER = 64 / EXTENT;
export const DETAIL_CAP = 2_000;
/** Tile features as geojson-vt hands them to the encoder, in tile pixels. */
type TileFeature = { type: 1 | 2 | 3; id?: number; tags: Record<string, string | number>; geometry: unknown };
type TilePoint = TileFeature & { type: 1; geometry: [number, number][] };

export async function itemsVersion(db: Sql): Promise<string> {
	const [row] = await db.query<{ version: number }>(`SELECT version FROM data_version WHERE name = 'items'`);
	return String(row?.version ?? 0);
}

export async function itemTile(db: Sql, query: ItemQuery, z: number, x: number, y: number): Promise<Uint8Array> {
	const bounds = tileBounds(z, x, y, BUFFER);
	// Beyond the finest cells (a tile of ~100 m) every item is drawn, up to the LIMIT below.
	const counted = z < DETAIL_ZOOM || (z < FINEST_CELL_ZOOM && (await itemsInTile(db, query, z, x, y, bounds, DETAIL_CAP)) > DETAIL_CAP);
	const features = counted ? await cellPoints(db, query, bounds, z, x, y) : await detailFeatures(db, { ...query, bbox: bounds }, z, x, y);
	return features.length ? fromGeojsonVt({ items: { features } } as never, { version: 2, extent: EXTENT }) : new Uint8Array();
}

/**
 * Every item in the tile: points go straight to tile pixels, only lines and areas are cut by
 * geojson-vt (a street has a few of them and thousands of points).
 */
async function detailFeatures(db: Sql, query: ItemQuery, z: number, x: number, y: number): Promise<TileFeature[]> {
	const { from, where, params } = await itemWhere(db, query);
	const rows = await db.query<{ id: number; layer: string; theme: string; status: string; title: string; lon: number | null; lat: number | null; shape: string | null }>(
		// Materialized: the tile's few thousand rows come through the spatial index and are sorted
		// after; left to itself the planner may walk the whole primary key backwards for the LIMIT.
		`WITH hit AS MATERIALIZED (SELECT i.id, i.layer, i.theme, i.status, i.title, i.geom FROM ${from} WHERE ${where})
		 SELECT id, layer, theme, status, title,
		        CASE WHEN GeometryType(geom) = 'POINT' THEN ST_X(geom) END AS lon,
		        CASE WHEN GeometryType(geom) = 'POINT' THEN ST_Y(geom) END AS lat,
		        CASE WHEN GeometryType(geom) <> 'POINT' THEN ST_AsGeoJSON(geom, 7) END AS shape
		 FROM hit ORDER BY id DESC LIMIT ${DETAIL_CAP * 2}`,
		params
	);
	const tags = (r: (typeof rows)[number]) => ({ id: r.id, layer: r.layer, theme: r.theme, status: r.status, title: r.title, count: 1 });
	const out: TileFeature[] = [];
	const shapes: Feature[] = [];
	for (const r of rows) {
		if (r.shape !== null) shapes.push({ type: 'Feature', id: r.id, properties: tags(r), geometry: JSON.parse(r.shape) });
		else out.push({ type: 1, id: r.id, tags: tags(r), geometry: [tilePixel(r.lon!, r.lat!, z, x, y, EXTENT)] });
	}
	if (shapes.length) {
		const index = new GeoJSONVT({ type: 'FeatureCollection', features: shapes }, { maxZoom: Math.max(z, 1), indexMaxZoom: 0, extent: EXTENT, buffer: BUFFER * EXTENT });
		out.push(...((index.getTile(z, x, y)?.features ?? []) as TileFeature[]));
	}
	return out;
}

/**
 * Display cells per tile side, as bits: the most cells whose side on screen is still at least a
 * count bubble's (64 px at 512 px tiles and 40 px bubbles).
 */
export const DISPLAY_BITS = Math.floor(Math.log2(TILE_PX / BUBBLE_PX));

/**
 * One point per display cell, with the count of its items of every layer, a count per theme
 * (`theme:<id>`, so a map can narrow a cell to chosen themes without new tiles) and the layer,
 * theme and status most of it has. Cells are sized from the bubble, and each point sits at the
 * mean position of its items pulled in to half its symbol (a bubble, or a lone item's icon) from
 * the cell's sides: then no two
 * bubbles overlap at any zoom the tile is shown at, and none is hidden to make room (a hidden
 * bubble would hide its count). Points go straight to tile pixels: cutting a few thousand points
 * needs no geojson-vt index, which would cost more than reading the cells.
 */
async function cellPoints(db: Sql, query: ItemQuery, bbox: [number, number, number, number], z: number, x: number, y: number): Promise<TilePoint[]> {
	const cellZoom = Math.min(z + DISPLAY_BITS, FINEST_CELL_ZOOM);
	type Cell = { cx: number; cy: number; n: number; id: number; lon: number; lat: number; themes: Record<string, number>; most: Record<string, Record<string, number>> };
	const cells = new Map<string, Cell>();
	for (const r of await cellGroups(db, query, z, x, y, bbox, cellZoom)) {
		const key = `${r.cx}/${r.cy}`;
		let c = cells.get(key);
		if (!c) cells.set(key, (c = { cx: r.cx, cy: r.cy, n: 0, id: r.id, lon: 0, lat: 0, themes: {}, most: { layer: {}, theme: {}, status: {} } }));
		c.n += r.n;
		c.lon += r.lon;
		c.lat += r.lat;
		c.id = Math.min(c.id, r.id);
		c.themes[`theme:${r.theme}`] = (c.themes[`theme:${r.theme}`] ?? 0) + r.n;
		for (const [k, v] of [['layer', r.layer], ['theme', r.theme], ['status', r.status]] as const) c.most[k][v] = (c.most[k][v] ?? 0) + r.n;
	}
	// The largest share, the smallest name on a tie, so the answer does not depend on row order.
	const top = (counts: Record<string, number>) => Object.entries(counts).sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1))[0][0];
	const grid = 2 ** (cellZoom - z);
	const side = EXTENT / grid;
	const half = (n: number) => Math.min(side / 2, ((n === 1 ? ICON_PX : BUBBLE_PX) / 2) * (EXTENT / TILE_PX));
	const clamp = (v: number, cell: number, h: number) => Math.min(Math.max(v, cell * side + h), (cell + 1) * side - h);
	const points: TilePoint[] = [];
	const edge = BUFFER * EXTENT;
	for (const c of cells.values()) {
		const [mx, my] = tilePixel(c.lon / c.n, c.lat / c.n, z, x, y, EXTENT);
		const [px, py] = [clamp(mx, c.cx - x * grid, half(c.n)), clamp(my, c.cy - y * grid, half(c.n))];
		if (px < -edge || px > EXTENT + edge || py < -edge || py > EXTENT + edge) continue;
		const tags = { layer: top(c.most.layer), theme: top(c.most.theme), status: top(c.most.status), count: c.n, ...c.themes, ...(c.n === 1 ? { id: c.id } : {}), zoom: z };
		points.push({ type: 1, tags, geometry: [[px, py]] });
	}
	return points;
}

/**
 * Small LRU of encoded tiles, keyed by data version and request, so a change invalidates it.
 * Bounded in bytes of everything it holds: the tile, its key (UTF-16, two bytes a character)
 * and a fixed cost per entry, so unique keys with empty tiles cannot grow it without end.
 */
export const ENTRY_OVERHEAD_BYTES = 96;

export class TileCache {
	#entries = new Map<string, Uint8Array>();
	#bytes = 0;
	constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

	static cost(key: string, value: Uint8Array): number {
		return value.byteLength + key.length * 2 + ENTRY_OVERHEAD_BYTES;
	}

	/** What the cache holds now, by the measure it is bounded by. */
	get bytes(): number {
		return this.#bytes;
	}

	get size(): number {
		return this.#entries.size;
	}

	get(key: string): Uint8Array | undefined {
		const hit = this.#entries.get(key);
		if (hit) {
			this.#entries.delete(key);
			this.#entries.set(key, hit);
		}
		return hit;
	}

	set(key: string, value: Uint8Array): void {
		const cost = TileCache.cost(key, value);
		if (cost > this.maxBytes) return;
		const old = this.#entries.get(key);
		if (old) {
			this.#entries.delete(key);
			this.#bytes -= TileCache.cost(key, old);
		}
		this.#entries.set(key, value);
		this.#bytes += cost;
		for (const [k, v] of this.#entries) {
			if (this.#bytes <= this.maxBytes) break;
			this.#entries.delete(k);
			this.#bytes -= TileCache.cost(k, v);
		}
	}
}

export function gzipTile(tile: Uint8Array): Uint8Array {
	return gzipSync(tile);
}
