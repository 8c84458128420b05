import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as clustersGET } from '../../src/routes/api/analyse/clusters/+server.ts';
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
		// An explicit minimum is still obeyed as given.
		const fixed = await get(clustersGET, '/api/analyse/clusters?layer=meldingen&minPoints=8');
		expect(fixed.minPoints).toBe(8);
		// ...and it is what the issue saw: the fixed minimum chains more than a wijk's worth into one.
		expect(Math.max(...fixed.clusters.map((x: { count: number }) => x.count))).toBeGreaterThan(n / wijken);
	});
});
