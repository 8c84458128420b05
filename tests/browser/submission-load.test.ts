import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, SHARED_UTRECHT, storeName, type TestStore } from '../helpers/db.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import type { Db } from '../../src/lib/server/db/types.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));
const CLIENTS = 50;
const EACH = 20;

describe(`1,000 meldingen from 50 clients at once, with a read load (${storeName})`, () => {
	let store: TestStore;
	let server: RunningServer;
	let env: Record<string, string>;
	let at: { x: number; y: number };
	const run = randomUUID();

	beforeAll(async () => {
		store = await freshStore();
		await importAreasFromGeoJSON(store.db, read('wijk.geojson'), { level: 'wijk' });
		[at] = await store.db.query<{ x: number; y: number }>(
			`SELECT ST_X(p)::float8 x, ST_Y(p)::float8 y FROM (SELECT ST_PointOnSurface(geom) p FROM area ORDER BY code LIMIT 1) s`
		);
		if (store.db.kind === 'pglite') await store.db.close();
		// Every client shares the loopback address, so the per-client hourly limit is raised by its env var.
		env = { ...store.env, WIJKKAART_RATE_SUBMIT: String(CLIENTS * EACH * 3) };
		server = await startServer(env);
	}, 180_000);
	afterAll(async () => {
		await server?.stop();
		if (store?.db.kind === 'pglite')
			(await import('node:fs')).rmSync(store.env.WIJKKAART_DATA_DIR, {
				recursive: true,
				force: true
			});
		else await store?.dispose();
	});

	/** Reads the store directly; PGlite admits one process, so the server steps aside meanwhile. */
	async function inStore<T>(read: (db: Db) => Promise<T>): Promise<T> {
		if (store.db.kind === 'pglite') await server.stop();
		const db =
			store.db.kind === 'pglite'
				? await openPglite(env.WIJKKAART_DATA_DIR)
				: await openPostgres(env.DATABASE_URL);
		try {
			return await read(db);
		} finally {
			await db.close();
			if (store.db.kind === 'pglite') server = await startServer(env);
		}
	}

	it('keeps every melding exactly once, retries included, with no 5xx on writes or reads', async () => {
		const statuses: Record<string, number> = {};
		const count = (k: string) => (statuses[k] = (statuses[k] ?? 0) + 1);
		const numbers = new Map<string, string>();
		let retries = 0;
		let repeats = 0;

		async function send(
			key: string,
			body: string
		): Promise<{ status: number; trackingNumber: string }> {
			for (let attempt = 0; ; attempt++) {
				try {
					const res = await fetch(`${server.url}/api/meldingen`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', 'idempotency-key': key },
						body,
						signal: AbortSignal.timeout(20_000)
					});
					count(`w${res.status}`);
					if (res.status >= 500 && attempt < 3) {
						retries++;
						continue;
					}
					return {
						status: res.status,
						trackingNumber: ((await res.json()) as { trackingNumber: string }).trackingNumber
					};
				} catch (err) {
					count('wtimeout');
					if (attempt >= 3) throw err;
					retries++;
				}
			}
		}

		async function client(c: number) {
			for (let n = 0; n < EACH; n++) {
				const key = `${run}-${c}-${n}`;
				const body = JSON.stringify({
					category: 'afval',
					description: `Belasting ${run} ${c}/${n}`,
					lat: at.y,
					lon: at.x
				});
				const first = await send(key, body);
				// 200 (a repeat) only when a try that timed out on this side had landed after all.
				expect([200, 201]).toContain(first.status);
				numbers.set(key, first.trackingNumber);
				// Every fifth answer "got lost": the client sends the same submission again with its key.
				if (n % 5 === 0) {
					const again = await send(key, body);
					expect(again).toEqual({ status: 200, trackingNumber: first.trackingNumber });
					repeats++;
				}
			}
		}

		let writing = true;
		async function reader() {
			while (writing) {
				const res = await fetch(`${server.url}/api/items?layer=meldingen&limit=200`);
				count(`r${res.status}`);
				await res.arrayBuffer();
			}
		}

		const started = Date.now();
		const readers = Array.from({ length: 4 }, reader);
		await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c))).finally(
			() => (writing = false)
		);
		await Promise.all(readers);
		const seconds = (Date.now() - started) / 1000;
		console.log(
			`submission load (${storeName}): ${CLIENTS * EACH} meldingen + ${repeats} repeats in ${seconds.toFixed(1)} s, retries ${retries}, statuses ${JSON.stringify(statuses)}`
		);

		// Timeouts are retried with the same key; what counts is no 5xx and the store below.
		expect(Object.keys(statuses).filter((k) => /^[wr]5/.test(k))).toEqual([]);
		expect(statuses.r200).toBeGreaterThan(0);
		expect(numbers.size).toBe(CLIENTS * EACH);
		expect(new Set(numbers.values()).size).toBe(CLIENTS * EACH);

		const check = async (db: Db) => {
			const [row] = await db.query<{ n: string; distinct_text: string; keys: string }>(
				`SELECT count(*) AS n, count(DISTINCT description) AS distinct_text,
				        (SELECT count(*) FROM submission_key k JOIN item i ON i.id = k.item_id WHERE i.description LIKE $1) AS keys
				 FROM item WHERE description LIKE $1`,
				[`Belasting ${run} %`]
			);
			return { n: Number(row.n), distinct: Number(row.distinct_text), keys: Number(row.keys) };
		};
		const found = await inStore(check);
		expect(found).toEqual({ n: CLIENTS * EACH, distinct: CLIENTS * EACH, keys: CLIENTS * EACH });
	}, 240_000);

	it('loses no acknowledged melding when the server is killed in the middle of a burst', async () => {
		const acknowledged: { id: number; trackingNumber: string; trackingUrl: string }[] = [];
		const refused: number[] = [];
		let cutOff = 0;
		let killed = false;
		async function client(c: number) {
			for (let n = 0; !killed; n++) {
				try {
					const res = await fetch(`${server.url}/api/meldingen`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({
							category: 'afval',
							description: `Stroomuitval ${run} ${c}/${n}`,
							lat: at.y,
							lon: at.x
						})
					});
					const body = await res.json();
					if (res.status === 201) acknowledged.push(body);
					else refused.push(res.status);
				} catch {
					// The connection died with the server: this one was never acknowledged.
					cutOff++;
					return;
				}
			}
		}
		const clients = Array.from({ length: 20 }, (_, c) => client(c));
		const deadline = Date.now() + 60_000;
		while (acknowledged.length < 150 && cutOff === 0 && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 5));
		expect({ acknowledged: acknowledged.length >= 150, cutOff, refused }).toEqual({
			acknowledged: true,
			cutOff: 0,
			refused: []
		});
		await server.stop('SIGKILL');
		killed = true;
		await Promise.all(clients);
		console.log(
			`kill mid-submission (${storeName}): ${acknowledged.length} acknowledged, ${cutOff} cut off by the kill`
		);
		expect(refused).toEqual([]);
		// Requests were in flight when the process died, so the kill really came mid-burst.
		expect(cutOff).toBeGreaterThan(0);

		server = await startServer(env);
		for (const a of acknowledged) {
			const page = await fetch(`${server.url}/volg/${a.trackingUrl.split('/volg/')[1]}`);
			expect(page.status, a.trackingNumber).toBe(200);
			expect(await page.text()).toContain(a.trackingNumber);
		}
		const present = await inStore((db) =>
			db.query<{ id: string }>(
				`SELECT id FROM item WHERE id = ANY($1::bigint[]) AND description LIKE $2`,
				[acknowledged.map((a) => a.id), `Stroomuitval ${run} %`]
			)
		);
		expect(present).toHaveLength(acknowledged.length);
	}, 240_000);
});
