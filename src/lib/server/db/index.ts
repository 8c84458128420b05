import { borrowedStore } from '../admin/context.ts';
import { config } from '../config.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPgliteWorker, withoutBudget } from './pglite-worker.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Sql } from './types.ts';
export { migrate } from './migrate.ts';

/**
 * Opens the configured store and brings its schema up to date. A command that the running
 * portal executes for the CLI (admin/channel.ts) gets the portal's own store instead.
 */
export async function openDb(cfg = config()): Promise<Db> {
	const borrowed = borrowedStore();
	if (borrowed) return borrowed;
	const db = cfg.databaseUrl
		? await openPostgres(cfg.databaseUrl)
		: // The portal: in a worker, with the statement budget. The CLI alone, and a store in
			// memory (a new worker could not reopen it), in this thread: nothing to stop there.
			cfg.pgliteWorker && !cfg.dataDir.startsWith('memory://')
			? await openPgliteWorker(cfg.dataDir, { budgetMs: cfg.statementTimeoutMs })
			: await openPglite(cfg.dataDir);
	try {
		// A migration may rebuild an index of a large store: it runs as long as it needs.
		await migrate(withoutBudget(db));
	} catch (err) {
		await db.close();
		throw err;
	}
	return db;
}

let shared: Promise<Db> | null = null;

/** One store per process; the server and scripts share this. */
export function getDb(): Promise<Db> {
	shared ??= openDb().catch((err) => {
		shared = null;
		throw err;
	});
	return shared;
}

let replica: Promise<Db> | null = null;

/**
 * The store for reads that may lag a moment behind: a replica when DATABASE_READ_URL is set
 * (never migrated from here: replicas follow the primary), else the one store.
 */
export function getReadDb(cfg = config()): Promise<Db> {
	if (!cfg.databaseReadUrl) return getDb();
	replica ??= openPostgres(cfg.databaseReadUrl).catch((err) => {
		replica = null;
		throw err;
	});
	return replica;
}

export async function closeDb(): Promise<void> {
	const open = [shared, replica];
	shared = replica = null;
	for (const p of open) await (await p?.catch(() => null))?.close();
}
