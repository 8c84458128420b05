import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { bounds, rings, seedsInside, voronoiCells } from './areas.ts';
import { prng } from './prng.ts';

/**
 * A made-up country the size of the Netherlands, for timing the area-tile build at national
 * scale (~15,000 buurten) without downloading the CBS map. Gemeenten are Voronoi cells of a
 * rough outline of the country, wijken cells inside each gemeente, buurten cells inside each
 * wijk, so every area nests in its parent as in the CBS wijk- en buurtkaart.
 */
export interface NationalAreas {
	gemeenten: FeatureCollection<MultiPolygon>;
	wijken: FeatureCollection<MultiPolygon>;
	buurten: FeatureCollection<MultiPolygon>;
}

// A coarse outline of the Netherlands (lon, lat): the tiles should cover the real extent.
const OUTLINE: Position[] = [
	[3.4, 51.4],
	[4.3, 51.3],
	[5.0, 51.45],
	[5.85, 51.15],
	[5.7, 50.78],
	[6.05, 50.8],
	[6.1, 51.2],
	[6.2, 51.5],
	[6.0, 51.85],
	[6.8, 51.95],
	[7.05, 52.25],
	[7.0, 52.65],
	[7.2, 53.2],
	[6.9, 53.45],
	[5.9, 53.45],
	[4.9, 53.2],
	[4.6, 52.5],
	[4.1, 52.0],
	[3.5, 51.7],
	[3.4, 51.4]
];
const LAT0 = 52.1;
const LON0 = 5.3;
// Work in units of degrees of latitude on both axes, so Voronoi cells come out round, not stretched.
const K = Math.cos((LAT0 * Math.PI) / 180);
const toLocal = ([lon, lat]: Position): Position => [(lon - LON0) * K, lat - LAT0];
const toLonLat = ([x, y]: Position): Position => [round(LON0 + x / K), round(LAT0 + y)];
const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Buurten per wijk and wijken per gemeente on average, close to the CBS map (~4.5 and ~10). */
const BUURTEN_PER_WIJK = 4.5;
const WIJKEN_PER_GEMEENTE = 10;

export function generateNationalAreas(buurtTarget = 15_000, seed = 2024): NationalAreas {
	const rand = prng(seed);
	const country = OUTLINE.map(toLocal);
	const gemeenteCount = Math.max(
		1,
		Math.round(buurtTarget / (BUURTEN_PER_WIJK * WIJKEN_PER_GEMEENTE))
	);
	const gemeenten: Feature<MultiPolygon>[] = [];
	const wijken: Feature<MultiPolygon>[] = [];
	const buurten: Feature<MultiPolygon>[] = [];
	// Varying counts around the mean, as real municipalities differ in size.
	const around = (mean: number) => Math.max(1, Math.round(mean * (0.5 + rand())));

	voronoiCells(seeds(rand, country, gemeenteCount), country).forEach((gCell, g) => {
		const gmCode = `GM${String(g + 1).padStart(4, '0')}`;
		gemeenten.push(feature(gCell, { GM_CODE: gmCode, GM_NAAM: `Gemeente ${g + 1}` }));
		const gOuter = largestRing(gCell);
		voronoiCells(seeds(rand, gOuter, around(WIJKEN_PER_GEMEENTE)), gOuter).forEach((wCell, w) => {
			const wkCode = `WK${gmCode.slice(2)}${String(w).padStart(2, '0')}`;
			let population = 0;
			const wOuter = largestRing(wCell);
			voronoiCells(seeds(rand, wOuter, around(BUURTEN_PER_WIJK)), wOuter).forEach((bCell, b) => {
				const inhabitants = 200 + Math.round(rand() * 4800);
				population += inhabitants;
				buurten.push(
					feature(bCell, {
						BU_CODE: `BU${wkCode.slice(2)}${String(b).padStart(2, '0')}`,
						BU_NAAM: `Buurt ${b + 1}`,
						WK_CODE: wkCode,
						GM_CODE: gmCode,
						AANT_INW: inhabitants
					})
				);
			});
			wijken.push(
				feature(wCell, {
					WK_CODE: wkCode,
					WK_NAAM: `Wijk ${w + 1}`,
					GM_CODE: gmCode,
					AANT_INW: population
				})
			);
		});
	});
	const fc = (features: Feature<MultiPolygon>[]): FeatureCollection<MultiPolygon> => ({
		type: 'FeatureCollection',
		features
	});
	return { gemeenten: fc(gemeenten), wijken: fc(wijken), buurten: fc(buurten) };
}

/** Evenly spread seeds; a sliver too thin for the spacing rule still gets one. */
function seeds(rand: () => number, ring: Position[], count: number): Position[] {
	const found = seedsInside(rand, ring, count);
	if (found.length > 0) return found;
	const [minX, minY, maxX, maxY] = bounds(ring);
	return [[(minX + maxX) / 2, (minY + maxY) / 2]];
}

/** After clipping a cell may fall apart; its children go in the largest part. */
function largestRing(f: Feature<Polygon | MultiPolygon>): Position[] {
	return rings(f).sort((a, b) => b[0].length - a[0].length)[0][0];
}

function feature(
	f: Feature<Polygon | MultiPolygon>,
	properties: Record<string, string | number>
): Feature<MultiPolygon> {
	return {
		type: 'Feature',
		properties,
		geometry: {
			type: 'MultiPolygon',
			coordinates: rings(f).map((poly) => poly.map((ring) => ring.map(toLonLat)))
		}
	};
}
