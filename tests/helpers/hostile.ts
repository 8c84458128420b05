import { rmSync } from 'node:fs';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { freshStore, type TestStore } from './db.ts';
import { startServer, type RunningServer } from './server.ts';

/** What must never reach a user: a JS stack frame, or the store's own error text. */
export const LEAK =
	/\bat \S+:\d+|syntax error|relation "|\bpg_|SQLSTATE|invalid input syntax|violates \S+ constraint|column "|duplicate key/i;

/**
 * The leak in a response, if any, with some text around it. Tracking links are left out first:
 * their random token may spell "pG_" (about one run in six did, over ~300 submissions).
 */
export function leakIn(text: string): string | null {
	const plain = text.replace(/\/volg\/[A-Za-z0-9_-]+/g, '/volg/…');
	const m = LEAK.exec(plain);
	return m ? `${m[0]} in ${plain.slice(Math.max(0, m.index - 80), m.index + 80)}` : null;
}

/**
 * Tables that change on requests that change nothing a user owns; each left out of the hash:
 * - rate_limit: every submission and address search counts a hit per client, refused or not.
 * - login_attempt: every sign-in attempt is counted for the login throttle, failed ones above all.
 * - staff_session: last_seen_at moves on every request with a session cookie; logout ends one.
 * - data_version: a counter that triggers bump on every legitimate item write; the items
 *   themselves are checked.
 * - item_cell: counts that triggers derive from the public items; the items themselves are
 *   checked, and tests/integration/item-cells.test.ts checks the counts against them.
 */
export const VOLATILE = [
	'rate_limit',
	'login_attempt',
	'staff_session',
	'data_version',
	'item_cell'
];

/**
 * audit_log is append-only and kept in the hash, except its sign-in rows (a failed login
 * must be recorded) and the rows about items the caller says may change (`items`).
 */
const AUDIT_IGNORED = `action IN ('login', 'login.failed', 'login.throttled', 'logout')`;

/**
 * Content hash per table. `items` (item ids) and every item above `newerThan` are left out of
 * item and of the tables that hang off an item: the caller checks those rows itself.
 */
export async function tableHashes(
	db: Db,
	opts: { items?: number[]; newerThan?: number; skip?: string[]; skipAuditOf?: string[] } = {}
): Promise<Record<string, string>> {
	const ids = (opts.items ?? []).map(Number);
	const max = opts.newerThan ?? Number.MAX_SAFE_INTEGER;
	const keep = (col: string) =>
		`(${col} <= ${max}${ids.length ? ` AND ${col} NOT IN (${ids.join(',')})` : ''})`;
	const tables = await db.query<{ t: string }>(
		`SELECT table_name AS t FROM information_schema.tables
		 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
		   AND table_name NOT IN ('spatial_ref_sys', 'schemaversion') ORDER BY 1`
	);
	const withItemId = new Set(
		(
			await db.query<{ t: string }>(
				`SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'item_id'`
			)
		).map((r) => r.t)
	);
	const out: Record<string, string> = {};
	for (const { t } of tables) {
		if (VOLATILE.includes(t) || opts.skip?.includes(t)) continue;
		let where = 'true';
		if (t === 'item') where = keep('id');
		else if (t === 'item_link') where = `${keep('item_id')} AND ${keep('linked_id')}`;
		else if (withItemId.has(t)) where = keep('item_id');
		else if (t === 'audit_log') {
			const entities = (opts.skipAuditOf ?? []).map((e) => `'${e.replaceAll("'", "''")}'`);
			where = `NOT (${AUDIT_IGNORED}) ${entities.length ? `AND entity NOT IN (${entities.join(',')})` : ''} AND NOT (entity = 'item' AND CASE WHEN entity_id ~ '^[0-9]{1,15}$' THEN NOT ${keep('entity_id::bigint')} ELSE false END)`;
		}
		const [row] = await db.query<{ h: string | null }>(
			`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x WHERE ${where}`
		);
		out[t] = row.h ?? '';
	}
	return out;
}

/** The tables whose hash differs, for a readable failure. */
export function changedTables(
	before: Record<string, string>,
	after: Record<string, string>
): string[] {
	return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
		(t) => before[t] !== after[t]
	);
}

/**
 * The production build on a fresh store. PGlite admits one process per data directory, so
 * `withStore` stops the server, opens the store, and starts the server again (on a new port:
 * read `base` afresh). On PostgreSQL the test reads alongside the running server.
 */
export interface HostileServer {
	store: TestStore;
	server: RunningServer;
	readonly base: string;
	withStore<T>(fn: (db: Db) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

export async function hostileServer(
	seed: (db: Db) => Promise<void>,
	extraEnv: Record<string, string> = {}
): Promise<HostileServer> {
	const store = await freshStore();
	await seed(store.db);
	const pglite = store.db.kind === 'pglite';
	if (pglite) await store.db.close();
	// The rate limits are tested elsewhere; here every hostile request must reach the handler.
	const env: Record<string, string> = {
		...store.env,
		WIJKKAART_RATE_SUBMIT: '1000000',
		WIJKKAART_RATE_SEARCH: '1000000',
		WIJKKAART_RATE_EXPENSIVE: '1000000',
		...extraEnv
	};
	let server = await startServer(env);
	const h: HostileServer = {
		store,
		get server() {
			return server;
		},
		get base() {
			return server.url;
		},
		async withStore(fn) {
			if (!pglite) return fn(store.db);
			await server.stop();
			const db = await openPglite(env.WIJKKAART_DATA_DIR);
			try {
				return await fn(db);
			} finally {
				await db.close();
				server = await startServer(env);
			}
		},
		async close() {
			await server.stop();
			if (pglite) rmSync(env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
			else await store.dispose();
		}
	};
	return h;
}
