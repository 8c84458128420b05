import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';

export type StoreKind = 'pglite' | 'postgres';

/** A throwaway store for one benchmark pass, grown in place from the smallest size to the largest. */
export interface BenchStore {
	kind: StoreKind;
	/** The open store; PGlite is opened again after a server had it. */
	db(): Promise<Db>;
	/** Environment that points the built server at this store. */
	env: Record<string, string>;
	/** PGlite admits one process per data directory: let go before a server opens it. */
	release(): Promise<void>;
	drop(): Promise<void>;
}

export async function openBenchStore(kind: StoreKind, url?: string): Promise<BenchStore> {
	// The built server writes its area tiles here, not into the working copy's tiles/.
	const tilesDir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-bench-tiles-'));
	if (kind === 'pglite') {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-bench-'));
		let open: Db | null = await openPglite(dir);
		await migrate(open);
		const release = async () => {
			if (open) await open.close();
			open = null;
		};
		return {
			kind,
			db: async () => (open ??= await openPglite(dir)),
			env: { WIJKKAART_DATA_DIR: dir, DATABASE_URL: '', WIJKKAART_TILES_DIR: tilesDir },
			release,
			drop: async () => {
				await release();
				rmSync(dir, { recursive: true, force: true });
				rmSync(tilesDir, { recursive: true, force: true });
			}
		};
	}
	if (!url) throw new Error('PostgreSQL gevraagd maar geen DATABASE_URL');
	const name = `wk_bench_${process.pid}_${Date.now() % 100000}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	const u = new URL(url);
	u.pathname = `/${name}`;
	const db = await openPostgres(u.toString());
	await migrate(db);
	return {
		kind,
		db: async () => db,
		env: { DATABASE_URL: u.toString(), WIJKKAART_TILES_DIR: tilesDir },
		release: async () => {},
		drop: async () => {
			await db.close();
			const a = new pg.Client({ connectionString: url });
			await a.connect();
			await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await a.end();
			rmSync(tilesDir, { recursive: true, force: true });
		}
	};
}
