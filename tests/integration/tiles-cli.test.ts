import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, onPostgres, storeName, type TestStore } from '../helpers/db.ts';
import { runScript } from '../helpers/server.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { archiveProblem } from '../../src/lib/server/tiles/build.ts';
import { insertUtrechtAreas } from './tiles-setup.ts';

describe(`npm run tiles on ${storeName}`, () => {
	let store: TestStore;
	let tilesDir: string;
	let env: Record<string, string>;
	const file = () => path.join(tilesDir, 'areas.pmtiles');

	beforeAll(async () => {
		store = await freshStore();
		// PGlite admits one process per data directory: the CLI gets it to itself.
		if (!onPostgres) await store.db.close();
		tilesDir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-tiles-cli-'));
		env = { ...store.env, WIJKKAART_TILES_DIR: tilesDir };
	});
	afterAll(async () => {
		if (onPostgres) await store?.dispose();
		else if (store) rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		rmSync(tilesDir, { recursive: true, force: true });
	});

	it('refuses in Dutch while there are no areas, and writes nothing', async () => {
		const r = await runScript('scripts/tiles.ts', [], env);
		expect(r.code).not.toBe(0);
		expect(r.stderr).toMatch(/^Fout: er zijn nog geen gebieden; importeer eerst/m);
		expect(existsSync(file())).toBe(false);
	});

	it('builds the archive and sums up tiles, size and time', async () => {
		const db = onPostgres ? store.db : await openPglite(store.env.WIJKKAART_DATA_DIR);
		try {
			await insertUtrechtAreas(db);
		} finally {
			if (!onPostgres) await db.close();
		}
		const r = await runScript('scripts/tiles.ts', [], env);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/Klaar: \d+ tegels, \d+ kB, in \d+,\d s\./);
		expect(archiveProblem(file())).toBeNull();
	});
});
