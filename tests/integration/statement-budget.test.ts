import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../src/lib/server/config.ts';
import { storeOwner } from '../../src/lib/server/db/lock.ts';
import { openPgliteWorker, withoutBudget } from '../../src/lib/server/db/pglite-worker.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { overBudget } from '../../src/lib/server/http/expensive.ts';
import { freshStore, onPostgres, storeName, type TestStore } from '../helpers/db.ts';

/**
 * A statement of the server over its time budget is stopped, on both stores: PostgreSQL's
 * statement_timeout, PGlite's worker thread terminated and reopened (db/pglite-worker.ts). The
 * error is the one the hooks answer 503 (overBudget, SQLSTATE 57014), it comes after about the
 * budget and not after the statement, and nothing acknowledged is lost.
 */
const BUDGET_MS = 1500;
const SLEEP_S = 12;

describe(`statement time budget on ${storeName}`, () => {
	let store: TestStore;
	let db: Db;

	beforeAll(async () => {
		store = await freshStore();
		await store.db.exec('CREATE TABLE budget_probe (id int PRIMARY KEY, note text)');
		if (onPostgres) {
			db = await openPostgres(store.env.DATABASE_URL, {
				...config(),
				statementTimeoutMs: BUDGET_MS
			});
		} else {
			await store.db.close();
			db = store.db = await openPgliteWorker(store.env.WIJKKAART_DATA_DIR, {
				budgetMs: BUDGET_MS
			});
		}
	});
	afterAll(async () => {
		if (onPostgres) await db?.close();
		await store?.dispose();
	});

	// Read without the budget: the first statements of a reopened PGlite are slow on a loaded machine.
	const ids = async () =>
		(await withoutBudget(db).query<{ id: number }>('SELECT id FROM budget_probe ORDER BY id')).map(
			(r) => r.id
		);

	/** Runs the statement; its error (or null) and how long it took. */
	async function timed(p: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
		const t = performance.now();
		try {
			await p;
			return { err: null, ms: performance.now() - t };
		} catch (err) {
			return { err, ms: performance.now() - t };
		}
	}

	it('stops a statement over the budget with the 503-class error, long before it would end; keeps a committed write and runs the write queued behind it', async () => {
		await db.transaction((tx) => tx.query(`INSERT INTO budget_probe VALUES (1, 'vooraf')`));
		// Error classes and fields cross the thread: a duplicate key is 23505.
		const dup = await timed(db.query(`INSERT INTO budget_probe VALUES (1, 'dubbel')`));
		expect((dup.err as { code?: string }).code).toBe('23505');
		const slow = timed(db.query(`SELECT pg_sleep(${SLEEP_S})`));
		const queued = timed(db.query(`INSERT INTO budget_probe VALUES (2, 'erachter') RETURNING id`));
		const { err, ms } = await slow;
		expect(overBudget(err)).toBe(true);
		// About the budget; far from the statement's 12 s even on a loaded machine.
		expect(ms).toBeLessThan((SLEEP_S * 1000) / 2);
		// Handed to the store only after the stop (PGlite), or beside it (PostgreSQL): it runs,
		// and what was acknowledged is there.
		expect((await queued).err).toBeNull();
		expect(await ids()).toEqual([1, 2]);
	});

	it('rolls back a whole transaction whose statement is stopped', async () => {
		const { err } = await timed(
			db.transaction(async (tx) => {
				await tx.query(`INSERT INTO budget_probe VALUES (3, 'binnen')`);
				await tx.query(`SELECT pg_sleep(${SLEEP_S})`);
			})
		);
		expect(overBudget(err)).toBe(true);
		expect(await ids()).toEqual([1, 2]);
	});

	it.skipIf(onPostgres)(
		'keeps the store locked to this process across the restart, and lets unbudgeted work (admin commands, migrations) run long',
		async () => {
			expect(storeOwner(store.env.WIJKKAART_DATA_DIR)).toBe(process.pid);
			const long = await timed(withoutBudget(db).query('SELECT pg_sleep(1)'));
			expect(long.err).toBeNull();
			expect(long.ms).toBeGreaterThan(900);
		}
	);
});
