import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import { GET as searchGET } from '../../src/routes/api/adressen/+server.ts';
import { GET as nearGET } from '../../src/routes/api/nabij/+server.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { event } from './residents-setup.ts';

describe(`search on the demo municipality (${storeName})`, () => {
	let store: TestStore;
	beforeAll(async () => {
		store = await freshStore();
		await seedDemoIfEmpty(store.db);
	}, 180_000);
	afterAll(() => store?.dispose());

	it('has generated streets inside the buurten, found by prefix, number and postcode', async () => {
		const [{ n, outside, streets }] = await store.db.query<{
			n: number;
			outside: number;
			streets: number;
		}>(
			`SELECT count(*)::int AS n, count(DISTINCT street)::int AS streets,
			        count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.level = 'buurt' AND ST_Intersects(a.geom, address.geom)))::int AS outside
			 FROM address`
		);
		expect(n).toBeGreaterThan(500);
		expect(streets).toBeGreaterThan(20);
		expect(outside).toBe(0);
		const [{ street, postcode }] = await store.db.query<{ street: string; postcode: string }>(
			`SELECT street, postcode FROM address WHERE house_number = '3' ORDER BY id LIMIT 1`
		);
		const get = async (q: string) =>
			(await (await searchGET(event(store.db, `/api/adressen?q=${encodeURIComponent(q)}`))).json())
				.results;
		const prefix = await get(street.slice(0, 7).toLowerCase());
		expect(prefix.map((h: { street?: string }) => h.street)).toContain(street);
		const exact = await get(`${street} 3`);
		expect(exact[0]).toMatchObject({ kind: 'adres', street, houseNumber: '3', postcode });
		const pc = await get(`${postcode.slice(0, 4)} ${postcode.slice(4).toLowerCase()}`);
		expect(pc[0]).toMatchObject({ kind: 'postcode', postcode });
		const near = await (
			await nearGET(event(store.db, `/api/nabij?q=${encodeURIComponent(`${street} 3`)}&r=1000`))
		).json();
		expect(near.areas.map((a: { level: string }) => a.level)).toEqual(['wijk', 'buurt']);
		expect(near.features.length).toBeGreaterThan(0);
	});
});
