import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { MultiPolygon, Point } from 'geojson';
import type { Db } from '../db/types.ts';
import { areaMetadata, areaTiles, MIN_ZOOM, type LevelForTiles } from './area-tiles.ts';
import { archiveProblem } from './pmtiles-check.ts';
import { PmtilesWriter } from './pmtiles-writer.ts';
import { municipalityExtent } from '../items/queries.ts';

export { archiveProblem };

/**
 * Areas change only at import, so their tiles are cut once into one static PMTiles archive
 * that the portal serves as a plain file, instead of being cut per request.
 */

interface AreaRow {
	level: string;
	depth: number;
	code: string;
	name: string;
	parent: string | null;
	geom: string;
	label: string;
}

export interface TileBuild {
	/** Tiles a map can ask for (identical ones are stored once). */
	tiles: number;
	bytes: number;
	ms: number;
}

export async function buildAreaTiles(db: Db, outFile: string): Promise<TileBuild> {
	const started = performance.now();
	// 6 decimals is about 10 cm: more than zoom 14 tiles can show, and half the text of 15.
	const rows = await db.query<AreaRow>(
		`SELECT a.level, l.depth, a.code, a.name, a.parent, ST_AsGeoJSON(a.geom, 6) AS geom,
		        ST_AsGeoJSON(ST_PointOnSurface(a.geom), 6) AS label
		 FROM area a JOIN area_level l ON l.name = a.level ORDER BY l.depth, a.code`
	);
	if (rows.length === 0) {
		throw new Error('er zijn nog geen gebieden; importeer eerst wijken en buurten (npm run import) of start het portaal (npm start)');
	}
	// Not null: there are areas (checked above).
	const bounds = (await municipalityExtent(db))!;
	const levels: LevelForTiles[] = [];
	for (const r of rows) {
		let level = levels[levels.length - 1];
		if (level?.name !== r.level) levels.push((level = { name: r.level, depth: r.depth, areas: [] }));
		level.areas.push({
			code: r.code,
			name: r.name,
			parent: r.parent,
			geometry: JSON.parse(r.geom) as MultiPolygon,
			label: JSON.parse(r.label) as Point
		});
	}
	rows.length = 0;

	const writer = new PmtilesWriter();
	for (const t of areaTiles(levels, bounds)) writer.add(t.z, t.x, t.y, t.data);
	const chunks = writer.finish({
		metadata: areaMetadata(levels),
		bounds,
		center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, Math.max(MIN_ZOOM, fitZoom(bounds))]
	});
	const bytes = writeAtomically(outFile, chunks);
	return { tiles: writer.tileCount, bytes, ms: Math.round(performance.now() - started) };
}

/** The zoom at which the bounds fill about 1000 screen pixels, for tools that open at the center. */
function fitZoom([w, s, e, n]: [number, number, number, number]): number {
	const lat = (((s + n) / 2) * Math.PI) / 180;
	const spanDeg = Math.max(e - w, (n - s) / Math.cos(lat), 1e-6);
	return Math.max(0, Math.min(14, Math.floor(Math.log2((1000 / 512) * (360 / spanDeg)))));
}

/** A reader must never see half a file: write beside it, flush, then rename over it. */
function writeAtomically(file: string, chunks: Uint8Array[]): number {
	mkdirSync(path.dirname(file), { recursive: true });
	// The process id keeps two builds at once (an import while the portal starts) apart.
	const tmp = `${file}.${process.pid}.tmp`;
	let bytes = 0;
	try {
		const fd = openSync(tmp, 'w');
		try {
			for (const c of chunks) bytes += writeSync(fd, c);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(tmp, file);
	} catch (err) {
		rmSync(tmp, { force: true });
		throw err;
	}
	syncDir(path.dirname(file));
	return bytes;
}

/** Makes the rename itself survive a power cut; not every platform can open a directory. */
function syncDir(dir: string): void {
	try {
		const fd = openSync(dir, 'r');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	} catch {
		// Windows: the rename is durable enough there.
	}
}

/**
 * At start: a missing or damaged archive is rebuilt from the store, and said so. An empty
 * store has nothing to draw yet, so nothing happens.
 */
export async function ensureAreaTiles(db: Db, outFile: string): Promise<'ok' | 'built' | 'rebuilt' | 'no-areas'> {
	const problem = archiveProblem(outFile);
	if (!problem) return 'ok';
	const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM area');
	if (n === 0) return 'no-areas';
	const missing = problem === 'ontbreekt';
	console.log(`Kaarttegels ${outFile} ${problem}; ${missing ? 'maken' : 'opnieuw maken'} uit ${n} gebieden…`);
	const r = await buildAreaTiles(db, outFile);
	console.log(`Kaarttegels klaar: ${r.tiles} tegels, ${formatBytes(r.bytes)} in ${(r.ms / 1000).toFixed(1)} s.`);
	return missing ? 'built' : 'rebuilt';
}

export function formatBytes(bytes: number): string {
	return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}
