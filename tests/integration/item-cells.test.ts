import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/**
 * item_cell (migration 013) against a fresh count over item after every kind of write: the
 * triggers must keep it equal to what a GROUP BY over the public items would give, at every
 * cell zoom. Position sums are floats added and taken away, so they compare within 1e-6°.
 */
const FRESH = `
	SELECT l.z, item_cell_x(ST_X(p.c)) >> (18 - l.z) AS cx, item_cell_y(ST_Y(p.c)) >> (18 - l.z) AS cy, i.layer, i.theme, i.status,
	       count(*)::int AS n, sum(ST_X(p.c)) AS lon, sum(ST_Y(p.c)) AS lat, sum(i.id)::bigint AS ids
	FROM item i CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(i.geom) = 'POINT' THEN i.geom ELSE ST_PointOnSurface(i.geom) END AS c) p
	CROSS JOIN generate_series(5, 18) l(z)
	WHERE i.deleted_at IS NULL AND i.published AND NOT i.sensitive
	GROUP BY 1, 2, 3, 4, 5, 6`;

/** Tile numbers computed here, independently of the SQL and of src/lib/geo/tiles.ts. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
	const n = 2 ** z;
	const r = (lat * Math.PI) / 180;
	return [
		Math.floor(((lon + 180) / 360) * n),
		Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
	];
}

describe(`item_cell kept by triggers on ${storeName}`, () => {
	let store: TestStore;

	async function mismatches(): Promise<unknown[]> {
		return store.db.query(
			`SELECT f.*, c.* FROM (${FRESH}) f
			 FULL JOIN item_cell c USING (z, cx, cy, layer, theme, status)
			 WHERE f.n IS DISTINCT FROM c.n OR f.ids IS DISTINCT FROM c.ids
			    OR abs(f.lon - c.lon) > 1e-6 OR abs(f.lat - c.lat) > 1e-6 OR c.n IS NULL OR f.n IS NULL
			 LIMIT 5`
		);
	}
	async function expectInStep(what: string) {
		expect(await mismatches(), what).toEqual([]);
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM item_cell WHERE n <= 0`
		);
		expect(n, `${what}: geen lege cellen`).toBe(0);
	}
	async function someItems(where: string, limit: number): Promise<number[]> {
		const rows = await store.db.query<{ id: string | number }>(
			`SELECT id FROM item WHERE ${where} ORDER BY id LIMIT ${limit}`
		);
		return rows.map((r) => Number(r.id));
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await writeUtrechtFixtures(store.db, { meldingen: 1500, contactDomain: 'melder.invalid' });
	});
	afterAll(() => store?.dispose());

	it('numbers cells as Web-Mercator tiles at zoom 18', async () => {
		const rows = await store.db.query<{ lon: number; lat: number; cx: number; cy: number }>(
			`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, item_cell_x(ST_X(geom)) AS cx, item_cell_y(ST_Y(geom)) AS cy
			 FROM item WHERE GeometryType(geom) = 'POINT' ORDER BY id LIMIT 200`
		);
		for (const r of rows) expect([r.cx, r.cy]).toEqual(tileOf(r.lon, r.lat, 18));
	});

	it('equals a fresh count after a bulk insert, with sensitive meldingen left out', async () => {
		await expectInStep('bulk insert');
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM item WHERE sensitive AND published AND deleted_at IS NULL`
		);
		expect(n).toBeGreaterThan(0);
	});

	it('follows moves, theme and status changes, unpublishing, soft deletes and restores', async () => {
		const [a, b, c, d, e] = await someItems(
			`layer = 'meldingen' AND published AND NOT sensitive AND deleted_at IS NULL`,
			5
		);
		const db = store.db;
		// Far enough to change cells at every zoom up to 9, and a move within the same cell.
		await db.query(`UPDATE item SET geom = ST_Translate(geom, 0.05, 0.02) WHERE id = $1`, [a]);
		await expectInStep('verplaatst');
		await db.query(`UPDATE item SET geom = ST_Translate(geom, 0.000001, 0) WHERE id = $1`, [b]);
		await expectInStep('een klein stukje verplaatst');
		await db.query(
			`UPDATE item SET theme = CASE WHEN theme = 'verkeer' THEN 'groen-water' ELSE 'verkeer' END WHERE id = $1`,
			[c]
		);
		await expectInStep('ander thema');
		await db.query(`UPDATE item SET status = 'afgehandeld' WHERE id = $1`, [c]);
		await expectInStep('andere status');
		await db.query(`UPDATE item SET published = false WHERE id = $1`, [d]);
		await expectInStep('niet gepubliceerd');
		await db.query(`UPDATE item SET deleted_at = now() WHERE id = $1`, [e]);
		await expectInStep('verwijderd (zacht)');
		await db.query(`UPDATE item SET deleted_at = NULL WHERE id = $1`, [e]);
		await db.query(`UPDATE item SET published = true WHERE id = $1`, [d]);
		await expectInStep('teruggezet');
		// Writes that touch no cell column: the aggregate stays as it is.
		const before = await db.query(
			`SELECT * FROM item_cell ORDER BY z, cx, cy, layer, theme, status`
		);
		await db.query(`UPDATE item SET title = title || '.', version = version + 1`);
		expect(
			await db.query(`SELECT * FROM item_cell ORDER BY z, cx, cy, layer, theme, status`)
		).toEqual(before);
	});

	it('follows many rows changed in one statement, and sensitive categories', async () => {
		const db = store.db;
		await db.query(
			`UPDATE item SET status = 'in_behandeling' WHERE layer = 'meldingen' AND status = 'gemeld' AND id % 3 = 0`
		);
		await expectInStep('veel statussen');
		await db.query(
			`UPDATE item SET geom = ST_Translate(geom, -0.01, 0.003) WHERE layer <> 'meldingen' AND id % 2 = 0`
		);
		await expectInStep('veel lijnen en vlakken verplaatst');
		await db.query(
			`UPDATE item SET sensitive = NOT sensitive WHERE layer = 'meldingen' AND id % 7 = 0`
		);
		await expectInStep('gevoelig gemaakt');
	});

	it('follows hard deletes, a second bulk insert and TRUNCATE', async () => {
		const db = store.db;
		const gone = await someItems(
			`layer = 'meldingen' AND merged_into IS NULL AND id NOT IN (SELECT merged_into FROM item WHERE merged_into IS NOT NULL)`,
			40
		);
		await db.query(`DELETE FROM item WHERE id = ANY($1::bigint[])`, [gone]);
		await expectInStep('verwijderd');
		await writeUtrechtFixtures(db, { meldingen: 700, seed: 7 });
		await expectInStep('tweede bulk');
		await db.exec('TRUNCATE item CASCADE');
		const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM item_cell`);
		expect(n).toBe(0);
		await writeUtrechtFixtures(db, { meldingen: 300, seed: 8 });
		await expectInStep('na TRUNCATE opnieuw gevuld');
	});
});
