import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';

/**
 * CBS Wijk- en Buurtkaart look-alikes built from the shared Utrecht data at test time: the
 * national file's layers and column names, in RD New, with other municipalities in it. Written
 * by GDAL's ogr2ogr (an independent writer) as a GeoPackage or a zip of shapefiles.
 */

/** As in db.ts, which this file does not import: bench scripts run it outside Vitest. */
const SHARED_UTRECHT = path.resolve(import.meta.dirname, '../../../shared/data/utrecht');

type Props = Record<string, string | number | null>;
type Poly = Polygon | MultiPolygon;

const read = (f: string) =>
	JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8')) as FeatureCollection<
		Poly,
		Record<string, string>
	>;

export const UTRECHT = 'GM0344';
/** The one distractor municipality of the small fixture: three Utrecht wijken, 25 km east. */
export const DISTRACTOR = 'GM0307';

/** Population per buurt/wijk, with CBS' secret/unknown sentinels on some. */
export function cbsPopulation(kode: string): number {
	const n = Number(kode);
	if (n % 10 === 3) return -99997;
	if (n % 17 === 5) return -99999999;
	return 1000 + (n % 97) * 37;
}

/** The name the fixture writes: one buurt gets non-ASCII letters, to prove the .dbf codepage is read. */
export function cbsName(name: string, kode: string): string {
	return kode === '0111' ? `${name} – Café Één` : name;
}

export interface CbsLayers {
	gemeenten: Feature<Poly, Props>[];
	wijken: Feature<Poly, Props>[];
	buurten: Feature<Poly, Props>[];
}

function mapGeom(g: Poly, fn: (p: Position) => Position): Poly {
	return g.type === 'Polygon'
		? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(fn)) }
		: { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(fn))) };
}

/** A small square (RD) around a point: a water record's stand-in geometry. */
function square([x, y]: Position, half = 50): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x - half, y - half],
				[x + half, y - half],
				[x + half, y + half],
				[x - half, y + half],
				[x - half, y - half]
			]
		]
	};
}

/**
 * Utrecht (GM0344) at its place plus `others` municipalities: translated copies of Utrecht's
 * wijken (all, or the first `distractorWijken`) under other GM codes. Utrecht's first buurt and
 * wijk also get a separate water record under the same code, as CBS files of some years have.
 */
export function cbsLayers(opts: {
	others: { code: string; dx: number; dy: number }[];
	distractorWijken?: number;
}): CbsLayers {
	const wijk = read('wijk.geojson');
	const buurt = read('buurt.geojson');
	const gemeente = read('gemeente.geojson');
	const rdWijk = wijk.features.map((f) => ({
		...f,
		geometry: mapGeom(f.geometry, (p) => wgs84ToRd(p))
	}));
	const rdBuurt = buurt.features.map((f) => ({
		...f,
		geometry: mapGeom(f.geometry, (p) => wgs84ToRd(p))
	}));
	const rdGemeente = gemeente.features.map((f) => ({
		...f,
		geometry: mapGeom(f.geometry, (p) => wgs84ToRd(p))
	}));
	const out: CbsLayers = { gemeenten: [], wijken: [], buurten: [] };
	const munis = [
		{ code: UTRECHT, name: 'Utrecht', dx: 0, dy: 0 },
		...opts.others.map((o, i) => ({ ...o, name: `Kopie ${i + 1}` }))
	];
	for (const m of munis) {
		const gm = m.code.slice(2);
		const move = (g: Poly) => (m.dx || m.dy ? mapGeom(g, ([x, y]) => [x + m.dx, y + m.dy]) : g);
		const keep =
			m.code === UTRECHT
				? null
				: new Set(
						rdWijk.slice(0, opts.distractorWijken ?? rdWijk.length).map((w) => w.properties.KODE)
					);
		for (const g of rdGemeente) {
			out.gemeenten.push({
				type: 'Feature',
				properties: { gemeentecode: m.code, gemeentenaam: m.name, water: 'NEE' },
				geometry: move(g.geometry)
			});
		}
		for (const w of rdWijk) {
			if (keep && !keep.has(w.properties.KODE)) continue;
			out.wijken.push({
				type: 'Feature',
				properties: {
					wijkcode: `WK${gm}${w.properties.KODE}`,
					wijknaam: w.properties.NAAM,
					gemeentecode: m.code,
					gemeentenaam: m.name,
					water: 'NEE',
					aantal_inwoners: cbsPopulation(w.properties.KODE)
				},
				geometry: move(w.geometry)
			});
		}
		for (const b of rdBuurt) {
			if (keep && !keep.has(b.properties.WIJKKODE)) continue;
			out.buurten.push({
				type: 'Feature',
				properties: {
					buurtcode: `BU${gm}${b.properties.KODE}`,
					buurtnaam: cbsName(b.properties.NAAM, b.properties.KODE),
					wijkcode: `WK${gm}${b.properties.WIJKKODE}`,
					gemeentecode: m.code,
					gemeentenaam: m.name,
					water: 'NEE',
					aantal_inwoners: cbsPopulation(b.properties.KODE)
				},
				geometry: move(b.geometry)
			});
		}
	}
	const firstB = out.buurten[0];
	const firstW = out.wijken[0];
	const corner = (f: Feature<Poly>) =>
		f.geometry.type === 'Polygon' ? f.geometry.coordinates[0][0] : f.geometry.coordinates[0][0][0];
	out.buurten.push({
		type: 'Feature',
		properties: { ...firstB.properties, water: 'JA', aantal_inwoners: 0 },
		geometry: square(corner(firstB))
	});
	out.wijken.push({
		type: 'Feature',
		properties: { ...firstW.properties, water: 'JA', aantal_inwoners: 0 },
		geometry: square(corner(firstW))
	});
	return out;
}

/** The older shapefile column names (CBS before 2021 or so). */
function oldNames(p: Props): Props {
	const map: Record<string, string> = {
		buurtcode: 'BU_CODE',
		buurtnaam: 'BU_NAAM',
		wijkcode: 'WK_CODE',
		wijknaam: 'WK_NAAM',
		gemeentecode: 'GM_CODE',
		gemeentenaam: 'GM_NAAM',
		water: 'WATER',
		aantal_inwoners: 'AANT_INW'
	};
	return Object.fromEntries(Object.entries(p).map(([k, v]) => [map[k] ?? k, v]));
}

function writeLayer(
	dir: string,
	name: string,
	features: Feature<Poly, Props>[],
	rename?: (p: Props) => Props
): string {
	const file = path.join(dir, `${name}.geojson`);
	writeFileSync(
		file,
		JSON.stringify({
			type: 'FeatureCollection',
			crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } },
			features: rename
				? features.map((f) => ({ ...f, properties: rename(f.properties) }))
				: features
		})
	);
	return file;
}

/** wijkenbuurten_<year>.gpkg with layers gemeenten, wijken, buurten (MultiPolygon, EPSG:28992). */
export function writeCbsGeoPackage(dir: string, layers: CbsLayers, year = 2024): string {
	mkdirSync(dir, { recursive: true });
	const out = path.join(dir, `wijkenbuurten_${year}_v1.gpkg`);
	(['gemeenten', 'wijken', 'buurten'] as const).forEach((name, i) => {
		const src = writeLayer(dir, `src-${name}`, layers[name]);
		execFileSync('ogr2ogr', [
			...(i ? ['-update'] : []),
			'-f',
			'GPKG',
			out,
			src,
			'-nln',
			name,
			'-nlt',
			'MULTIPOLYGON',
			'-a_srs',
			'EPSG:28992'
		]);
	});
	return out;
}

/**
 * WijkBuurtkaart_<year>.zip holding gem_/wijk_/buurt_<year>.shp (+ .shx, .dbf, .prj, .cpg) in a
 * folder, with the older column names and the .dbf in Windows-1252, zipped by Python's zipfile.
 */
export function writeCbsShapeZip(dir: string, layers: CbsLayers, year = 2019): string {
	const folder = path.join(dir, `WijkBuurtkaart_${year}_v3`);
	mkdirSync(folder, { recursive: true });
	for (const [name, file] of [
		['gemeenten', 'gem'],
		['wijken', 'wijk'],
		['buurten', 'buurt']
	] as const) {
		const src = writeLayer(dir, `src-old-${name}`, layers[name], oldNames);
		execFileSync('ogr2ogr', [
			'-f',
			'ESRI Shapefile',
			path.join(folder, `${file}_${year}_v3.shp`),
			src,
			'-nlt',
			'MULTIPOLYGON',
			'-a_srs',
			'EPSG:28992',
			'-lco',
			'ENCODING=CP1252'
		]);
	}
	const zip = path.join(dir, `WijkBuurtkaart_${year}_v3.zip`);
	execFileSync('/usr/bin/python3', [
		'-c',
		'import sys, os, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)\nfor f in sorted(os.listdir(sys.argv[2])): z.write(os.path.join(sys.argv[2], f), os.path.join(os.path.basename(sys.argv[2]), f))\nz.close()',
		zip,
		folder
	]);
	return zip;
}

/** `n` municipalities on a grid of translated Utrecht copies, Utrecht first: a national-size file. */
export function nationalOthers(n: number): { code: string; dx: number; dy: number }[] {
	const out: { code: string; dx: number; dy: number }[] = [];
	const cols = Math.ceil(Math.sqrt(n + 1));
	for (let i = 1; i <= n; i++) {
		const col = i % cols;
		const row = Math.floor(i / cols);
		// Utrecht spans about 14 by 13 km; the grid stays inside RD's valid area.
		out.push({
			code: `GM${String(1000 + i).padStart(4, '0')}`,
			dx: (col - cols / 2) * 15_000 + 20_000,
			dy: (row - cols / 2) * 12_000
		});
	}
	return out;
}
