import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { migrate } from '../../src/lib/server/db/migrate.ts';

describe(`store on ${storeName}`, () => {
	let store: TestStore;
	beforeAll(async () => {
		store = await freshStore();
	});
	afterAll(() => store?.dispose());

	it('records applied migrations and does not re-apply them', async () => {
		const rows = await store.db.query<{ version: number }>('SELECT version FROM schemaversion WHERE version > 0');
		expect(rows.length).toBeGreaterThan(0);
		expect(await migrate(store.db)).toEqual([]);
	});

	it('has PostGIS with RD New available', async () => {
		const [r] = await store.db.query<{ x: number; y: number }>(
			`SELECT ST_X(p) x, ST_Y(p) y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(155000, 463000), 28992), 4326) p) s`
		);
		expect(r.x).toBeCloseTo(5.3872, 3);
		expect(r.y).toBeCloseTo(52.1552, 3);
	});

	it('rolls a failed transaction back completely', async () => {
		const before = await storeHash(store.db);
		await expect(
			store.db.transaction(async (tx) => {
				await tx.query(`INSERT INTO area_level (name, depth) VALUES ('wijk', 0)`);
				await tx.query(`INSERT INTO area_level (name, depth) VALUES ('buurt', 0)`); // duplicate depth
			})
		).rejects.toThrow();
		expect(await storeHash(store.db)).toBe(before);
	});
});
