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
import { loadAreaIndex } from '../items/write.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { buildAreaTiles } from '../tiles/build.ts';
import { DETAIL_ZOOM, itemTile } from '../tiles/item-tiles.ts';
import { tileOf } from '../../geo/tiles.ts';
import { round, timeMany } from './stats.ts';
import { existsSync } from 'node:fs';
import { ROOT, startServer } from './serve-build.ts';
import { measureBrowser, measureBundle, type BrowserFigures, type BundleFigures } from './browser.ts';
import autocannon from 'autocannon';

export interface BenchOptions {
	sizes: number[];
	stores: ('pglite' | 'postgres')[];
	postgresUrl?: string;
	reps: number;
	/** Also measure over HTTP against the production build (needs `npm run build`). */
	http?: boolean;
	/** With http: also the browser (first idle, filter → idle, bundle) and a bounded load test. */
	browser?: boolean;
	/** Requests per endpoint in the load test. */
	loadRequests?: number;
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
	/** Item vector tiles built from the store, no cache: a city view (z12, counts) and a street (z15). */
	tileCity: { p50: number; p95: number };
	tileStreet: { p50: number; p95: number };
	/** GET /tiles/items/… on the built server; repeated tiles come from its cache. */
	httpTile: { p50: number; p95: number } | null;
	browser: BrowserFigures | null;
	load: { items: LoadFigures; tiles: LoadFigures } | null;
}

export interface LoadFigures {
	requests: number;
	perSec: number;
	p99: number;
	errors: number;
}

export interface BenchResult {
	startedAt: string;
	machine: { cpus: number; node: string };
	results: SizeResult[];
	areaAssignment: { points: number; postgisPerSec: number; indexPerSec: number; naivePerSec: number; store: string }[];
	tiles: { store: string; utrechtMs: number; tiles: number; bytes: number }[];
	bundle: BundleFigures | null;
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
		tiles: [],
		bundle: null
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
				// Tiles around each wijk's centre, rotating over wijken and themes.
				const centres = await db.query<{ x: number; y: number }>(
					`SELECT ST_X(c) AS x, ST_Y(c) AS y FROM (SELECT ST_PointOnSurface(geom) AS c FROM area WHERE level = 'wijk' ORDER BY code) q`
				);
				const tileAt = (i: number, z: number) => [z, ...tileOf(centres[i % centres.length].x, centres[i % centres.length].y, z)] as const;
				const tileQuery = (i: number) => parseItemQuery(new URLSearchParams(i % 2 ? `theme=${ids[i % 3]}` : ''), ids);
				const tileCity = await timeMany(opts.reps, (i) => itemTile(db, tileQuery(i), ...tileAt(i, 12)));
				const tileStreet = await timeMany(opts.reps, (i) => itemTile(db, tileQuery(i), ...tileAt(i, DETAIL_ZOOM + 1)));
				let httpTile: SizeResult['httpTile'] = null;
				let browser: SizeResult['browser'] = null;
				let load: SizeResult['load'] = null;
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
						httpTile = await timeMany(opts.reps, async (i) => {
							const [z, x, y] = tileAt(i, 12 + (i % 4));
							const res = await fetch(`${server.url}/tiles/items/${z}/${x}/${y}.mvt?theme=${ids[i % 3]}`, { headers: { 'accept-encoding': 'gzip' } });
							if (!res.ok) throw new Error(`HTTP ${res.status}`);
							await res.arrayBuffer();
						});
						// The browser and load legs at the largest size only: they are about scale.
						if (opts.browser && size === Math.max(...opts.sizes)) {
							const amount = opts.loadRequests ?? 2000;
							const [z, x, y] = tileAt(0, 13);
							load = {
								items: await loadTest(`${server.url}/api/items?bbox=${boxes[0].box}&theme=${ids[0]}`, amount),
								tiles: await loadTest(`${server.url}/tiles/items/${z}/${x}/${y}.mvt?theme=${ids[0]}`, amount)
							};
							browser = await measureBrowser(server.url, await allItems(server.url));
							if (!result.bundle) result.bundle = await measureBundle(server.url);
						}
					} finally {
						await server.stop();
					}
				}
				const r: SizeResult = { store: kind, meldingen: size, items, generateMs, loadMs, baselineSelect1, bboxTheme, areaWijk, httpBboxTheme, tileCity, tileStreet, httpTile, browser, load };
				result.results.push(r);
				log(`${kind} ${size}: laden ${loadMs} ms, bbox+thema p95 ${bboxTheme.p95} ms, wijk p95 ${areaWijk.p95} ms`);
			} finally {
				await drop();
			}
		}
	}
	return result;
}

/** Every public item, page by page, as the naive browser baseline loads it in one piece. */
async function allItems(url: string): Promise<FeatureCollection> {
	const features: FeatureCollection['features'] = [];
	let cursor: string | null = null;
	do {
		const res = await fetch(`${url}/api/items?limit=5000${cursor ? `&cursor=${cursor}` : ''}`);
		const page = (await res.json()) as FeatureCollection & { next: string | null };
		features.push(...page.features);
		cursor = page.next;
	} while (cursor);
	return { type: 'FeatureCollection', features };
}

/** A fixed number of requests over 10 connections on loopback; errors include non-2xx answers. */
async function loadTest(url: string, amount: number): Promise<LoadFigures> {
	const r = await autocannon({ url, connections: 10, amount, headers: { 'accept-encoding': 'gzip' } });
	return { requests: r.requests.total, perSec: Math.round(r.requests.average), p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

/** Assigning wijk and buurt to points: one PostGIS join against a loop over every polygon. */
async function areaAssignment(
	db: Db,
	points: Position[],
	wijken: FeatureCollection<MultiPolygon>,
	buurten: FeatureCollection<MultiPolygon>
): Promise<{ points: number; postgisPerSec: number; indexPerSec: number; naivePerSec: number }> {
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
	// What bulk imports use: the index is built from the store, and that counts too.
	t = performance.now();
	const index = await loadAreaIndex(db);
	let found = 0;
	for (const [x, y] of points) found += Object.keys(index.locate(x, y)).length;
	const indexMs = performance.now() - t;
	void found;
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
	return { points: points.length, postgisPerSec: Math.round(points.length / (postgisMs / 1000)), indexPerSec: Math.round(points.length / (indexMs / 1000)), naivePerSec: Math.round(points.length / (naiveMs / 1000)) };
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
	rows.push('', '| store | meldingen | tegel stad z12 p50 / p95 (ms) | tegel straat z15 p50 / p95 (ms) | HTTP tegel p50 / p95 (ms) | z12 p95 t.o.v. kleinste |', '|---|---|---|---|---|---|');
	for (const x of r.results) {
		const smallest = r.results.find((y) => y.store === x.store)!;
		rows.push(
			`| ${x.store} | ${x.meldingen.toLocaleString('nl-NL')} | ${x.tileCity.p50} / ${x.tileCity.p95} | ${x.tileStreet.p50} / ${x.tileStreet.p95} | ${x.httpTile ? `${x.httpTile.p50} / ${x.httpTile.p95}` : '–'} | ${round(x.tileCity.p95 / smallest.tileCity.p95)}× |`
		);
	}
	const withBrowser = r.results.filter((x) => x.browser && x.load);
	if (withBrowser.length) {
		rows.push('', '| store | meldingen | eerste idle portaal / naïef (ms) | verhouding | filter → idle mediaan portaal / naïef (ms) | belasting /api/items req/s, p99, fouten | belasting tegels req/s, p99, fouten |', '|---|---|---|---|---|---|---|');
		for (const x of withBrowser) {
			const b = x.browser!;
			const l = x.load!;
			rows.push(
				`| ${x.store} | ${x.meldingen.toLocaleString('nl-NL')} | ${b.firstIdle} / ${b.baselineFirstIdle} | ${round(b.firstIdle / b.baselineFirstIdle)}× | ${b.filterIdleMedian} / ${b.baselineFilterIdleMedian} | ${l.items.perSec}, ${l.items.p99} ms, ${l.items.errors} | ${l.tiles.perSec}, ${l.tiles.p99} ms, ${l.tiles.errors} |`
			);
		}
	}
	if (r.bundle) rows.push(`\nJavaScript van de startpagina, gzip: eigen code ${Math.round(r.bundle.appGzip / 1024)} kB, MapLibre ${Math.round(r.bundle.maplibreGzip / 1024)} kB`);
	for (const a of r.areaAssignment) rows.push(`\ngebiedstoewijzing (${a.store}, ${a.points} punten): index in geheugen ${a.indexPerSec.toLocaleString('nl-NL')}/s (${round(a.indexPerSec / a.naivePerSec)}× de naïeve lus), PostGIS-join ${a.postgisPerSec.toLocaleString('nl-NL')}/s (${round(a.postgisPerSec / a.naivePerSec)}×), naïeve lus ${a.naivePerSec.toLocaleString('nl-NL')}/s`);
	for (const t of r.tiles) rows.push(`tegels Utrecht (${t.store}): ${t.utrechtMs} ms, ${t.tiles} tegels, ${Math.round(t.bytes / 1024)} kB`);
	return rows.join('\n');
}
