import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as choroplethGET } from '../../src/routes/api/analyse/choropleth/+server.ts';
import { GET as themesGET } from '../../src/routes/api/analyse/themes/+server.ts';
import { GET as koppelGET } from '../../src/routes/api/analyse/koppelkansen/+server.ts';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { seedDemoIfEmpty } from '../../src/lib/server/demo/seed.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { caller } from './analyse-fixtures.ts';

describe(`analysis on the demo municipality (${storeName})`, () => {
	let store: TestStore;
	const { get } = caller(() => store.db);

	beforeAll(async () => {
		store = await freshStore();
		await seedDemoIfEmpty(store.db);
	});
	afterAll(() => store?.dispose());

	it('rates every buurt per 1,000 from the imported population, matching a hand computation', async () => {
		const c = await get(
			choroplethGET,
			'/api/analyse/choropleth?layer=meldingen&level=buurt&measure=per1000'
		);
		const pops = new Map(
			(
				await store.db.query<{ code: string; population: number }>(
					`SELECT code, population FROM area WHERE level = 'buurt'`
				)
			).map((r) => [r.code, r.population])
		);
		expect(c.areas.length).toBe(pops.size);
		const { numberMatched } = await get(listGET, '/api/items?layer=meldingen&count=true&limit=1');
		expect(c.areas.reduce((n: number, a: { count: number }) => n + a.count, 0)).toBe(numberMatched);
		for (const a of c.areas) {
			// Demo buurten have 600 to 6000 inhabitants: every one is rated.
			expect(a.per1000, a.code).toBeCloseTo((a.count / pops.get(a.code)!) * 1000, 9);
			expect(a.class).not.toBeNull();
		}
		const t = await get(themesGET, '/api/analyse/themes?layer=meldingen&minWards=2');
		expect(t.median).toBeGreaterThan(0);
		for (const th of t.themes)
			for (const r of th.rates.filter((x: { code: string }) => th.wards.includes(x.code)))
				expect(r.per1000).toBeGreaterThan(t.median);
		const k = await get(koppelGET, '/api/analyse/koppelkansen');
		for (const p of k.pairs)
			expect(k.items[p.a].owner.toLowerCase()).not.toBe(k.items[p.b].owner.toLowerCase());
	});
});
