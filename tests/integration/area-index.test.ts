import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { loadAreaIndex, reassignAreas } from '../../src/lib/server/items/write.ts';
import { freshStore, SHARED_UTRECHT, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

describe(`areas found in memory agree with PostGIS, on ${storeName}`, () => {
	let store: TestStore;
	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
	});
	afterAll(() => store?.dispose());

	it('puts every real lichtmast in the same wijk and buurt as ST_Intersects does', async () => {
		const masts = JSON.parse(readFileSync(path.join(SHARED_UTRECHT, 'lichtmasten.geojson'), 'utf8'))
			.features as { geometry: { coordinates: [number, number] } }[];
		const xs = masts.map((f) => f.geometry.coordinates[0]);
		const ys = masts.map((f) => f.geometry.coordinates[1]);
		const rows = await store.db.query<{ ord: number; areas: Record<string, string> | null }>(
			`SELECT p.ord::int, (SELECT jsonb_object_agg(hit.level, hit.code) FROM (
			   SELECT DISTINCT ON (a.level) a.level, a.code FROM area a
			   WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)) ORDER BY a.level, a.code) hit) AS areas
			 FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, ord) ORDER BY p.ord`,
			[xs, ys]
		);
		const index = await loadAreaIndex(store.db);
		const differ = rows.filter(
			(r) =>
				JSON.stringify(index.locate(xs[r.ord - 1], ys[r.ord - 1])) !== JSON.stringify(r.areas ?? {})
		);
		expect(rows.length).toBe(masts.length);
		expect(rows.filter((r) => r.areas?.buurt).length).toBeGreaterThan(9000);
		expect(
			differ.map((r) => ({
				at: [xs[r.ord - 1], ys[r.ord - 1]],
				postgis: r.areas,
				index: index.locate(xs[r.ord - 1], ys[r.ord - 1])
			}))
		).toEqual([]);
	});

	it('gives a bulk import the same areas the store assigns when asked again', async () => {
		const { written } = await writeUtrechtFixtures(store.db, {
			meldingen: 3000,
			contactDomain: 'melder.invalid'
		});
		expect(written).toBeGreaterThan(3000);
		const before = await store.db.query<{ id: number; areas: unknown }>(
			'SELECT id, areas FROM item ORDER BY id'
		);
		await reassignAreas(store.db);
		const after = await store.db.query<{ id: number; areas: unknown }>(
			'SELECT id, areas FROM item ORDER BY id'
		);
		expect(after).toEqual(before);
	});
});
