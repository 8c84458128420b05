import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { parseItemQuery } from '../../domain/filters.ts';
import { themeIds } from '../../domain/themes.ts';
import { insideMultiPolygon } from '../../geo/point-in-polygon.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import { generateUtrechtFixtures, readUtrechtData, sharedUtrechtDir } from '../demo/fixtures-utrecht.ts';
import { writeGenerated } from '../demo/write-generated.ts';
import { importAreasFromGeoJSON } from '../import/areas.ts';
import { listItems } from '../items/read.ts';
import { parseAnalyseQuery } from '../../domain/analyse-params.ts';
import { choropleth } from '../analyse/choropleth.ts';
import { clusters } from '../analyse/clusters.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { buildAreaTiles } from '../tiles/build.ts';
import { round, timeMany } from './stats.ts';
import { existsSync } from 'node:fs';
import { ROOT, startServer } from './serve-build.ts';

export interface BenchOptions {
	sizes: number[];
	stores: ('pglite' | 'postgres')[];
	postgresUrl?: string;
	reps: number;
	/** Also measure over HTTP against the production build (needs `npm run build`). */
	http?: boolean;
	log?: (line: string) => void;
}

export interface SizeResult {
	store: string;
	meldingen: number;
	items: number;
	generateMs: number;
	loadMs: number;
	baselineSelect1: { p50: number; p95: number };
	bboxTheme: { p50: number; p95: number };
	areaWijk: { p50: number; p95: number };
	/** GET /api/items?bbox&theme on the built server over loopback; null when not measured. */
	httpBboxTheme: { p50: number; p95: number } | null;
	/** Analysis: meldingen per buurt with per-1,000 rates and class breaks. */
	choropleth: { p50: number; p95: number };
	/** Analysis: DBSCAN hotspots of every melding (150 m, 8 points) with hulls and wijken. */
	clusters: { p50: number; p95: number; found: number };
}

export interface BenchResult {
	startedAt: string;
	machine: { cpus: number; node: string };
	results: SizeResult[];
	areaAssignment: { points: number; postgisPerSec: number; naivePerSec: number; store: string }[];
	tiles: { store: string; utrechtMs: number; tiles: number; bytes: number }[];
}

interface BenchStore {
	db: Db;
	/** Environment that points the built server at this store. */
	env: Record<string, string>;
	/** PGlite admits one process per data directory: let go before a server opens it. */
	release(): Promise<void>;
	drop(): Promise<void>;
}

async function openStore(kind: 'pglite' | 'postgres', url?: string): Promise<BenchStore> {
	if (kind === 'pglite') {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-bench-'));
		const db = await openPglite(dir);
		await migrate(db);
		let open = true;
		const release = async () => {
			if (open) await db.close();
			open = false;
		};
		return { db, env: { WIJKKAART_DATA_DIR: dir, DATABASE_URL: '' }, release, drop: async () => (await release(), rmSync(dir, { recursive: true, force: true })) };
	}
	if (!url) throw new Error('PostgreSQL gevraagd maar geen DATABASE_URL');
	const name = `wk_bench_${process.pid}_${Date.now() % 100000}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const u = new URL(url);
	u.pathname = `/${name}`;
	const db = await openPostgres(u.toString());
	await migrate(db);
	return {
		db,
		env: { DATABASE_URL: u.toString() },
		release: async () => {},
		drop: async () => {
			await db.close();
			const a = new pg.Client({ connectionString: url });
			await a.connect();
			await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await a.end();
		}
	};
}

/**
 * Measures what a resident and a planner wait for, at growing sizes, on both stores. Absolute
 * times on a shared machine are noisy; the ratios to the smallest size and to a trivial query
 * on the same store are what to compare.
 */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
	const log = opts.log ?? (() => {});
	const dir = sharedUtrechtDir();
	const wijken = JSON.parse(readFileSync(path.join(dir, 'wijk.geojson'), 'utf8')) as FeatureCollection<MultiPolygon>;
	const buurten = JSON.parse(readFileSync(path.join(dir, 'buurt.geojson'), 'utf8')) as FeatureCollection<MultiPolygon>;
	const data = readUtrechtData(dir);
	const tax = taxonomy();
	const ids = themeIds(tax);
	const result: BenchResult = {
		startedAt: new Date().toISOString(),
		machine: { cpus: os.cpus().length, node: process.version },
		results: [],
		areaAssignment: [],
		tiles: []
	};

	for (const kind of opts.stores) {
		for (const size of opts.sizes) {
			const { db, drop, env, release } = await openStore(kind, opts.postgresUrl);
			try {
				await importAreasFromGeoJSON(db, wijken, { level: 'wijk' });
				await importAreasFromGeoJSON(db, buurten, { level: 'buurt', parentLevel: 'wijk' });
				if (size === opts.sizes[0]) {
					const t = await buildAreaTiles(db, path.join(os.tmpdir(), `wijkkaart-bench-${process.pid}.pmtiles`));
					result.tiles.push({ store: kind, utrechtMs: t.ms, tiles: t.tiles, bytes: t.bytes });
					result.areaAssignment.push({ store: kind, ...(await areaAssignment(db, data.lichtmasten.features.map((f) => f.geometry.coordinates as Position), wijken, buurten)) });
				}
				let t = performance.now();
				const generated = generateUtrechtFixtures(data, { meldingen: size, tax });
				const generateMs = round(performance.now() - t, 0);
				t = performance.now();
				const items = await writeGenerated(db, generated, tax, 'bench');
				const loadMs = round(performance.now() - t, 0);
				await db.exec('ANALYZE');
				const boxes = await db.query<{ code: string; box: string }>(
					`SELECT code, concat_ws(',', ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS box FROM area WHERE level = 'wijk' ORDER BY code`
				);
				const query = (params: string) => listItems(db, parseItemQuery(new URLSearchParams(params), ids)).then((p) => JSON.stringify(p));
				const baselineSelect1 = await timeMany(opts.reps, () => db.query('SELECT 1'));
				const bboxTheme = await timeMany(opts.reps, (i) => query(`bbox=${boxes[i % boxes.length].box}&theme=${ids[i % 3]}`));
				const areaWijk = await timeMany(opts.reps, (i) => query(`area=${boxes[i % boxes.length].code}`));
				const analyse = (params: string) => parseAnalyseQuery(new URLSearchParams(params), ids);
				const choroplethTimes = await timeMany(Math.max(5, Math.ceil(opts.reps / 4)), (i) => choropleth(db, analyse(`layer=meldingen&level=buurt&measure=per1000&theme=${ids[i % 3]}`), 'public'));
				// A clustering pass over every melding costs seconds at 100k: a few runs tell enough.
				let found = 0;
				const clusterTimes = await timeMany(Math.max(3, Math.ceil(opts.reps / 40)), async () => {
					found = (await clusters(db, analyse('layer=meldingen'), 'public')).clusters.length;
				});
				let httpBboxTheme: SizeResult['httpBboxTheme'] = null;
				if (opts.http && existsSync(path.join(ROOT, 'build/index.js'))) {
					await release();
					const server = await startServer(env);
					try {
						httpBboxTheme = await timeMany(opts.reps, async (i) => {
							const res = await fetch(`${server.url}/api/items?bbox=${boxes[i % boxes.length].box}&theme=${ids[i % 3]}`);
							if (!res.ok) throw new Error(`HTTP ${res.status}`);
							await res.arrayBuffer();
						});
					} finally {
						await server.stop();
					}
				}
				const r: SizeResult = {
					store: kind, meldingen: size, items, generateMs, loadMs, baselineSelect1, bboxTheme, areaWijk, httpBboxTheme,
					choropleth: choroplethTimes, clusters: { ...clusterTimes, found }
				};
				result.results.push(r);
				log(`${kind} ${size}: laden ${loadMs} ms, bbox+thema p95 ${bboxTheme.p95} ms, wijk p95 ${areaWijk.p95} ms, choropleth p95 ${choroplethTimes.p95} ms, clusters p50 ${clusterTimes.p50} ms`);
			} finally {
				await drop();
			}
		}
	}
	return result;
}

/** Assigning wijk and buurt to points: one PostGIS join against a loop over every polygon. */
async function areaAssignment(
	db: Db,
	points: Position[],
	wijken: FeatureCollection<MultiPolygon>,
	buurten: FeatureCollection<MultiPolygon>
): Promise<{ points: number; postgisPerSec: number; naivePerSec: number }> {
	const xs = points.map((p) => p[0]);
	const ys = points.map((p) => p[1]);
	let t = performance.now();
	await db.transaction(async (tx) => {
		await tx.query(
			`SELECT count(a.code)::int FROM unnest($1::float8[], $2::float8[]) AS p(x, y)
			 JOIN area a ON ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))`,
			[xs, ys]
		);
	});
	const postgisMs = performance.now() - t;
	t = performance.now();
	// The shared files hold Polygons; the naive loop tests every point against every one.
	const polys: MultiPolygon[] = [...wijken.features, ...buurten.features].map((f) => {
		const g = f.geometry as Polygon | MultiPolygon;
		return g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
	});
	let hits = 0;
	for (const p of points) for (const mp of polys) if (insideMultiPolygon(p, mp)) hits++;
	const naiveMs = performance.now() - t;
	void hits;
	return { points: points.length, postgisPerSec: Math.round(points.length / (postgisMs / 1000)), naivePerSec: Math.round(points.length / (naiveMs / 1000)) };
}

export function formatTable(r: BenchResult): string {
	const rows = [
		'| store | meldingen | laden (ms) | SELECT 1 p50 | bbox+thema p50 / p95 (ms) | wijk p50 / p95 (ms) | HTTP bbox+thema p50 / p95 (ms) | p95 t.o.v. kleinste |',
		'|---|---|---|---|---|---|---|---|'
	];
	for (const x of r.results) {
		const smallest = r.results.find((y) => y.store === x.store)!;
		rows.push(
			`| ${x.store} | ${x.meldingen.toLocaleString('nl-NL')} | ${x.loadMs} | ${x.baselineSelect1.p50} | ${x.bboxTheme.p50} / ${x.bboxTheme.p95} | ${x.areaWijk.p50} / ${x.areaWijk.p95} | ${x.httpBboxTheme ? `${x.httpBboxTheme.p50} / ${x.httpBboxTheme.p95}` : '–'} | ${round(x.bboxTheme.p95 / smallest.bboxTheme.p95)}× / ${round(x.areaWijk.p95 / smallest.areaWijk.p95)}× |`
		);
	}
	rows.push('\n| store | meldingen | choropleth per buurt p50 / p95 (ms) | clusters DBSCAN p50 / p95 (ms) | clusters |', '|---|---|---|---|---|');
	for (const x of r.results) {
		rows.push(`| ${x.store} | ${x.meldingen.toLocaleString('nl-NL')} | ${x.choropleth.p50} / ${x.choropleth.p95} | ${x.clusters.p50} / ${x.clusters.p95} | ${x.clusters.found} |`);
	}
	for (const a of r.areaAssignment) rows.push(`\ngebiedstoewijzing (${a.store}, ${a.points} punten): PostGIS ${a.postgisPerSec.toLocaleString('nl-NL')}/s, naïeve lus ${a.naivePerSec.toLocaleString('nl-NL')}/s (${round(a.postgisPerSec / a.naivePerSec)}×)`);
	for (const t of r.tiles) rows.push(`tegels Utrecht (${t.store}): ${t.utrechtMs} ms, ${t.tiles} tegels, ${Math.round(t.bytes / 1024)} kB`);
	return rows.join('\n');
}
