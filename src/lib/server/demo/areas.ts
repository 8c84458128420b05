import { Delaunay } from 'd3';
import intersect from '@turf/intersect';
import { featureCollection, polygon } from '@turf/helpers';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { prng } from './prng.ts';
import { insideRing } from '../../geo/point-in-polygon.ts';

/**
 * Voorbeeldstad: a made-up municipality, generated so that a fresh clone runs offline with
 * believable wards. Wijken are Voronoi cells of a lumpy city outline; buurten are Voronoi
 * cells inside each wijk, so every buurt nests exactly in its wijk.
 * The properties follow the CBS wijk- en buurtkaart, so the demo enters through the very
 * same import path as a user's own files.
 */
export const DEMO_GEMEENTE = { code: 'GM9999', name: 'Voorbeeldstad' } as const;

const CENTER: Position = [5.62, 52.06];
// Degrees of longitude are shorter than degrees of latitude at 52° N.
const LON_SCALE = 1 / Math.cos((CENTER[1] * Math.PI) / 180);

const WIJK_NAMES = [
	'Centrum',
	'Havenkwartier',
	'Molenwijk',
	'Parkzoom',
	'Oosterpoort',
	'De Weiden',
	'Zuiderhout'
] as const;

const BUURT_NAMES: Record<(typeof WIJK_NAMES)[number], readonly string[]> = {
	Centrum: [
		'Binnenstad-Noord',
		'Binnenstad-Zuid',
		'Marktkwartier',
		'Kerkbuurt',
		'Stationsgebied',
		'Grachtengordel',
		'Museumkwartier'
	],
	Havenkwartier: [
		'Oude Haven',
		'Kadebuurt',
		'Werfeiland',
		'Scheepmakerij',
		'Pakhuizen',
		'Sluiskwartier'
	],
	Molenwijk: [
		'Molenbuurt',
		'Korenbuurt',
		'De Wieken',
		'Maalderij',
		'Bakkersveld',
		'Graanmarkt',
		'Zeilmakers'
	],
	Parkzoom: ['Parkrand', 'Vijverbuurt', 'Lindenhof', 'Rozenbuurt', 'Kastanjelaan', 'Boomgaard'],
	Oosterpoort: [
		'Poortbuurt',
		'Spoorzicht',
		'Fabriekskwartier',
		'Schildersbuurt',
		'Muziekbuurt',
		'Oosterhof',
		'Dichtersbuurt'
	],
	'De Weiden': [
		'Weidebuurt',
		'Slotenbuurt',
		'Koeienpad',
		'Hooiland',
		'Boerderijbuurt',
		'Polderrand'
	],
	Zuiderhout: [
		'Houtwal',
		'Zuiderbos',
		'Hei en Dal',
		'Sportpark',
		'Ekkersrijt',
		'Zandweg',
		'Dennenbuurt'
	]
};

function toLonLat(x: number, y: number): Position {
	return [round(CENTER[0] + x * LON_SCALE), round(CENTER[1] + y)];
}

function round(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}

/** A closed, slightly irregular city outline in local units (degrees of latitude). */
function outline(rand: () => number): Position[] {
	const n = 36;
	const phases = [rand() * Math.PI * 2, rand() * Math.PI * 2];
	const ring: Position[] = [];
	for (let i = 0; i < n; i++) {
		const a = (i / n) * Math.PI * 2;
		const r = 0.045 * (1 + 0.12 * Math.sin(2 * a + phases[0]) + 0.08 * Math.sin(3 * a + phases[1]));
		ring.push([r * Math.cos(a), r * Math.sin(a) * 0.8]);
	}
	ring.push(ring[0]);
	return ring;
}

export function seedsInside(rand: () => number, ring: Position[], count: number): Position[] {
	const [minX, minY, maxX, maxY] = bounds(ring);
	const seeds: Position[] = [];
	// Rejection sampling with a spacing rule spreads the cells evenly, as real wards are.
	const spacing = Math.sqrt(((maxX - minX) * (maxY - minY)) / count) * 0.55;
	for (let tries = 0; seeds.length < count && tries < count * 500; tries++) {
		const p: Position = [minX + rand() * (maxX - minX), minY + rand() * (maxY - minY)];
		if (!insideRing(p, ring)) continue;
		if (seeds.some((s) => Math.hypot(s[0] - p[0], s[1] - p[1]) < spacing)) continue;
		seeds.push(p);
	}
	return seeds;
}

export function voronoiCells(
	seeds: Position[],
	clip: Position[]
): Feature<Polygon | MultiPolygon>[] {
	const [minX, minY, maxX, maxY] = bounds(clip);
	const voronoi = Delaunay.from(seeds as [number, number][]).voronoi([minX, minY, maxX, maxY]);
	const clipPoly = polygon([clip]);
	return seeds.map((_, i) => {
		const cell = voronoi.cellPolygon(i) as Position[];
		const clipped = intersect(featureCollection([polygon([cell]), clipPoly]));
		if (!clipped) throw new Error('demo: lege cel');
		return clipped;
	});
}

export function rings(f: Feature<Polygon | MultiPolygon>): Position[][][] {
	return f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
}

function toWgs84(f: Feature<Polygon | MultiPolygon>): MultiPolygon {
	return {
		type: 'MultiPolygon',
		coordinates: rings(f).map((poly) => poly.map((ring) => ring.map(([x, y]) => toLonLat(x, y))))
	};
}

export function bounds(ring: Position[]): [number, number, number, number] {
	const xs = ring.map((p) => p[0]);
	const ys = ring.map((p) => p[1]);
	return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export interface DemoMunicipality {
	gemeente: { code: string; name: string };
	wijken: FeatureCollection<MultiPolygon>;
	buurten: FeatureCollection<MultiPolygon>;
}

export function generateDemoMunicipality(seed = 20240501): DemoMunicipality {
	const rand = prng(seed);
	const city = outline(rand);
	const wijkCells = voronoiCells(seedsInside(rand, city, WIJK_NAMES.length), city);
	const wijken: Feature<MultiPolygon>[] = [];
	const buurten: Feature<MultiPolygon>[] = [];

	wijkCells.forEach((cell, w) => {
		const wijkName = WIJK_NAMES[w];
		const wijkCode = `WK9999${String(w).padStart(2, '0')}`;
		const names = BUURT_NAMES[wijkName];
		// A wijk cell may be a MultiPolygon after clipping; buurten go in its largest part.
		const outer = rings(cell).sort((a, b) => b[0].length - a[0].length)[0][0];
		const buurtSeeds = seedsInside(rand, outer, names.length);
		let wijkPopulation = 0;
		voronoiCells(buurtSeeds, outer).forEach((bcell, b) => {
			const population = 600 + Math.round(rand() * 5400);
			wijkPopulation += population;
			buurten.push({
				type: 'Feature',
				properties: {
					BU_CODE: `BU9999${String(w).padStart(2, '0')}${String(b).padStart(2, '0')}`,
					BU_NAAM: names[b],
					WK_CODE: wijkCode,
					GM_CODE: DEMO_GEMEENTE.code,
					AANT_INW: population
				},
				geometry: toWgs84(bcell)
			});
		});
		wijken.push({
			type: 'Feature',
			properties: {
				WK_CODE: wijkCode,
				WK_NAAM: wijkName,
				GM_CODE: DEMO_GEMEENTE.code,
				AANT_INW: wijkPopulation
			},
			geometry: toWgs84(cell)
		});
	});

	return {
		gemeente: { ...DEMO_GEMEENTE },
		wijken: { type: 'FeatureCollection', features: wijken },
		buurten: { type: 'FeatureCollection', features: buurten }
	};
}
