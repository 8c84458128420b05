import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveProblem } from '../../src/lib/server/tiles/build.ts';
import { freshStore, onPostgres, storeName, type TestStore } from '../helpers/db.ts';
import { freePort, ROOT } from '../helpers/server.ts';
import { insertUtrechtAreas } from '../integration/items-setup.ts';

/** `npm start` finds its area tiles damaged or gone and rebuilds them before serving. */
describe(`npm start with lost area tiles (${storeName})`, () => {
	let store: TestStore;
	let tiles: string;
	let proc: ChildProcess | null = null;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		if (!onPostgres) await store.db.close();
		tiles = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-lost-tiles-'));
	});

	afterAll(async () => {
		if (proc && proc.exitCode === null) {
			const exited = new Promise((r) => proc!.once('exit', r));
			proc.kill('SIGTERM');
			await exited;
		}
		if (onPostgres) await store?.dispose();
		else if (store) rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		if (tiles) rmSync(tiles, { recursive: true, force: true });
	});

	async function start(): Promise<{ url: string; out: () => string }> {
		const port = await freePort();
		let out = '';
		// tsx loaded into this one process, so stopping it stops the server too.
		proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
			cwd: ROOT,
			env: {
				...process.env,
				...store.env,
				WIJKKAART_TILES_DIR: tiles,
				PORT: String(port),
				HOST: '127.0.0.1',
				ORIGIN: `http://127.0.0.1:${port}`
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		proc.stdout!.on('data', (d) => (out += d));
		proc.stderr!.on('data', (d) => (out += d));
		await expect
			.poll(() => out, { timeout: 120_000, interval: 250 })
			.toMatch(/Wijkkaart draait op|Fout|Error/);
		expect(out).toMatch(/Wijkkaart draait op/);
		return { url: `http://127.0.0.1:${port}`, out: () => out };
	}

	async function stop(): Promise<void> {
		const exited = new Promise((r) => proc!.once('exit', r));
		proc!.kill('SIGTERM');
		await exited;
	}

	it('rebuilds a garbled archive at start and serves it', async () => {
		const file = path.join(tiles, 'areas.pmtiles');
		writeFileSync(file, Buffer.alloc(4096, 0x5a));
		expect(archiveProblem(file)).not.toBeNull();
		const s = await start();
		expect(s.out()).toMatch(/Kaarttegels .*areas\.pmtiles .*; opnieuw maken uit 121 gebieden/);
		expect(archiveProblem(file)).toBeNull();
		const res = await fetch(`${s.url}/tiles/areas.pmtiles`, { headers: { range: 'bytes=0-126' } });
		expect(res.status).toBe(206);
		expect(
			Buffer.from(await res.arrayBuffer())
				.subarray(0, 7)
				.toString()
		).toBe('PMTiles');
		await stop();
	});

	it('builds a missing archive at start', async () => {
		const file = path.join(tiles, 'areas.pmtiles');
		rmSync(file);
		const s = await start();
		expect(s.out()).toMatch(/Kaarttegels .*areas\.pmtiles ontbreekt; maken uit 121 gebieden/);
		expect(archiveProblem(file)).toBeNull();
		await stop();
	});
});
