import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import autocannon from 'autocannon';
import {
	generateUtrechtFixtures,
	readUtrechtData,
	sharedUtrechtDir
} from '../demo/fixtures-utrecht.ts';
import { writeGenerated } from '../demo/write-generated.ts';
import { importAreasFromGeoJSON } from '../import/areas.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { startServer } from './serve-build.ts';
import { percentile, round } from './stats.ts';
import { openBenchStore, type StoreKind } from './store.ts';

/**
 * Cheap requests while the most expensive public endpoint is hammered: 8 connections ask the
 * 1 km radius feed (/feeds/punt.atom?r=1000) over and over while one client asks /healthz and a
 * small /api/items page in turn; p95 of each. Three server settings: without the protections
 * (any number at once, no rate: as before issue 17), with the work cap only (the rate limit
 * raised out of the way), and with the defaults (work cap and per-client rate). On PGlite the
 * defaults twice, back to back: PGlite in the server's thread (WIJKKAART_PGLITE_WORKER=0, as before
 * the worker) and in its worker thread (the default, db/pglite-worker.ts).
 */
export interface HammerFigures {
	store: StoreKind;
	items: number;
	setting: 'onbeschermd' | 'werklimiet' | 'in-thread' | 'standaard';
	seconds: number;
	hammer: { requests: number; ok: number; refused: number };
	healthz: { n: number; p50: number; p95: number };
	items_: { n: number; p50: number; p95: number };
	/** Cheap requests that got no answer (connection reset or refused), kept out of the times. */
	failed: number;
}

const SETTINGS: {
	name: HammerFigures['setting'];
	env: Record<string, string>;
	only?: StoreKind;
}[] = [
	{
		name: 'onbeschermd',
		env: { WIJKKAART_EXPENSIVE_CONCURRENCY: '1000', WIJKKAART_RATE_EXPENSIVE: '100000000' }
	},
	{ name: 'werklimiet', env: { WIJKKAART_RATE_EXPENSIVE: '100000000' } },
	{ name: 'in-thread', env: { WIJKKAART_PGLITE_WORKER: '0' }, only: 'pglite' },
	{ name: 'standaard', env: {} }
];

export async function hammerBench(opts: {
	stores: StoreKind[];
	postgresUrl?: string;
	meldingen: number;
	seconds: number;
	/** Only these settings (all when absent). */
	settings?: string[];
	log: (l: string) => void;
}): Promise<HammerFigures[]> {
	const dir = sharedUtrechtDir();
	const wijken = JSON.parse(
		readFileSync(path.join(dir, 'wijk.geojson'), 'utf8')
	) as FeatureCollection<MultiPolygon>;
	const buurten = JSON.parse(
		readFileSync(path.join(dir, 'buurt.geojson'), 'utf8')
	) as FeatureCollection<MultiPolygon>;
	const tax = taxonomy();
	const out: HammerFigures[] = [];
	for (const kind of opts.stores) {
		const store = await openBenchStore(kind, opts.postgresUrl);
		try {
			const db = await store.db();
			await importAreasFromGeoJSON(db, wijken, { level: 'wijk' });
			await importAreasFromGeoJSON(db, buurten, { level: 'buurt', parentLevel: 'wijk' });
			await writeGenerated(
				db,
				generateUtrechtFixtures(readUtrechtData(dir), {
					meldingen: opts.meldingen,
					seed: 17,
					tax,
					initiatieven: 0,
					projecten: 0,
					bijeenkomsten: 0
				}),
				tax,
				'bench'
			);
			await db.exec('ANALYZE');
			await store.release();
			for (const setting of SETTINGS) {
				if (setting.only && setting.only !== kind) continue;
				if (opts.settings && !opts.settings.includes(setting.name)) continue;
				// A loaded machine (and a PGlite store still recovering from the last server) starts slowly.
				const server = await startServer({ ...store.env, ...setting.env }, 240_000);
				try {
					out.push(await hammer(server.url, kind, opts.meldingen, setting.name, opts.seconds));
					opts.log(`hamer ${kind} ${setting.name}: ${JSON.stringify(out[out.length - 1])}`);
				} finally {
					await server.stop();
				}
			}
		} finally {
			await store.drop();
		}
	}
	return out;
}

async function hammer(
	base: string,
	store: StoreKind,
	items: number,
	setting: HammerFigures['setting'],
	seconds: number
): Promise<HammerFigures> {
	const cheap = [`${base}/healthz`, `${base}/api/items?limit=10&bbox=5.11,52.08,5.13,52.10`];
	// Once each before the hammer: a fresh server's first /api/items took 11-15 s on PGlite (cold
	// start), which is not what the hammer does to it.
	for (const url of cheap) await (await fetch(url)).arrayBuffer();
	// The centre of Utrecht: a 1 km circle holds many items.
	const heavy = autocannon({
		url: `${base}/feeds/punt.atom?lat=52.0907&lon=5.1214&r=1000`,
		connections: 8,
		duration: seconds
	});
	const healthz: number[] = [];
	const list: number[] = [];
	const until = Date.now() + seconds * 1000;
	let failed = 0;
	await new Promise((r) => setTimeout(r, 500));
	while (Date.now() < until - 500) {
		for (const [url, into] of [
			[cheap[0], healthz],
			[cheap[1], list]
		] as const) {
			const t = performance.now();
			try {
				const res = await fetch(url);
				await res.arrayBuffer();
				into.push(performance.now() - t);
			} catch {
				// A server stuck in one statement lets idle connections time out under the client.
				failed++;
			}
		}
	}
	const r = await heavy;
	const stat = (s: number[]) => ({
		n: s.length,
		p50: round(percentile(s, 50), 1),
		p95: round(percentile(s, 95), 1)
	});
	return {
		store,
		items,
		setting,
		seconds,
		hammer: { requests: r.requests.total, ok: r['2xx'], refused: r.non2xx },
		healthz: stat(healthz),
		items_: stat(list),
		failed
	};
}
