import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';

/**
 * Cuts the areas into Mapbox vector tiles: per level one polygon layer (named after the
 * level, e.g. `wijk`) and one point layer (`wijk_label`) holding one point inside each area,
 * so MapLibre can place a single label per area instead of one per tile piece.
 *
 * Zoom 6 shows the whole country, so even a region-wide map zoomed far out has outlines.
 * Above 14 MapLibre overzooms: at zoom 14 one of the 4096 tile units is about 0.4 m in the
 * Netherlands, finer than the boundaries themselves are measured, so deeper tiles would
 * only add bytes.
 */
export const MIN_ZOOM = 6;
export const MAX_ZOOM = 14;
const EXTENT = 4096;

export interface AreaForTiles {
	code: string;
	name: string;
	parent: string | null;
	geometry: MultiPolygon | Polygon;
	/** A point inside the area for its label. */
	label: Point;
}

export interface LevelForTiles {
	name: string;
	depth: number;
	areas: AreaForTiles[];
}

export interface AreaTile {
	z: number;
	x: number;
	y: number;
	/** Uncompressed MVT bytes. */
	data: Uint8Array;
}

const FIELDS = {
	code: 'String: code of the area, unique within its level',
	name: 'String: name of the area',
	parent: 'String: code of the containing area one level coarser',
	level: 'String: the level, equal to the layer name'
};

/** TileJSON-style metadata for the archive, so tools and MapLibre know the layers. */
export function areaMetadata(levels: LevelForTiles[]): Record<string, unknown> {
	return {
		name: 'Wijkkaart gebieden',
		description: 'Gebiedsgrenzen per niveau, met één labelpunt per gebied',
		format: 'pbf',
		type: 'overlay',
		minzoom: MIN_ZOOM,
		maxzoom: MAX_ZOOM,
		vector_layers: levels
			.filter((l) => l.areas.length > 0)
			.flatMap((l) => {
				const minzoom = levelMinZoom(l);
				return [
					{ id: l.name, description: `Vlakken van niveau ${l.name} (diepte ${l.depth})`, fields: FIELDS, minzoom, maxzoom: MAX_ZOOM },
					{ id: `${l.name}_label`, description: `Labelpunten van niveau ${l.name}`, fields: FIELDS, minzoom, maxzoom: MAX_ZOOM }
				];
			}),
		levels: levels.map((l) => ({ name: l.name, depth: l.depth, areas: l.areas.length }))
	};
}

function lonToX(lon: number, z: number): number {
	return Math.min(2 ** z - 1, Math.max(0, Math.floor(((lon + 180) / 360) * 2 ** z)));
}
function latToY(lat: number, z: number): number {
	const r = (lat * Math.PI) / 180;
	const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
	return Math.min(2 ** z - 1, Math.max(0, y));
}

/** Area of the outer rings in km², good enough to tell a buurt from a wijk. */
function areaKm2(g: MultiPolygon | Polygon): number {
	const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
	let sum = 0;
	for (const [outer] of polygons) {
		let twice = 0;
		for (let i = 1; i < outer.length; i++) twice += outer[i - 1][0] * outer[i][1] - outer[i][0] * outer[i - 1][1];
		const lat = (outer[0][1] * Math.PI) / 180;
		sum += (Math.abs(twice) / 2) * 111.32 * 111.32 * Math.cos(lat);
	}
	return sum;
}

/**
 * The lowest zoom at which a level is in the tiles: where its typical area is at least 4 screen
 * pixels across. Below that its outlines merge into a grey smear, and a country's 15,000
 * buurten at zoom 6 would make tiles of half a megabyte. The coarsest level is always there.
 */
export function levelMinZoom(level: LevelForTiles): number {
	if (level.depth === 0 || level.areas.length === 0) return MIN_ZOOM;
	const sizes = level.areas.map((a) => Math.sqrt(areaKm2(a.geometry))).sort((a, b) => a - b);
	const typicalM = sizes[Math.floor(sizes.length / 2)] * 1000;
	const lat = (level.areas[0].label.coordinates[1] * Math.PI) / 180;
	// MapLibre draws 512-pixel tiles: metres per pixel at zoom z is 40075016·cos(lat) / (512·2^z).
	const z = Math.ceil(Math.log2((40075016 * Math.cos(lat) * 4) / (512 * Math.max(typicalM, 1))));
	return Math.max(MIN_ZOOM, Math.min(MAX_ZOOM - 2, z));
}

interface Layer {
	name: string;
	index: GeoJSONVT;
	minZoom: number;
	/** Tiles to look at on the current zoom, as x * 2^z + y. */
	todo: Set<number>;
}

/**
 * Yields every non-empty tile from MIN_ZOOM to MAX_ZOOM, one at a time, so the writer can
 * compress and drop each before the next is made. Per layer, only the children of tiles that
 * geojson-vt has geometry for are visited, so sea and land outside the areas cost no work.
 * (Not "children of non-empty tiles": a tile whose small areas all simplify away still has
 * children to draw.)
 */
export function* areaTiles(levels: LevelForTiles[], bounds: [number, number, number, number]): Generator<AreaTile> {
	const layers: Layer[] = [];
	for (const level of levels) {
		if (level.areas.length === 0) continue;
		// Ids are positions in the code-sorted level, from 1: MapLibre's feature-state (hover) needs
		// numbers, and the same areas give the same ids on every build.
		const sorted = [...level.areas].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
		const props = (a: AreaForTiles) => ({ code: a.code, name: a.name, parent: a.parent, level: level.name });
		const polygons: Feature[] = sorted.map((a, i) => ({ type: 'Feature', id: i + 1, properties: props(a), geometry: a.geometry }));
		const points: Feature[] = sorted.map((a, i) => ({ type: 'Feature', id: i + 1, properties: props(a), geometry: a.label }));
		const base = { maxZoom: MAX_ZOOM, extent: EXTENT, tolerance: 3 };
		const minZoom = levelMinZoom(level);
		const todo = new Set<number>();
		layers.push({ name: level.name, index: new GeoJSONVT({ type: 'FeatureCollection', features: polygons }, { ...base, buffer: 64 }), minZoom, todo });
		// A point belongs to exactly one tile: with a buffer MapLibre would still drop the copies
		// outside each tile, so they would only cost bytes.
		const labels = new GeoJSONVT({ type: 'FeatureCollection', features: points }, { ...base, buffer: 0 });
		layers.push({ name: `${level.name}_label`, index: labels, minZoom, todo: new Set() });
	}

	const [w, s, e, n] = bounds;
	for (let z = MIN_ZOOM; z <= MAX_ZOOM; z++) {
		const side = 2 ** z;
		const all = new Set<number>();
		for (const layer of layers) {
			if (z === layer.minZoom) {
				for (let x = lonToX(w, z); x <= lonToX(e, z); x++) {
					for (let y = latToY(n, z); y <= latToY(s, z); y++) layer.todo.add(x * side + y);
				}
			}
			for (const key of layer.todo) all.add(key);
		}
		const next = layers.map(() => new Set<number>());
		for (const key of all) {
			const x = Math.floor(key / side);
			const y = key % side;
			const present: Record<string, NonNullable<ReturnType<GeoJSONVT['getTile']>>> = {};
			let drawn = false;
			layers.forEach((layer, i) => {
				if (!layer.todo.has(key)) return;
				// null: geojson-vt knows this tile and all below it are empty.
				const tile = layer.index.getTile(z, x, y);
				if (!tile) return;
				const [cx, cy] = [2 * x, 2 * y];
				next[i].add(cx * 2 * side + cy).add((cx + 1) * 2 * side + cy).add(cx * 2 * side + cy + 1).add((cx + 1) * 2 * side + cy + 1);
				if (tile.features.length > 0) {
					present[layer.name] = tile;
					drawn = true;
				}
			});
			if (drawn) yield { z, x, y, data: fromGeojsonVt(present as never, { version: 2, extent: EXTENT }) };
		}
		layers.forEach((layer, i) => (layer.todo = next[i]));
	}
}
