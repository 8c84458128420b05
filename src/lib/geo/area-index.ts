import type { MultiPolygon, Polygon } from 'geojson';

export interface IndexedArea {
	level: string;
	code: string;
	geometry: Polygon | MultiPolygon;
}

/** One area's edges, bucketed into horizontal bands so a point meets only the edges at its height. */
interface Shape {
	level: string;
	code: string;
	minX: number;
	minY: number;
	maxX: number;
	maxY: number;
	bandHeight: number;
	/** Per band: x1, y1, x2, y2 of every edge whose height overlaps the band. */
	bands: Float64Array[];
}

const GRID = 64;

/**
 * Finds which area of each level contains a point, in memory: a uniform grid picks the few
 * areas whose box holds the point, then even-odd ray casting over the edges in the point's band.
 * The store's rule (src/lib/server/items/write.ts) is ST_Intersects; a point exactly on a
 * border may be counted on either side here, and the lowest code wins per level, as there.
 */
export class AreaIndex {
	readonly #shapes: Shape[];
	readonly #cells: number[][];
	readonly #bounds: [number, number, number, number];

	constructor(areas: IndexedArea[]) {
		this.#shapes = areas
			.map(shapeOf)
			.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
		const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
		for (const s of this.#shapes) {
			b[0] = Math.min(b[0], s.minX);
			b[1] = Math.min(b[1], s.minY);
			b[2] = Math.max(b[2], s.maxX);
			b[3] = Math.max(b[3], s.maxY);
		}
		this.#bounds = b;
		this.#cells = Array.from({ length: GRID * GRID }, () => []);
		this.#shapes.forEach((s, i) => {
			const [x0, y0] = this.#cell(s.minX, s.minY);
			const [x1, y1] = this.#cell(s.maxX, s.maxY);
			for (let cx = x0; cx <= x1; cx++)
				for (let cy = y0; cy <= y1; cy++) this.#cells[cy * GRID + cx].push(i);
		});
	}

	#cell(x: number, y: number): [number, number] {
		const [minX, minY, maxX, maxY] = this.#bounds;
		const clamp = (v: number) => Math.min(GRID - 1, Math.max(0, Math.floor(v * GRID)));
		return [clamp((x - minX) / (maxX - minX || 1)), clamp((y - minY) / (maxY - minY || 1))];
	}

	/** {level: code} of the areas containing the point; empty outside every area. */
	locate(x: number, y: number): Record<string, string> {
		const [minX, minY, maxX, maxY] = this.#bounds;
		const found: Record<string, string> = {};
		if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) return found;
		const [cx, cy] = this.#cell(x, y);
		for (const i of this.#cells[cy * GRID + cx]) {
			const s = this.#shapes[i];
			if (found[s.level] !== undefined) continue;
			if (contains(s, x, y)) found[s.level] = s.code;
		}
		return found;
	}
}

function shapeOf(area: IndexedArea): Shape {
	const polygons =
		area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
	const edges: number[][] = [];
	let minX = Infinity,
		minY = Infinity,
		maxX = -Infinity,
		maxY = -Infinity;
	for (const ring of polygons.flat()) {
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [x1, y1] = ring[j];
			const [x2, y2] = ring[i];
			edges.push([x1, y1, x2, y2]);
			minX = Math.min(minX, x2);
			minY = Math.min(minY, y2);
			maxX = Math.max(maxX, x2);
			maxY = Math.max(maxY, y2);
		}
	}
	const count = Math.max(1, Math.ceil(Math.sqrt(edges.length)));
	const bandHeight = (maxY - minY) / count || 1;
	const buckets: number[][] = Array.from({ length: count }, () => []);
	for (const e of edges) {
		const lo = Math.min(count - 1, Math.floor((Math.min(e[1], e[3]) - minY) / bandHeight));
		const hi = Math.min(count - 1, Math.floor((Math.max(e[1], e[3]) - minY) / bandHeight));
		for (let b = lo; b <= hi; b++) buckets[b].push(...e);
	}
	return {
		level: area.level,
		code: area.code,
		minX,
		minY,
		maxX,
		maxY,
		bandHeight,
		bands: buckets.map((b) => Float64Array.from(b))
	};
}

function contains(s: Shape, x: number, y: number): boolean {
	if (x < s.minX || x > s.maxX || y < s.minY || y > s.maxY) return false;
	const band = s.bands[Math.min(s.bands.length - 1, Math.floor((y - s.minY) / s.bandHeight))];
	let inside = false;
	for (let k = 0; k < band.length; k += 4) {
		const x1 = band[k],
			y1 = band[k + 1],
			x2 = band[k + 2],
			y2 = band[k + 3];
		if (y2 > y !== y1 > y && x < ((x1 - x2) * (y - y2)) / (y1 - y2) + x2) inside = !inside;
	}
	return inside;
}
