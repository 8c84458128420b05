import { rmSync } from 'node:fs';
import { closeDb, getDb } from '../../src/lib/server/db/index.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import type { TestStore } from './db.ts';

/**
 * Hands a filled test store to the code that opens the store from the environment, as the
 * server does (hooks.server.ts → getDb): PGlite admits one opener, so the test's own handle is
 * closed first. Returns the store as getDb opened it, and the cleanup for afterAll.
 */
export async function serveToHooks(
	store: TestStore
): Promise<{ db: Db; dispose(): Promise<void> }> {
	const serverUrl = process.env.DATABASE_URL;
	if (store.db.kind === 'pglite') {
		await store.db.close();
		process.env.WIJKKAART_DATA_DIR = store.env.WIJKKAART_DATA_DIR;
		process.env.DATABASE_URL = '';
	} else process.env.DATABASE_URL = store.env.DATABASE_URL;
	const db = await getDb();
	return {
		db,
		async dispose() {
			await closeDb();
			// dispose() of a PostgreSQL test store drops its database from the server it came from.
			process.env.DATABASE_URL = serverUrl;
			if (store.db.kind === 'pglite')
				rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
			else await store.dispose();
		}
	};
}
