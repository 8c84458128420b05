import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import { lockStore } from './lock.ts';
import type { Db, Sql } from './types.ts';

export async function openPglite(dataDir: string): Promise<Db> {
	const memory = dataDir.startsWith('memory://');
	if (!memory) mkdirSync(dataDir, { recursive: true });
	// Before PGlite touches a file: a second process on the same directory corrupts it.
	const lock = memory ? null : lockStore(dataDir);
	let pg: PGlite;
	try {
		pg = await PGlite.create(dataDir, { extensions: { postgis, pg_trgm } });
		await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis');
	} catch (err) {
		lock?.release();
		throw err;
	}

	const wrap = (q: { query: PGlite['query'] }): Sql => ({
		async query<T>(text: string, params: unknown[] = []) {
			const res = await q.query<T>(text, params);
			return res.rows;
		}
	});

	return {
		kind: 'pglite',
		...wrap(pg),
		async exec(script) {
			await pg.exec(script);
		},
		transaction(fn) {
			return pg.transaction((tx) => fn(wrap(tx)));
		},
		async close() {
			try {
				await pg.close();
			} finally {
				lock?.release();
			}
		}
	};
}
