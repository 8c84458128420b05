import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import { GET as summaryGET } from '../../src/routes/api/areas/[code]/summary/+server.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';

describe(`demo items in Voorbeeldstad on ${storeName}`, () => {
	let store: TestStore;
	let seeded: Awaited<ReturnType<typeof seedDemoIfEmpty>>;

	beforeAll(async () => {
		store = await freshStore();
		seeded = await seedDemoIfEmpty(store.db);
	});
	afterAll(() => store?.dispose());

	it('fills every wijk with several themes of all four layers, each item inside an area', async () => {
		expect(seeded!.items).toBeGreaterThan(500);
		const [{ n, outside }] = await store.db.query<{ n: number; outside: number }>(
			`SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT areas ? 'buurt')::int AS outside FROM item`
		);
		expect(n).toBe(seeded!.items);
		expect(outside).toBe(0);
		const perWijk = await store.db.query<{ wijk: string; themes: number; layers: number }>(
			`SELECT areas->>'wijk' AS wijk, count(DISTINCT theme)::int AS themes, count(DISTINCT layer)::int AS layers FROM item GROUP BY 1`
		);
		const [{ wijken }] = await store.db.query<{ wijken: number }>(
			`SELECT count(*)::int AS wijken FROM area WHERE level = 'wijk'`
		);
		expect(perWijk).toHaveLength(wijken);
		for (const w of perWijk) {
			expect(w.themes, w.wijk).toBeGreaterThanOrEqual(4);
			expect(w.layers, w.wijk).toBe(4);
		}
	});

	it('has timelines, overdue meldingen, lines and polygons, and meetings past and ahead', async () => {
		const [r] = await store.db.query<Record<string, number>>(
			`SELECT
			   (SELECT count(*)::int FROM item i WHERE (SELECT count(*) FROM item_update u WHERE u.item_id = i.id) >= 3) AS long_timelines,
			   (SELECT count(*)::int FROM item WHERE layer = 'meldingen' AND due_at < now() AND status IN ('gemeld', 'in_behandeling', 'ingepland', 'heropend')) AS overdue,
			   (SELECT count(*)::int FROM item WHERE layer = 'projecten' AND GeometryType(geom) = 'LINESTRING') AS lines,
			   (SELECT count(*)::int FROM item WHERE layer = 'projecten' AND GeometryType(geom) = 'POLYGON') AS polygons,
			   (SELECT count(*)::int FROM item WHERE layer = 'bijeenkomsten' AND starts_at < now()) AS past,
			   (SELECT count(*)::int FROM item WHERE layer = 'bijeenkomsten' AND starts_at > now()) AS ahead,
			   (SELECT count(DISTINCT details->>'participation')::int FROM item WHERE layer = 'bijeenkomsten') AS participation,
			   (SELECT count(*)::int FROM item_link) AS links`
		);
		for (const [k, v] of Object.entries(r))
			expect(v, k).toBeGreaterThanOrEqual(k === 'participation' ? 4 : 3);
	});

	it('publishes sensitive meldingen only as a count where a buurt reaches five', async () => {
		const truth = await store.db.query<{
			wijk: string;
			buurt: string;
			category: string;
			n: number;
		}>(
			`SELECT areas->>'wijk' AS wijk, areas->>'buurt' AS buurt, category, count(*)::int AS n FROM item WHERE sensitive GROUP BY 1, 2, 3`
		);
		expect(truth.some((t) => t.n >= 5)).toBe(true);
		expect(truth.some((t) => t.n < 5)).toBe(true);
		for (const t of truth) {
			const url = new URL(`http://wijkkaart.test/api/areas/${t.wijk}/summary`);
			const res = await summaryGET({
				url,
				params: { code: t.wijk },
				locals: { db: store.db },
				request: new Request(url)
			} as never);
			const body = await res.json();
			const shown = body.sensitive.find(
				(s: { code: string; category: string }) => s.code === t.buurt && s.category === t.category
			);
			if (t.n >= 5) expect(shown?.count).toBe(t.n);
			else expect(shown).toBeUndefined();
		}
	});
});
