import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import pg from 'pg';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import type { Db } from '../../src/lib/server/db/types.ts';

export const onPostgres = Boolean(process.env.DATABASE_URL);
export const storeName = onPostgres ? 'PostgreSQL' : 'PGlite';

export interface TestStore {
	db: Db;
	/** Environment that points a child process (CLI, server) at this same store. */
	env: Record<string, string>;
	dispose(): Promise<void>;
}

/**
 * A fresh, migrated, empty store for one test file: a copy of the PGlite template, or a
 * clone of the migrated template database on the PostgreSQL server named by DATABASE_URL.
 */
export async function freshStore(): Promise<TestStore> {
	if (onPostgres) {
		const url = new URL(process.env.DATABASE_URL!);
		const name = `wk_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = new pg.Client({ connectionString: url.toString() });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
		await admin.end();
		url.pathname = `/${name}`;
		const db = await openPostgres(url.toString());
		return {
			db,
			env: { DATABASE_URL: url.toString() },
			async dispose() {
				await db.close();
				const a = new pg.Client({ connectionString: process.env.DATABASE_URL });
				await a.connect();
				await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
				await a.end();
			}
		};
	}
	const dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-test-'));
	cpSync(inject('pgliteTemplate'), dir, { recursive: true });
	const store: TestStore = {
		db: await openPglite(dir),
		env: { WIJKKAART_DATA_DIR: dir, DATABASE_URL: '' },
		async dispose() {
			// The test may have reopened the store after a CLI run: close the current one.
			await store.db.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
	return store;
}

/** Content hash of every user table, to prove that a failed write changed nothing. */
export async function storeHash(db: Db): Promise<string> {
	const tables = await db.query<{ t: string }>(
		`SELECT table_name AS t FROM information_schema.tables
		 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
		   AND table_name NOT IN ('spatial_ref_sys', 'schemaversion') ORDER BY 1`
	);
	const parts: string[] = [];
	for (const { t } of tables) {
		const [row] = await db.query<{ h: string | null }>(
			`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`
		);
		parts.push(`${t}:${row.h}`);
	}
	return parts.join(';');
}

export const SHARED_UTRECHT = path.resolve(import.meta.dirname, '../../../shared/data/utrecht');
