import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Sql } from './types.ts';

export async function openPglite(dataDir: string): Promise<Db> {
	if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
	const pg = await PGlite.create(dataDir, { extensions: { postgis, pg_trgm } });
	await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis');

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
			await pg.close();
		}
	};
}
