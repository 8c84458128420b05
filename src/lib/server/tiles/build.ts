import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, FeatureCollection } from 'geojson';
import type { Db } from '../db/types.ts';
import { writeArchive, type TileInput } from './pmtiles-writer.ts';

/**
 * Areas change only at import, so their tiles are built once into one static PMTiles archive
 * instead of being cut per request. Zoom 8 shows a municipality whole; past 14 MapLibre
 * overzooms, and ward outlines gain nothing from more detail.
 */
export const MIN_ZOOM = 8;
export const MAX_ZOOM = 14;

interface AreaRow {
	level: string;
	depth: number;
	code: string;
	name: string;
	parent: string | null;
	geom: string;
	label: string;
}

function lon2tile(lon: number, z: number) {
	return Math.floor(((lon + 180) / 360) * 2 ** z);
}
function lat2tile(lat: number, z: number) {
	const r = (lat * Math.PI) / 180;
	return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

export async function buildAreaTiles(db: Db, outFile: string): Promise<{ tiles: number; bytes: number; ms: number }> {
	const started = performance.now();
	const rows = await db.query<AreaRow>(
		`SELECT a.level, l.depth, a.code, a.name, a.parent, ST_AsGeoJSON(a.geom, 6) AS geom,
		        ST_AsGeoJSON(ST_PointOnSurface(a.geom), 6) AS label
		 FROM area a JOIN area_level l ON l.name = a.level ORDER BY l.depth, a.code`
	);
	if (rows.length === 0) throw new Error('er zijn nog geen gebieden; importeer wijken en buurten (npm run import -- areas …) of start het portaal');
	const [ext] = await db.query<{ w: number; s: number; e: number; n: number }>(
		`SELECT ST_XMin(e)::float8 w, ST_YMin(e)::float8 s, ST_XMax(e)::float8 e, ST_YMax(e)::float8 n
		 FROM (SELECT ST_Extent(geom)::geometry e FROM area) x`
	);

	const levels = [...new Set(rows.map((r) => r.level))];
	const layers: Record<string, GeoJSONVT> = {};
	const vectorLayers: Record<string, unknown>[] = [];
	for (const level of levels) {
		const mine = rows.filter((r) => r.level === level);
		const props = (r: AreaRow, i: number) => ({ code: r.code, name: r.name, parent: r.parent ?? '', level: r.level, id: i });
		const polys: FeatureCollection = {
			type: 'FeatureCollection',
			features: mine.map((r, i): Feature => ({ type: 'Feature', id: i + 1, properties: props(r, i + 1), geometry: JSON.parse(r.geom) }))
		};
		const labels: FeatureCollection = {
			type: 'FeatureCollection',
			features: mine.map((r, i): Feature => ({ type: 'Feature', id: i + 1, properties: props(r, i + 1), geometry: JSON.parse(r.label) }))
		};
		const opts = { maxZoom: MAX_ZOOM, indexMaxZoom: 5, indexMaxPoints: 100000, tolerance: 3, extent: 4096, buffer: 64 };
		layers[level] = new GeoJSONVT(polys, opts);
		layers[`${level}_label`] = new GeoJSONVT(labels, opts);
		const fields = { code: 'String', name: 'String', parent: 'String', level: 'String', id: 'Number' };
		vectorLayers.push({ id: level, fields, minzoom: MIN_ZOOM, maxzoom: MAX_ZOOM, description: `depth ${mine[0].depth}` });
		vectorLayers.push({ id: `${level}_label`, fields, minzoom: MIN_ZOOM, maxzoom: MAX_ZOOM });
	}

	const tiles: TileInput[] = [];
	for (let z = MIN_ZOOM; z <= MAX_ZOOM; z++) {
		const [x0, x1] = [lon2tile(ext.w, z), lon2tile(ext.e, z)];
		const [y0, y1] = [lat2tile(ext.n, z), lat2tile(ext.s, z)];
		for (let x = x0; x <= x1; x++) {
			for (let y = y0; y <= y1; y++) {
				const present: Record<string, unknown> = {};
				for (const [name, index] of Object.entries(layers)) {
					const tile = index.getTile(z, x, y);
					if (tile && tile.features.length > 0) present[name] = tile;
				}
				if (Object.keys(present).length === 0) continue;
				tiles.push({ z, x, y, data: fromGeojsonVt(present as never, { version: 2, extent: 4096 }) });
			}
		}
	}

	const archive = writeArchive(tiles, {
		metadata: { name: 'Wijkkaart gebieden', format: 'pbf', vector_layers: vectorLayers, levels },
		bounds: [ext.w, ext.s, ext.e, ext.n],
		center: [(ext.w + ext.e) / 2, (ext.s + ext.n) / 2, 11]
	});
	writeAtomically(outFile, archive);
	return { tiles: tiles.length, bytes: archive.length, ms: Math.round(performance.now() - started) };
}

/** A reader must never see half a file: write beside it, flush, then rename over it. */
function writeAtomically(file: string, bytes: Uint8Array): void {
	mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	const fd = openSync(tmp, 'w');
	try {
		writeSync(fd, bytes);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	renameSync(tmp, file);
}

/** Cheap check that a file is a readable PMTiles v3 archive: magic, header, root directory. */
export function archiveProblem(file: string): string | null {
	if (!existsSync(file)) return 'ontbreekt';
	const size = statSync(file).size;
	if (size < 127) return `is te kort (${size} bytes)`;
	const head = Buffer.alloc(Math.min(size, 16384));
	const fd = openSync(file, 'r');
	try {
		readSync(fd, head, 0, head.length, 0);
	} finally {
		closeSync(fd);
	}
	if (head.toString('latin1', 0, 7) !== 'PMTiles' || head[7] !== 3) return 'is geen PMTiles v3-archief';
	const rootOffset = Number(head.readBigUInt64LE(8));
	const rootLength = Number(head.readBigUInt64LE(16));
	const dataOffset = Number(head.readBigUInt64LE(56));
	const dataLength = Number(head.readBigUInt64LE(64));
	if (dataOffset + dataLength !== size) return `is afgekapt of beschadigd (${size} van ${dataOffset + dataLength} bytes)`;
	try {
		gunzipSync(head.subarray(rootOffset, rootOffset + rootLength));
	} catch {
		return 'heeft een onleesbare index';
	}
	return null;
}

/**
 * At start: a missing or damaged archive is rebuilt from the store, and said so. An empty
 * store has nothing to draw yet.
 */
export async function ensureAreaTiles(db: Db, outFile: string): Promise<'ok' | 'built' | 'rebuilt' | 'no-areas'> {
	const problem = archiveProblem(outFile);
	if (!problem) return 'ok';
	const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM area');
	if (n === 0) return 'no-areas';
	const r = await buildAreaTiles(db, outFile);
	const verb = problem === 'ontbreekt' ? 'built' : 'rebuilt';
	console.log(
		`Kaarttegels ${outFile} ${problem}; ${verb === 'built' ? 'gemaakt' : 'opnieuw gemaakt'}: ${r.tiles} tegels, ${(r.bytes / 1024).toFixed(0)} kB in ${r.ms} ms`
	);
	return verb;
}
