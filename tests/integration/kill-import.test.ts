import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/index.ts';
import { config } from '../../src/lib/server/config.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { freshStore, onPostgres, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { ROOT, runScript } from '../helpers/server.ts';
import { insertUtrechtAreas } from './items-setup.ts';

const ROWS = 60_000;

/** Opens the store the way the portal does (migrations included), so a damaged store would show here. */
async function inspect<T>(store: TestStore, fn: (db: Db) => Promise<T>): Promise<T> {
	const db = await openDb(config({ ...process.env, ...store.env }));
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

describe(`an items import killed halfway on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let file: string;
	let before: string;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await syncTaxonomy(store.db);
		before = await storeHash(store.db);
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-kill-'));
		file = path.join(dir, 'veel.csv');
		const lines = ['titel;lat;lon;kenmerk'];
		for (let i = 0; i < ROWS; i++)
			lines.push(
				`Melding ${i};${(52.06 + (i % 400) / 10_000).toFixed(5)};${(5.08 + Math.floor(i / 400) / 5_000).toFixed(5)};K-${i}`
			);
		writeFileSync(file, lines.join('\n'));
	});

	afterAll(async () => {
		if (onPostgres) await store?.dispose();
		else if (store) rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('leaves the store as it was, opens cleanly and imports on the second try', async () => {
		// tsx's CLI runs the script in a child process; loading tsx into one node process makes the
		// process that is killed the one that writes.
		const proc = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				'scripts/import.ts',
				'items',
				'--layer',
				'meldingen',
				'--theme',
				'openbare-ruimte',
				file
			],
			{
				cwd: ROOT,
				env: { ...process.env, ...store.env },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let out = '';
		const killed = await new Promise<string>((resolve) => {
			proc.stdout.on('data', (d) => {
				out += d;
				// Writing has begun (a tenth is in the open transaction): pull the plug.
				if (/geschreven/.test(out) && proc.exitCode === null && !proc.killed) {
					proc.kill('SIGKILL');
				}
			});
			proc.stderr.on('data', (d) => (out += d));
			proc.on('exit', (_code, signal) => resolve(String(signal)));
		});
		expect(killed, out).toBe('SIGKILL');
		expect(out).toMatch(/Items \(meldingen\): \d+\/60000 geschreven/);
		expect(out).not.toMatch(/geïmporteerd/);

		expect(await inspect(store, storeHash)).toBe(before);

		const again = await runScript(
			'scripts/import.ts',
			['items', '--layer', 'meldingen', '--theme', 'openbare-ruimte', file],
			store.env
		);
		expect(again.stderr).toBe('');
		expect(again.code).toBe(0);
		expect(again.stdout, again.stdout.slice(-400)).toMatch(
			/\d+ meldingen geïmporteerd uit veel.csv \(60000 gelezen\)/
		);
		const n = await inspect(
			store,
			async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM item`))[0].n
		);
		// Exactly one import's worth: nothing of the killed run survived beside it.
		expect(n).toBe(Number(/(\d+) meldingen geïmporteerd/.exec(again.stdout)![1]));
		expect(n).toBeGreaterThan(ROWS * 0.9);
		// Two 60k-row imports through the CLI on PGlite: ~40 s on a quiet machine, over 2 min when CI shares it.
	}, 360_000);
});
