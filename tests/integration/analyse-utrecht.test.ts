import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as choroplethGET } from '../../src/routes/api/analyse/choropleth/+server.ts';
import { GET as clustersGET } from '../../src/routes/api/analyse/clusters/+server.ts';
import { GET as trendGET } from '../../src/routes/api/analyse/trend/+server.ts';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { caller } from './analyse-fixtures.ts';
import { insertUtrechtAreas } from './items-setup.ts';

describe(`analysis on the Utrecht fixtures (${storeName})`, () => {
	let store: TestStore;
	const { get } = caller(() => store.db);

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await writeUtrechtFixtures(store.db, { meldingen: 2000 });
	});
	afterAll(() => store?.dispose());

	it('sums the choropleth to the /api/items totals, per wijk and per buurt, for any filter', async () => {
		for (const filter of [
			'layer=meldingen',
			'layer=meldingen&theme=openbare-ruimte',
			'theme=verkeer&status=gemeld,afgehandeld',
			'from=2026-06-01&to=2026-10-31',
			''
		]) {
			const { numberMatched } = await get(listGET, `/api/items?${filter}&count=true&limit=1`);
			expect(numberMatched).toBeGreaterThan(0);
			for (const level of ['wijk', 'buurt']) {
				const c = await get(choroplethGET, `/api/analyse/choropleth?${filter}&level=${level}`);
				const sum = c.areas.reduce((n: number, a: { count: number }) => n + a.count, 0);
				expect(sum + c.unassigned, `${filter} ${level}`).toBe(numberMatched);
				expect(c.total).toBe(numberMatched);
			}
		}
		const wijk = await get(choroplethGET, '/api/analyse/choropleth?area=03&level=buurt');
		const { numberMatched } = await get(listGET, '/api/items?area=03&count=true&limit=1');
		expect(wijk.areas.every((a: { code: string }) => a.code.startsWith('03'))).toBe(true);
		expect(wijk.areas.reduce((n: number, a: { count: number }) => n + a.count, 0)).toBe(
			numberMatched
		);
		// The Utrecht boundaries carry no population: per 1,000 is greyed out everywhere, with the reason.
		const rate = await get(choroplethGET, '/api/analyse/choropleth?measure=per1000');
		expect(
			rate.areas.every(
				(a: { value: number | null; noRate: string }) =>
					a.value === null && a.noRate === 'geen-inwonertal'
			)
		).toBe(true);
	});

	it('finds hotspots and flags exactly those that span wijken', async () => {
		const c = await get(clustersGET, '/api/analyse/clusters?layer=meldingen');
		expect(c.clusters.length).toBeGreaterThan(0);
		for (const x of c.clusters) {
			expect(x.count).toBeGreaterThanOrEqual(8);
			expect(x.crossBoundary).toBe(x.wards.length >= 2);
			expect(x.wards.reduce((n: number, w: { count: number }) => n + w.count, 0)).toBe(x.count);
		}
	});

	it('trend months add up to the same total', async () => {
		const t = await get(trendGET, '/api/analyse/trend?layer=meldingen');
		const { numberMatched } = await get(listGET, '/api/items?layer=meldingen&count=true&limit=1');
		expect(t.rows.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBe(numberMatched);
	});
});
