import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { freshStore, onPostgres, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { runScript } from '../helpers/server.ts';
import { insertUtrechtAreas } from './items-setup.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';

/** PGlite admits one process per data directory: the test opens a store only between CLI runs. */
async function inspect<T>(store: TestStore, fn: (db: Db) => Promise<T>): Promise<T> {
	const db = onPostgres
		? await openPostgres(store.env.DATABASE_URL)
		: await openPglite(store.env.WIJKKAART_DATA_DIR);
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

async function seed(db: Db): Promise<void> {
	await insertUtrechtAreas(db);
	await syncTaxonomy(db);
	const [{ theme }] = await db.query<{ theme: string }>(
		`SELECT id AS theme FROM theme ORDER BY id LIMIT 1`
	);
	const [{ status }] = await db.query<{ status: string }>(
		`SELECT status FROM item_status WHERE layer = 'meldingen' LIMIT 1`
	);
	const items = await db.query<{ id: string }>(
		`INSERT INTO item (layer, title, theme, status, geom, published, details, areas)
		 SELECT 'meldingen', 'Melding ' || g, $1, $2, ST_SetSRID(ST_MakePoint(5.1 + g / 1000.0, 52.09), 4326), g % 3 <> 0,
		        jsonb_build_object('n', g), jsonb_build_object('wijk', '0' || g)
		 FROM generate_series(1, 30) g RETURNING id::text`,
		[theme, status]
	);
	await db.query(`DELETE FROM item WHERE id = $1`, [items[29].id]); // a gap the identity must skip
	await db.query(
		`INSERT INTO melding_contact (item_id, email, phone, name) VALUES ($1, 'bewoner@example.nl', '0612345678', 'Jan Bewoner')`,
		[items[2].id]
	);
	await db.query(
		`INSERT INTO tracking (token_hash, item_id, tracking_number) VALUES ($1, $2, 'M-0001')`,
		['a'.repeat(64), items[2].id]
	);
	await db.query(
		`INSERT INTO item_update (item_id, status_from, status_to, public_text) VALUES ($1, $2, $2, 'Opgepakt')`,
		[items[0].id, status]
	);
	const [user] = await db.query<{ id: string }>(
		`INSERT INTO staff_user (email, name, role, password_hash) VALUES ('m@gemeente.nl', 'Mia', 'beheerder', 'scrypt$x') RETURNING id::text`
	);
	await db.query(`INSERT INTO staff_user_wijk (user_id, wijk) VALUES ($1, '01')`, [user.id]);
	await db.query(`INSERT INTO staff_session (token_hash, user_id) VALUES ($1, $2)`, [
		'b'.repeat(64),
		user.id
	]);
	await db.query(
		`INSERT INTO login_attempt (email, client, ok) VALUES ('m@gemeente.nl', '127.0.0.1', true)`
	);
	await db.query(
		`INSERT INTO audit_log (actor, action, entity, entity_id, after) VALUES ('user:1', 'create', 'item', $1, '{"a":1}')`,
		[items[0].id]
	);
	await db.query(
		`INSERT INTO import_log (kind, target, summary) VALUES ('areas', 'wijk', '{"n":2}')`
	);
	await db.query(
		`INSERT INTO meta (key, value) VALUES ('gemeente', '"Utrecht"') ON CONFLICT (key) DO UPDATE SET value = excluded.value`
	);
}

describe(`npm run export / restore on ${storeName}`, () => {
	let source: TestStore;
	let target: TestStore;
	let tmp: string;
	let sourceHash: string;

	beforeAll(async () => {
		[source, target] = [await freshStore(), await freshStore()];
		await seed(source.db);
		sourceHash = await storeHash(source.db);
		// PGlite admits one process per data directory; PostgreSQL keeps its pool for dispose().
		if (!onPostgres) for (const s of [source, target]) await s.db.close();
		tmp = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-backup-'));
	});

	afterAll(async () => {
		for (const s of [source, target]) {
			if (!s) continue;
			if (onPostgres) await s.dispose();
			else rmSync(s.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		}
		if (tmp) rmSync(tmp, { recursive: true, force: true });
	});

	it('writes GeoJSON of all areas and items, a table dump and a manifest with hashes', async () => {
		const dir = path.join(tmp, 'b1');
		const out = await runScript('scripts/export.ts', [dir], source.env);
		expect(out.stderr).toBe('');
		expect(out.code).toBe(0);
		expect(out.stdout).toMatch(/persoonsgegevens/);
		expect(readFileSync(path.join(dir, 'README.txt'), 'utf8')).toMatch(/PERSOONSGEGEVENS/);
		const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
		const rows = Object.fromEntries(
			manifest.tables.map((t: { name: string; rows: number }) => [t.name, t.rows])
		);
		expect(rows).toMatchObject({
			item: 29,
			melding_contact: 1,
			tracking: 1,
			staff_user: 1,
			audit_log: 1,
			login_attempt: 1
		});
		expect(manifest.schemaVersion).toBeGreaterThanOrEqual(10);
		const order = manifest.tables.map((t: { name: string }) => t.name);
		expect(order.indexOf('item')).toBeLessThan(order.indexOf('tracking'));
		expect(order.indexOf('theme')).toBeLessThan(order.indexOf('item'));
		expect(order.indexOf('staff_user')).toBeLessThan(order.indexOf('staff_user_wijk'));
		for (const f of Object.keys(manifest.files)) expect(existsSync(path.join(dir, f))).toBe(true);
		const items = JSON.parse(readFileSync(path.join(dir, 'items.geojson'), 'utf8'));
		expect(items.features).toHaveLength(29);
		expect(
			items.features.filter((f: { properties: { public: boolean } }) => !f.properties.public)
		).toHaveLength(9);
		const areas = JSON.parse(readFileSync(path.join(dir, 'areas.geojson'), 'utf8'));
		expect(areas.features.length).toBeGreaterThan(10);
		expect(areas.features[0].geometry.type).toBe('MultiPolygon');
	});

	it('refuses a damaged backup before writing anything', async () => {
		const dir = path.join(tmp, 'b1');
		const bad = path.join(tmp, 'bad');
		cpSync(dir, bad, { recursive: true });
		const file = path.join(bad, 'tables', 'item.jsonl');
		writeFileSync(file, readFileSync(file, 'utf8').replace('Melding 1', 'Melding X'));
		const before = await inspect(target, storeHash);
		const out = await runScript('scripts/restore.ts', [bad], target.env);
		expect(out.code).toBe(2);
		expect(out.stderr).toMatch(/^Fout: bestand tables\/item\.jsonl is gewijzigd of beschadigd/);
		expect(out.stderr).not.toMatch(/\n\s+at /);
		expect(await inspect(target, storeHash)).toBe(before);
		expect(existsSync(dir)).toBe(true);
	});

	it('restores an equal store, identities continuing after the highest id', async () => {
		const out = await runScript('scripts/restore.ts', [path.join(tmp, 'b1')], target.env);
		expect(out.stderr).toBe('');
		expect(out.code).toBe(0);
		await inspect(target, async (db) => {
			expect(await storeHash(db)).toBe(sourceHash);
			const [max] = await db.query<{ m: string }>(`SELECT max(id)::text AS m FROM item`);
			const [{ theme, status }] = await db.query<{ theme: string; status: string }>(
				`SELECT theme, status FROM item ORDER BY id LIMIT 1`
			);
			const [next] = await db.query<{ id: string }>(
				`INSERT INTO item (layer, title, theme, status, geom) VALUES ('meldingen', 'Nieuw', $1, $2, ST_SetSRID(ST_MakePoint(5.1, 52.1), 4326)) RETURNING id::text`,
				[theme, status]
			);
			// The deleted 30th item's id is not reused: the sequence came back as it was.
			expect(BigInt(next.id)).toBe(BigInt(max.m) + 2n);
		});
	});

	it('counts the map cells again from a backup made before they were kept', async () => {
		const old = path.join(tmp, 'zonder-cellen');
		cpSync(path.join(tmp, 'b1'), old, { recursive: true });
		const manifest = JSON.parse(readFileSync(path.join(old, 'manifest.json'), 'utf8'));
		const entry = manifest.tables.find((t: { name: string }) => t.name === 'item_cell');
		manifest.tables = manifest.tables.filter((t: { name: string }) => t !== entry);
		delete manifest.files[entry.file];
		rmSync(path.join(old, entry.file));
		writeFileSync(path.join(old, 'manifest.json'), JSON.stringify(manifest));
		const third = await freshStore();
		if (!onPostgres) await third.db.close();
		try {
			const out = await runScript('scripts/restore.ts', [old], third.env);
			expect(out.stderr).toBe('');
			expect(out.code).toBe(0);
			const cells = (db: Db) =>
				db.query(
					`SELECT z, cx, cy, layer, theme, status, n, ids FROM item_cell ORDER BY z, cx, cy, layer, theme, status`
				);
			const expected = await inspect(source, cells);
			expect(expected.length).toBeGreaterThan(0);
			expect(await inspect(third, cells)).toEqual(expected);
		} finally {
			if (onPostgres) await third.dispose();
			else rmSync(third.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		}
	});

	it('refuses a store that already holds data, in Dutch, exit 2, changing nothing', async () => {
		const before = await inspect(target, storeHash);
		const out = await runScript('scripts/restore.ts', [path.join(tmp, 'b1')], target.env);
		expect(out.code).toBe(2);
		expect(out.stderr).toMatch(/^Fout: de store is niet leeg/);
		expect(await inspect(target, storeHash)).toBe(before);
	});
});
