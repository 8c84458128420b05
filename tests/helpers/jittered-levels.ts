/**
 * A four-level, name-only area hierarchy derived from Utrecht's open data at test time, the
 * way separately published levels of a real city look: every level carries its own copy of the
 * shared borders, moved by a few centimetres, so a child's edge runs almost (never exactly)
 * along its parent's. Such near-coincident edges are what make GEOS overlays fall back to
 * their internal recovery paths.
 *
 * Levels (in RD New, metres): stadsdeel (groups of wijken) > wijk > buurt > blok (each buurt
 * cut in a west and an east half). The expected parents are computed here, independently of
 * the import (which overlays in PostGIS), by sample points and a plain point-in-polygon test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { intersection, union, type Geom } from 'polyclip-ts';
import { insideMultiPolygon } from '../../src/lib/geo/point-in-polygon.ts';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';

const SHARED_UTRECHT = path.resolve(import.meta.dirname, '../../../shared/data/utrecht');

export interface Level {
	name: string;
	parent: string | null;
	/** Name-only features, as imported. */
	file: FeatureCollection<MultiPolygon>;
}

type Coords = Position[][][];

const read = (f: string) =>
	JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8')) as FeatureCollection<
		Polygon | MultiPolygon
	>;

const toRd = (g: Polygon | MultiPolygon): Coords =>
	(g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((poly) =>
		poly.map((ring) => ring.map((p) => wgs84ToRd(p)))
	);

/** The same offset for the same vertex within a level, so a level's own neighbours still share borders. */
function jitter(coords: Coords, seed: number, metres: number): Coords {
	const offset = (x: number, y: number, axis: number): number => {
		let h =
			(Math.round(x * 1000) * 73856093) ^
			(Math.round(y * 1000) * 19349663) ^
			(seed * 83492791) ^
			(axis * 2654435761);
		h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
		h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
		h ^= h >>> 16;
		return ((h >>> 0) / 0xffffffff - 0.5) * 2 * metres;
	};
	return coords.map((poly) =>
		poly.map((ring) => ring.map(([x, y]) => [x + offset(x, y, 0), y + offset(x, y, 1)]))
	);
}

const feature = (name: string, coordinates: Coords): Feature<MultiPolygon> => ({
	type: 'Feature',
	properties: { naam: name },
	geometry: { type: 'MultiPolygon', coordinates }
});

const RD_CRS = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } };

/** `metres`: how far a border vertex may move, per axis. */
export function jitteredLevels(metres = 0.04): Level[] {
	const wijken = read('wijk.geojson').features.map((f) => ({
		code: String(f.properties!.KODE),
		name: String(f.properties!.NAAM),
		rd: toRd(f.geometry)
	}));
	const buurten = read('buurt.geojson').features.map((f) => ({
		name: String(f.properties!.NAAM),
		rd: toRd(f.geometry)
	}));

	const groups = new Map<string, Coords[]>();
	for (const w of wijken) {
		const n = Number(w.code);
		const group =
			n <= 3 ? 'West' : n <= 5 ? 'Zuid' : n <= 7 ? 'Centrum en Oost' : 'Noord en Leidsche Rijn';
		groups.set(group, [...(groups.get(group) ?? []), w.rd]);
	}
	const stadsdelen = [...groups].map(([name, parts]) => ({
		name: `Stadsdeel ${name}`,
		rd: union(parts[0] as Geom, ...(parts.slice(1) as Geom[])) as Coords
	}));

	const blokken = buurten.flatMap((b) => {
		const xs = b.rd.flat(2).map((p) => p[0]);
		const ys = b.rd.flat(2).map((p) => p[1]);
		const [x0, x1, y0, y1] = [
			Math.min(...xs) - 1,
			Math.max(...xs) + 1,
			Math.min(...ys) - 1,
			Math.max(...ys) + 1
		];
		const mid = (x0 + x1) / 2;
		const box = (a: number, c: number): Geom => [
			[
				[a, y0],
				[c, y0],
				[c, y1],
				[a, y1],
				[a, y0]
			]
		];
		return [
			{ name: `${b.name} west`, rd: intersection(b.rd as Geom, box(x0, mid)) as Coords },
			{ name: `${b.name} oost`, rd: intersection(b.rd as Geom, box(mid, x1)) as Coords }
		].filter((h) => h.rd.length > 0);
	});

	const level = (
		name: string,
		parent: string | null,
		seed: number,
		areas: { name: string; rd: Coords }[]
	): Level => ({
		name,
		parent,
		file: {
			type: 'FeatureCollection',
			crs: RD_CRS,
			features: areas.map((a) => feature(a.name, jitter(a.rd, seed, metres)))
		} as FeatureCollection<MultiPolygon>
	});
	return [
		level('stadsdeel', null, 1, stadsdelen),
		level('wijk', 'stadsdeel', 2, wijken),
		level('buurt', 'wijk', 3, buurten),
		level('blok', 'buurt', 4, blokken)
	];
}

function bounds(coords: Coords): [number, number, number, number] {
	let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [x, y] of coords.flat(2)) {
		x0 = Math.min(x0, x);
		y0 = Math.min(y0, y);
		x1 = Math.max(x1, x);
		y1 = Math.max(y1, y);
	}
	return [x0, y0, x1, y1];
}

/**
 * Each child's parent by area votes: a grid of about `samples` points over the child's bounding
 * box, kept where they fall inside the child, each voting for the parent that contains it. The
 * winner needs 20% of the votes, the import's own threshold; otherwise no parent.
 * Keys are feature names (the import derives codes from them).
 */
export function parentsByVotes(
	child: Level,
	parent: Level,
	samples = 900
): Map<string, string | null> {
	const parents = parent.file.features.map((f) => ({
		name: String(f.properties!.naam),
		coords: f.geometry.coordinates,
		box: bounds(f.geometry.coordinates)
	}));
	const out = new Map<string, string | null>();
	for (const f of child.file.features) {
		const coords = f.geometry.coordinates;
		const [x0, y0, x1, y1] = bounds(coords);
		const step = Math.sqrt(((x1 - x0) * (y1 - y0)) / samples);
		const votes = new Map<string, number>();
		let total = 0;
		for (let x = x0 + step / 2; x < x1; x += step) {
			for (let y = y0 + step / 2; y < y1; y += step) {
				if (!insideMultiPolygon([x, y], { type: 'MultiPolygon', coordinates: coords })) continue;
				total++;
				const hit = parents.find(
					(p) =>
						x >= p.box[0] &&
						x <= p.box[2] &&
						y >= p.box[1] &&
						y <= p.box[3] &&
						insideMultiPolygon([x, y], { type: 'MultiPolygon', coordinates: p.coords })
				);
				if (hit) votes.set(hit.name, (votes.get(hit.name) ?? 0) + 1);
			}
		}
		const [best] = [...votes].sort((a, b) => b[1] - a[1]);
		out.set(String(f.properties!.naam), best && best[1] >= 0.2 * total ? best[0] : null);
	}
	return out;
}
