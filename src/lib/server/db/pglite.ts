import { mkdirSync } from 'node:fs';
import { PGlite, type Results } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import { SelfCheckFailed, StatementFailed } from './statement-failed.ts';
import { lockStore } from './lock.ts';
import { TYPE_PARSERS } from './parsers.ts';
import type { Db, Sql } from './types.ts';

/**
 * Warnings PostgreSQL writes when a statement was abandoned half-way and its resources were
 * cleaned up without the error that should have ended it (PostgreSQL 17+ and older wording).
 */
const LEAK = /resource was not closed|snapshot .* still active|reference leak/i;

interface Notice {
	severity?: string;
	message?: string;
}

/**
 * Whether PGlite swallowed an error in this statement. A GEOS exception inside the WASM build
 * stops the statement without an ErrorResponse: no CommandComplete arrives, so the result has
 * no `command` (PGlite fills in an empty result), and the abandoned statement's resources
 * come back as leak WARNINGs. Every statement that ran to its end has a command tag, also a
 * SELECT of no rows or a DDL statement, so the missing tag is the signal; the warnings also
 * catch a statement that failed in the middle of a multi-statement script.
 */
export function swallowedError(
	results: Pick<Results, 'command'>[],
	notices: Notice[]
): string[] | null {
	const leaks = notices
		.filter((n) => n.severity === 'WARNING' && LEAK.test(n.message ?? ''))
		.map((n) => n.message!);
	return leaks.length > 0 || results.some((r) => r.command === undefined) ? leaks : null;
}

/**
 * A self-intersecting polygon (a "bowtie") in an overlay: PostgreSQL raises a
 * TopologyException, PGlite 0.5.8 + pglite-postgis 0.2.8 answer nothing. Either way it must
 * end in an error; a build where it does not would make empty answers silently wrong.
 */
export const BOWTIE_CHECK = `SELECT ST_Area(ST_Intersection(
	ST_GeomFromText('POLYGON((0 0,2 2,2 0,0 2,0 0))'),
	ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))'))) AS a`;

/**
 * Resolves when the statement raises as a GEOS failure does: swallowed and caught here, or
 * reported the way PostGIS reports GEOS errors (SQLSTATE XX000). Anything else, an answer
 * included, is SelfCheckFailed.
 */
export async function checkErrorsRaise(sql: Sql, statement = BOWTIE_CHECK): Promise<void> {
	try {
		await sql.query(statement, [], { purpose: 'selfCheck' });
	} catch (err) {
		if (err instanceof StatementFailed || (err as { code?: unknown }).code === 'XX000') return;
		throw new SelfCheckFailed({ cause: err });
	}
	throw new SelfCheckFailed();
}

export interface PgliteOptions {
	/** Only for tests that simulate a PGlite build whose overlay errors do not raise. */
	selfCheckStatement?: string;
	/**
	 * false when the caller holds the store's lock itself: the worker store (pglite-worker.ts)
	 * keeps it in the server's thread across worker restarts.
	 */
	lock?: boolean;
}

export async function openPglite(dataDir: string, opts: PgliteOptions = {}): Promise<Db> {
	const memory = dataDir.startsWith('memory://');
	if (!memory) mkdirSync(dataDir, { recursive: true });
	// Before PGlite touches a file: a second process on the same directory corrupts it.
	const lock = memory || opts.lock === false ? null : lockStore(dataDir);
	let pg: PGlite;
	try {
		pg = await PGlite.create(dataDir, { extensions: { postgis, pg_trgm }, parsers: TYPE_PARSERS });
		await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis');
	} catch (err) {
		lock?.release();
		throw err;
	}

	const wrap = (q: { query: PGlite['query'] }): Sql => ({
		async query<T>(text: string, params: unknown[] = [], o: Parameters<Sql['query']>[2] = {}) {
			const notices: Notice[] = [];
			const res = await q.query<T>(text, params, { onNotice: (n) => notices.push(n) });
			const leaks = swallowedError([res], notices);
			if (leaks) throw new StatementFailed(o.purpose ?? null, text, leaks);
			return res.rows;
		}
	});

	const db: Db = {
		kind: 'pglite',
		...wrap(pg),
		async exec(script) {
			const notices: Notice[] = [];
			await pg.exec(script, { onNotice: (n) => notices.push(n) });
			// A script of comments only ends in no command tag; here the warnings are the signal.
			const leaks = swallowedError([], notices);
			if (leaks) throw new StatementFailed(null, script, leaks);
		},
		transaction(fn) {
			return pg.transaction((tx) => fn(wrap(tx)));
		},
		async close() {
			try {
				// Closing twice is harmless: a test or CLI that lets go of the store early
				// should not make the final clean-up fail.
				if (!pg.closed) await pg.close();
			} finally {
				lock?.release();
			}
		}
	};
	try {
		await checkErrorsRaise(db, opts.selfCheckStatement);
	} catch (err) {
		await pg.close();
		lock?.release();
		throw err;
	}
	return db;
}
