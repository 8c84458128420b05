import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as clustersGET } from '../../src/routes/api/analyse/clusters/+server.ts';
import { GET as trendGET } from '../../src/routes/api/analyse/trend/+server.ts';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { caller } from './analyse-fixtures.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/** Issue 20 §8: on Utrecht with 10,000 meldingen the default hotspots are spots, not half the city. */
describe(`default hotspots at city density (${storeName})`, () => {
	let store: TestStore;
	const { get } = caller(() => store.db);

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await writeUtrechtFixtures(store.db, { meldingen: 10_000 });
	}, 600_000);
	afterAll(() => store?.dispose());

	it('has no default hotspot bigger than one wijk’s worth of meldingen, and still finds hotspots', async () => {
		const [{ n, wijken }] = await store.db.query<{ n: number; wijken: number }>(
			`SELECT (SELECT count(*)::int FROM item WHERE layer = 'meldingen' AND published AND NOT sensitive AND deleted_at IS NULL) AS n,
			        (SELECT count(*)::int FROM area WHERE level = 'wijk') AS wijken`
		);
		const c = await get(clustersGET, '/api/analyse/clusters?layer=meldingen');
		expect(c.minPoints).toBeGreaterThan(8);
		expect(c.clusters.length).toBeGreaterThan(2);
		const biggest = Math.max(...c.clusters.map((x: { count: number }) => x.count));
		expect(biggest).toBeLessThanOrEqual(n / wijken);
		// A hotspot is a spot: it may cross one boundary, not sprawl over several wijken.
		expect(
			Math.max(...c.clusters.map((x: { wards: unknown[] }) => x.wards.length))
		).toBeLessThanOrEqual(2);
		// An explicit minimum is still obeyed as given.
		const fixed = await get(clustersGET, '/api/analyse/clusters?layer=meldingen&minPoints=8');
		expect(fixed.minPoints).toBe(8);
		// ...and it is what the issue saw: the fixed minimum of 8 chains one hotspot over several wijken.
		expect(
			Math.max(...fixed.clusters.map((x: { wards: unknown[] }) => x.wards.length))
		).toBeGreaterThan(2);
	});

	it('marks the month still running in the trend, so its low count does not read as a drop', async () => {
		const t = await get(trendGET, '/api/analyse/trend?layer=meldingen');
		const now = new Intl.DateTimeFormat('en-CA', {
			timeZone: 'Europe/Amsterdam',
			year: 'numeric',
			month: '2-digit'
		}).format(new Date());
		expect(t.months.at(-1)).toBe(now);
		expect(t.partialMonth).toBe(now);
		const past = await get(trendGET, '/api/analyse/trend?layer=meldingen&to=2020-01-01');
		expect(past.partialMonth ?? null).toBeNull();
	});
});
