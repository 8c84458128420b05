import pg from 'pg';
import type { Db, Sql } from './types.ts';
import { TYPE_PARSERS } from './parsers.ts';

/** The same JS types as PGlite (parsers.ts); every other type as node-postgres reads it. */
const types = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};
import { config } from '../config.ts';

export async function openPostgres(url: string, cfg = config()): Promise<Db> {
	const pool = new pg.Pool({
		connectionString: url,
		types,
		max: cfg.dbPoolSize,
		connectionTimeoutMillis: 5_000,
		// Set by the server (http/expensive.ts): no single statement of a request runs longer. CLI
		// commands (imports, backups) leave it unset and run as long as they need.
		statement_timeout: cfg.statementTimeoutMs ?? undefined
	});
	// An idle client that loses its server must not crash the process.
	pool.on('error', (err) => console.error('[db] verbinding verloren:', err.message));
	const client = await pool.connect();
	try {
		await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
	} finally {
		client.release();
	}

	const wrap = (q: pg.Pool | pg.PoolClient): Sql => ({
		async query<T>(text: string, params: unknown[] = []) {
			const res = await q.query(text, params as unknown[]);
			return res.rows as T[];
		}
	});

	return {
		kind: 'postgres',
		...wrap(pool),
		async exec(script) {
			await pool.query(script);
		},
		async transaction(fn) {
			const conn = await pool.connect();
			try {
				await conn.query('BEGIN');
				const result = await fn(wrap(conn));
				await conn.query('COMMIT');
				return result;
			} catch (err) {
				await conn.query('ROLLBACK').catch(() => {});
				throw err;
			} finally {
				conn.release();
			}
		},
		async close() {
			await pool.end();
		}
	};
}
