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
		const rows = await store.db.query<{ version: number }>(
			'SELECT version FROM schemaversion WHERE version > 0'
		);
		expect(rows.length).toBeGreaterThan(0);
		expect(await migrate(store.db)).toEqual([]);
	});

	it('returns the same JS types whichever store answers (db/parsers.ts)', async () => {
		const [r] = await store.db.query<Record<string, unknown>>(
			`SELECT 7::int4 AS int4, 9007199254740991::int8 AS int8, 9007199254740993::int8 AS int8_big, count(*) AS count,
			        1.25::numeric AS numeric, sum(x) AS sum_int, 0.5::float8 AS float8, true AS bool, 'a'::text AS text,
			        '2024-03-01 12:00:00+00'::timestamptz AS ts, '2024-03-01'::date AS day, '{"a":1}'::jsonb AS jsonb,
			        ARRAY['x', 'y']::text[] AS arr, NULL::int8 AS none
			 FROM (VALUES (1), (2)) v(x)`
		);
		// Written out independently of the parsers: what every caller may rely on.
		expect(r).toEqual({
			int4: 7,
			int8: 9007199254740991,
			int8_big: '9007199254740993',
			count: 2,
			numeric: 1.25,
			sum_int: 3,
			float8: 0.5,
			bool: true,
			text: 'a',
			ts: new Date(Date.UTC(2024, 2, 1, 12)),
			day: '2024-03-01',
			jsonb: { a: 1 },
			arr: ['x', 'y'],
			none: null
		});
		expect(r.ts).toBeInstanceOf(Date);
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
