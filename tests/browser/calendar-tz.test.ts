import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amsterdamTime } from '../../src/lib/domain/local-time.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { readCalendars } from '../helpers/py-clients.ts';
import { startServer } from '../helpers/server.ts';
import { insertUtrechtAreas } from '../integration/items-setup.ts';

/**
 * The production build, started with its clock zone set to UTC (a container's default) and to
 * Europe/Amsterdam: calendars and the item page must say the same Dutch times in both.
 */
describe(`calendar times with the built server in UTC and in Europe/Amsterdam on ${storeName}`, () => {
	let store: TestStore;
	let wijk: string;
	let ids: number[];
	const starts = [
		amsterdamTime(2027, 1, 15, 19, 30),
		amsterdamTime(2027, 7, 1, 19, 30),
		amsterdamTime(2027, 3, 28, 1, 30)
	];

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const [w] = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT a.code, ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y FROM area a, ST_PointOnSurface(a.geom) p WHERE level = 'wijk' ORDER BY code LIMIT 1`
		);
		wijk = w.code;
		await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			const res = await insertItems(
				tx,
				starts.map((s, i) => ({
					layer: 'bijeenkomsten' as const,
					title: `Wijkavond ${i}`,
					description: 'Praat mee',
					theme: 'groen-water',
					status: 'gepland',
					startsAt: s,
					endsAt: new Date(s.getTime() + 7_200_000),
					geometry: { type: 'Point' as const, coordinates: [w.x, w.y] },
					details: { venue: 'Buurthuis' }
				}))
			);
			ids = res.ids as number[];
		});
		// PGlite admits one process: the servers get the store.
		if (store.db.kind === 'pglite') await store.db.close();
	});

	afterAll(async () => {
		if (store?.db.kind === 'pglite') {
			const { rmSync } = await import('node:fs');
			rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		} else await store?.dispose();
	});

	it('gives every DTSTART the instant of the API and the item page the Dutch clock, whatever TZ the server has', async () => {
		const uids: string[][] = [];
		for (const tz of ['UTC', 'Europe/Amsterdam']) {
			const server = await startServer({ ...store.env, TZ: tz });
			try {
				const api = (await (await fetch(`${server.url}/api/items?layer=bijeenkomsten`)).json()) as {
					features: { properties: { id: number; startsAt: string } }[];
				};
				const truth = new Map(
					api.features.map((f) => [
						`bijeenkomst-${f.properties.id}@127.0.0.1`,
						f.properties.startsAt
					])
				);
				expect([...truth.values()].sort()).toEqual(starts.map((s) => s.toISOString()).sort());
				const files: Record<string, string> = {};
				for (const p of [
					'/api/bijeenkomsten.ics',
					`/feeds/wijk/${wijk}.ics`,
					'/feeds/thema/groen-water.ics'
				])
					files[p] = await (await fetch(`${server.url}${p}`)).text();
				const cals = readCalendars(files);
				for (const cal of Object.values(cals)) {
					expect(cal.events).toHaveLength(starts.length);
					for (const e of cal.events) expect(e.start, `${tz} ${e.uid}`).toBe(truth.get(e.uid));
				}
				uids.push(cals['/api/bijeenkomsten.ics'].events.map((e) => e.uid).sort());
				const html = await (await fetch(`${server.url}/item/${ids[0]}`)).text();
				expect(html, tz).toContain('15 januari 2027 om 19:30');
				const summer = await (await fetch(`${server.url}/item/${ids[1]}`)).text();
				expect(summer, tz).toContain('1 juli 2027 om 19:30');
				if (tz === 'UTC') {
					// sql.js (WASM) loads in the built server too.
					const gpkg = Buffer.from(
						await (await fetch(`${server.url}/api/items?format=gpkg`)).arrayBuffer()
					);
					expect(gpkg.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
				}
			} finally {
				await server.stop();
			}
		}
		expect(uids[0]).toEqual(uids[1]);
	});
});
