import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	freshStore,
	onPostgres,
	SHARED_UTRECHT,
	storeName,
	type TestStore
} from '../helpers/db.ts';
import { startFakePdok, type FakePdok } from '../helpers/fake-pdok.ts';
import { runScript } from '../helpers/server.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';

/** Each import command leaves one summary per write in the audit trail, inside its transaction. */
describe(`audit trail of the import commands on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let pdok: FakePdok;
	let env: Record<string, string>;
	const cli = (...args: string[]) => runScript('scripts/import.ts', args, env);
	const audit = async () => {
		const db = onPostgres
			? await openPostgres(store.env.DATABASE_URL)
			: await openPglite(store.env.WIJKKAART_DATA_DIR);
		try {
			return await db.query<{
				actor: string;
				action: string;
				entity: string;
				entity_id: string;
				before: unknown;
				after: Record<string, unknown>;
			}>(`SELECT actor, action, entity, entity_id, before, after FROM audit_log ORDER BY id`);
		} finally {
			await db.close();
		}
	};

	beforeAll(async () => {
		store = await freshStore();
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-audit-'));
		pdok = await startFakePdok(50);
		env = { ...store.env, WIJKKAART_TILES_DIR: dir, WIJKKAART_PDOK_URL: pdok.baseUrl };
	});
	afterAll(async () => {
		await pdok?.close();
		if (onPostgres) await store.dispose();
		else rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		rmSync(dir, { recursive: true, force: true });
	});

	it('areas, pdok and items each record who (the command), what and a summary with the file', async () => {
		const areas = await cli('areas', '--level', 'wijk', path.join(SHARED_UTRECHT, 'wijk.geojson'));
		expect(areas.code, areas.stderr).toBe(0);
		const fromPdok = await cli('pdok', '--gemeente', 'GM0344', '--jaar', '2024');
		expect(fromPdok.code, fromPdok.stderr).toBe(0);
		const items = path.join(dir, 'meldingen.geojson');
		writeFileSync(
			items,
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: {
							titel: 'Lantaarnpaal kapot',
							categorie: 'Straatverlichting kapot',
							status: 'gemeld'
						},
						geometry: { type: 'Point', coordinates: [5.1215, 52.0918] }
					},
					{
						type: 'Feature',
						properties: {
							titel: 'Buiten de stad',
							categorie: 'Straatverlichting kapot',
							status: 'gemeld'
						},
						geometry: { type: 'Point', coordinates: [4.8924, 52.3731] }
					}
				]
			})
		);
		const imported = await cli('items', '--layer', 'meldingen', items);
		expect(imported.code, imported.stderr).toBe(0);

		const rows = await audit();
		expect(rows.map((r) => [r.actor, r.action, r.entity, r.entity_id])).toEqual([
			['import:areas', 'import.areas', 'area', 'wijk'],
			['import:pdok', 'import.areas', 'area', 'wijk'],
			['import:pdok', 'import.areas', 'area', 'buurt'],
			['import:items', 'import.items', 'item', 'meldingen']
		]);
		expect(rows[0].after).toMatchObject({
			file: path.join(SHARED_UTRECHT, 'wijk.geojson'),
			level: 'wijk',
			imported: 10,
			rejected: 0
		});
		expect(rows[0].before).toEqual({ areas: 0 });
		expect(rows[1]).toMatchObject({
			before: { areas: 10 },
			after: { file: 'pdok:GM0344:2024', level: 'wijk', imported: 10 }
		});
		expect(rows[2].after).toMatchObject({
			file: 'pdok:GM0344:2024',
			level: 'buurt',
			parentLevel: 'wijk'
		});
		expect(rows[2].after.imported).toBeGreaterThan(90);
		expect(rows[3].after).toMatchObject({
			file: 'meldingen.geojson',
			layer: 'meldingen',
			read: 2,
			inserted: 1,
			outside: 1
		});
		// A summary, not the rows: no geometry in the trail.
		expect(JSON.stringify(rows)).not.toContain('coordinates');
	});

	it('a failed import writes no audit entry (same transaction)', async () => {
		const outside = path.join(dir, 'buiten.geojson');
		writeFileSync(
			outside,
			JSON.stringify({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: {
							titel: 'Op de Dam',
							categorie: 'Straatverlichting kapot',
							status: 'gemeld'
						},
						geometry: { type: 'Point', coordinates: [4.8924, 52.3731] }
					}
				]
			})
		);
		const res = await cli('items', '--layer', 'meldingen', outside);
		expect(res.code).toBe(1);
		expect(res.stderr).toMatch(/geen enkel item ligt binnen de gebieden/);
		expect((await audit()).filter((r) => r.action === 'import.items')).toHaveLength(1);
	});
});
