import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import autocannon from 'autocannon';
import { parseAnalyseQuery } from '../../domain/analyse-params.ts';
import { parseItemQuery } from '../../domain/filters.ts';
import { themeIds, type Taxonomy } from '../../domain/themes.ts';
import { insideMultiPolygon } from '../../geo/point-in-polygon.ts';
import { tileOf } from '../../geo/tiles.ts';
import { choropleth } from '../analyse/choropleth.ts';
import { clusters } from '../analyse/clusters.ts';
import type { Db } from '../db/types.ts';
import {
	generateUtrechtFixtures,
	readUtrechtData,
	sharedUtrechtDir,
	type UtrechtData
} from '../demo/fixtures-utrecht.ts';
import { writeGenerated } from '../demo/write-generated.ts';
import { importAreasFromGeoJSON } from '../import/areas.ts';
import { listItemsJson } from '../items/read.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { loadAreaIndex } from '../items/write.ts';
import { buildAreaTiles } from '../tiles/build.ts';
import { DETAIL_ZOOM, itemTile } from '../tiles/item-tiles.ts';
import {
	measureBrowser,
	measureBundle,
	type BrowserFigures,
	type BundleFigures
} from './browser.ts';
import { evaluateGoals } from './goals.ts';
import type { AreaAssignment, BenchResult, LoadFigures, SizeResult } from './results.ts';
import { measureNationalTiles, type NationalTiles } from './national.ts';
import { ROOT, startServer } from './serve-build.ts';
import { round, timeMany, type Timing } from './stats.ts';
import { openBenchStore, type BenchStore, type StoreKind } from './store.ts';

export { formatTable } from './table.ts';
export type { AreaAssignment, BenchResult, Goal, LoadFigures, SizeResult } from './results.ts';

export interface BenchOptions {
	/** Meldingen in the store at each measurement, ascending: the store grows in place. */
	sizes: number[];
	/** Initiatieven, projecten and bijeenkomsten added with the first size (default 50,000). */
	others?: number;
	stores: StoreKind[];
	postgresUrl?: string;
	reps: number;
	/** Also measure over HTTP against the production build (needs `npm run build`). */
	http?: boolean;
	/** With http: also the browser (first idle, filter → idle, bundle) and a bounded load test. */
	browser?: boolean;
	/** The size at which the browser is measured: the largest size up to this (default 100,000). */
	browserUpTo?: number;
	/** Requests per endpoint in the load test (at the largest size). */
	loadRequests?: number;
	/** DBSCAN over every melding is measured up to this size (default 100,000); see capped. */
	analysisUpTo?: number;
	/** Buurten in the synthetic national set for the tile build (default 15,000; 0 skips it). */
	nationalBuurten?: number;
	/** Meldingen generated and written per transaction while growing (default 100,000). */
	chunk?: number;
	log?: (line: string) => void;
}

const SEED = 30_0344;

/**
 * Measures what a resident and a planner wait for, at growing sizes, on both stores. Absolute
 * times on a shared machine are noisy; the ratios to the smallest size and to a trivial query
 * on the same store are what to compare.
 */
export async function runBench(opts: BenchOptions): Promise<BenchResult> {
	const started = performance.now();
	const log = opts.log ?? (() => {});
	const sizes = [...opts.sizes].sort((a, b) => a - b);
	const dir = sharedUtrechtDir();
	const wijken = JSON.parse(
		readFileSync(path.join(dir, 'wijk.geojson'), 'utf8')
	) as FeatureCollection<MultiPolygon>;
	const buurten = JSON.parse(
		readFileSync(path.join(dir, 'buurt.geojson'), 'utf8')
	) as FeatureCollection<MultiPolygon>;
	const data = readUtrechtData(dir);
	const tax = taxonomy();
	const others = opts.others ?? 50_000;
	const result: BenchResult = {
		startedAt: new Date().toISOString(),
		wallMs: 0,
		machine: { cpus: os.cpus().length, node: process.version },
		generation: { meldingen: sizes[sizes.length - 1], others, ms: 0 },
		results: [],
		areaAssignment: [],
		tiles: [],
		bundle: null,
		goals: []
	};
	const http = !!opts.http && existsSync(path.join(ROOT, 'build/index.js'));
	const browserAt =
		[...sizes].reverse().find((s) => s <= (opts.browserUpTo ?? 100_000)) ?? sizes[0];

	for (const kind of opts.stores) {
		const store = await openBenchStore(kind, opts.postgresUrl);
		try {
			let db = await store.db();
			await importAreasFromGeoJSON(db, wijken, { level: 'wijk' });
			await importAreasFromGeoJSON(db, buurten, { level: 'buurt', parentLevel: 'wijk' });
			// Built where the server under test reads them, as `npm run tiles` does for the portal.
			const t = await buildAreaTiles(db, path.join(store.env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
			result.areaAssignment.push({
				store: kind,
				...(await areaAssignment(
					db,
					data.lichtmasten.features.map((f) => f.geometry.coordinates as Position),
					wijken,
					buurten
				))
			});
			log(`${kind}: gebieden Utrecht geladen, tegels in ${t.ms} ms`);
			let have = 0;
			for (const size of sizes) {
				db = await store.db();
				const grown = await grow(
					db,
					data,
					tax,
					have,
					size,
					have === 0 ? others : 0,
					opts.chunk ?? 100_000
				);
				if (opts.stores[0] === kind) result.generation.ms += grown.generateMs;
				have = size;
				await db.exec('ANALYZE');
				const r = await measureSize(db, store, size, grown, opts, {
					http,
					browser: !!opts.browser && http && size === browserAt,
					load: !!opts.browser && http && size === sizes[sizes.length - 1],
					clusters: size <= (opts.analysisUpTo ?? 100_000)
				});
				if (r.browserBundle && !result.bundle) result.bundle = r.browserBundle;
				result.results.push(r.size);
				const x = r.size;
				log(
					`${kind} ${size}: ${x.items} items, erbij gemaakt ${x.generateMs} ms en geschreven ${x.loadMs} ms; bbox+thema p95 ${x.bboxTheme.p95} ms, wijk p95 ${x.areaWijk.p95} ms, ` +
						`tegel z12/z14 p95 ${x.tileCity.p95}/${x.tileStreet.p95} ms, choropleth p95 ${x.choropleth.p95} ms, clusters p50 ${x.clusters?.p50 ?? '–'} ms (${Math.round((performance.now() - started) / 1000)} s)`
				);
			}
			await store.release();
			result.tiles.push({
				store: kind,
				utrechtMs: t.ms,
				tiles: t.tiles,
				bytes: t.bytes,
				national: null
			});
		} finally {
			await store.drop();
		}
		if ((opts.nationalBuurten ?? 15_000) > 0) {
			const national = await measureNationalTiles(
				kind,
				opts.postgresUrl,
				opts.nationalBuurten ?? 15_000
			);
			result.tiles[result.tiles.length - 1].national = national;
			log(
				`${kind}: nationale set ${national.buurten} buurten: import ${national.importMs} ms, tegels ${national.buildMs} ms`
			);
		}
	}
	result.wallMs = round(performance.now() - started, 0);
	result.goals = evaluateGoals(result);
	return result;
}

/**
 * Adds meldingen until the store holds `to` of them (and the other layers with the first step),
 * in chunks of their own seed and transaction: a million items at once would hold gigabytes
 * of objects and one enormous transaction.
 */
async function grow(
	db: Db,
	data: UtrechtData,
	tax: Taxonomy,
	from: number,
	to: number,
	others: number,
	chunk: number
): Promise<{ generateMs: number; loadMs: number }> {
	let generateMs = 0;
	let loadMs = 0;
	for (let done = from, first = true; done < to || (first && others > 0); first = false) {
		const n = Math.min(chunk, to - done);
		const extra = first ? others : 0;
		let t = performance.now();
		const generated = generateUtrechtFixtures(data, {
			meldingen: n,
			seed: SEED + done,
			tax,
			initiatieven: Math.round(extra * 0.4),
			projecten: Math.round(extra * 0.2),
			bijeenkomsten: extra - Math.round(extra * 0.4) - Math.round(extra * 0.2)
		});
		generateMs += performance.now() - t;
		t = performance.now();
		await writeGenerated(db, generated, tax, 'bench');
		loadMs += performance.now() - t;
		done += n;
	}
	return { generateMs: round(generateMs, 0), loadMs: round(loadMs, 0) };
}

interface Legs {
	http: boolean;
	browser: boolean;
	load: boolean;
	clusters: boolean;
}

async function measureSize(
	db: Db,
	store: BenchStore,
	size: number,
	grown: { generateMs: number; loadMs: number },
	opts: BenchOptions,
	legs: Legs
): Promise<{ size: SizeResult; browserBundle: BundleFigures | null }> {
	const ids = themeIds(taxonomy());
	const reps = opts.reps;
	const capped: string[] = [];
	const [{ items }] = await db.query<{ items: number }>('SELECT count(*)::int AS items FROM item');
	const boxes = await db.query<{ code: string; box: string }>(
		`SELECT code, concat_ws(',', ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS box FROM area WHERE level = 'wijk' ORDER BY code`
	);
	const query = (params: string) =>
		listItemsJson(db, parseItemQuery(new URLSearchParams(params), ids));
	const baselineSelect1 = await timeMany(reps, () => db.query('SELECT 1'));
	const bboxTheme = await timeMany(reps, (i) =>
		query(`bbox=${boxes[i % boxes.length].box}&theme=${ids[i % 3]}`)
	);
	const areaWijk = await timeMany(reps, (i) => query(`area=${boxes[i % boxes.length].code}`));
	// Tiles around each wijk's centre, rotating over wijken and themes.
	const centres = await db.query<{ x: number; y: number }>(
		`SELECT ST_X(c) AS x, ST_Y(c) AS y FROM (SELECT ST_PointOnSurface(geom) AS c FROM area WHERE level = 'wijk' ORDER BY code) q`
	);
	const tileAt = (i: number, z: number) =>
		[z, ...tileOf(centres[i % centres.length].x, centres[i % centres.length].y, z)] as const;
	const tileQuery = (i: number) =>
		parseItemQuery(new URLSearchParams(i % 2 ? `theme=${ids[i % 3]}` : ''), ids);
	const tileCity = await timeMany(reps, (i) => itemTile(db, tileQuery(i), ...tileAt(i, 12)));
	const tileStreet = await timeMany(reps, (i) =>
		itemTile(db, tileQuery(i), ...tileAt(i, DETAIL_ZOOM))
	);
	const analyse = (params: string) => parseAnalyseQuery(new URLSearchParams(params), ids);
	// Choropleth runs cost about a second at a million on PGlite: a fixed few tell enough there.
	const choroRuns = size > (opts.analysisUpTo ?? 100_000) ? 5 : Math.max(5, Math.ceil(reps / 4));
	if (choroRuns < Math.ceil(reps / 4)) capped.push(`choropleth ${choroRuns} runs`);
	const choroplethTimes = await timeMany(choroRuns, (i) =>
		choropleth(
			db,
			analyse(`layer=meldingen&level=buurt&measure=per1000&theme=${ids[i % 3]}`),
			'public'
		)
	);
	// A clustering pass over every melding costs seconds at 100k: a few runs tell enough, and
	// above analysisUpTo it would take minutes per run on PGlite.
	let clusterFigures: SizeResult['clusters'] = null;
	if (legs.clusters) {
		let found = 0;
		const runs = Math.max(3, Math.ceil(reps / 40));
		const times = await timeMany(runs, async () => {
			found = (await clusters(db, analyse('layer=meldingen'), 'public')).clusters.length;
		});
		clusterFigures = { ...times, runs, found };
	} else capped.push('DBSCAN-clusters niet gemeten');

	let httpBboxTheme: SizeResult['httpBboxTheme'] = null;
	let httpTile: SizeResult['httpTile'] = null;
	let browser: SizeResult['browser'] = null;
	let load: SizeResult['load'] = null;
	let bundle: BundleFigures | null = null;
	if (legs.http) {
		await store.release();
		const server = await startServer(store.env);
		try {
			httpBboxTheme = await timeMany(reps, async (i) => {
				const res = await fetch(
					`${server.url}/api/items?bbox=${boxes[i % boxes.length].box}&theme=${ids[i % 3]}`
				);
				if (!res.ok) throw new Error(`HTTP ${res.status}`);
				await res.arrayBuffer();
			});
			httpTile = await timeMany(reps, async (i) => {
				const [z, x, y] = tileAt(i, 12 + (i % (DETAIL_ZOOM - 11)));
				const res = await fetch(
					`${server.url}/tiles/items/${z}/${x}/${y}.mvt?theme=${ids[i % 3]}`,
					{ headers: { 'accept-encoding': 'gzip' } }
				);
				if (!res.ok) throw new Error(`HTTP ${res.status}`);
				await res.arrayBuffer();
			});
			// A failing browser or load leg is reported in the table; the other figures still count.
			const leg = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
				try {
					return await fn();
				} catch (err) {
					if (server.proc.exitCode !== null || server.proc.signalCode !== null) throw err;
					capped.push(`${name} mislukt: ${(err as Error).message.split('\n')[0]}`);
					return null;
				}
			};
			if (legs.load) {
				const amount = opts.loadRequests ?? 2000;
				const [z, x, y] = tileAt(0, 13);
				load = await leg('belasting', async () => ({
					items: await loadTest(
						`${server.url}/api/items?bbox=${boxes[0].box}&theme=${ids[0]}`,
						amount
					),
					tiles: await loadTest(
						`${server.url}/tiles/items/${z}/${x}/${y}.mvt?theme=${ids[0]}`,
						amount
					)
				}));
			}
			if (legs.browser) {
				browser = await leg('browser', async () =>
					measureBrowser(server.url, await allItems(server.url))
				);
				bundle = await leg('bundel', () => measureBundle(server.url));
				if (browser?.baselineError) capped.push(`naïeve pagina: ${browser.baselineError}`);
			}
		} catch (err) {
			if (server.proc.exitCode === null && server.proc.signalCode === null) throw err;
			throw new Error(
				`de server stopte tijdens de meting (${(err as Error).message}):\n${server.output().slice(-4000)}`
			);
		} finally {
			await server.stop();
		}
	}
	return {
		size: {
			store: store.kind,
			meldingen: size,
			items,
			generateMs: grown.generateMs,
			loadMs: grown.loadMs,
			baselineSelect1,
			bboxTheme,
			areaWijk,
			httpBboxTheme,
			tileCity,
			tileStreet,
			httpTile,
			browser,
			load,
			choropleth: { ...choroplethTimes, runs: choroRuns },
			clusters: clusterFigures,
			capped
		},
		browserBundle: bundle
	};
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
	const r = await autocannon({
		url,
		connections: 10,
		amount,
		headers: { 'accept-encoding': 'gzip' }
	});
	return {
		requests: r.requests.total,
		perSec: Math.round(r.requests.average),
		p99: r.latency.p99,
		errors: r.errors + r.timeouts + r.non2xx
	};
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
	return {
		points: points.length,
		postgisPerSec: Math.round(points.length / (postgisMs / 1000)),
		indexPerSec: Math.round(points.length / (indexMs / 1000)),
		naivePerSec: Math.round(points.length / (naiveMs / 1000))
	};
}
