import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { lockStore } from './lock.ts';
import { fromWire, type Reply, type Request } from './pglite-wire.ts';
import type { Db, QueryOptions, Sql } from './types.ts';

/**
 * PGlite in a worker thread, for the portal. Two reasons:
 * - a time budget per statement, as PostgreSQL's statement_timeout gives: PGlite's own timer
 *   is a setTimeout in the thread that runs the (synchronous) WASM query, so it never fires.
 *   Here the server's thread keeps the clock; a statement over budget has its worker
 *   terminated (that stops running WASM) and a new worker opens the same directory, with the
 *   WAL recovery of any crash. The caller gets StatementTimedOut, SQLSTATE 57014 like
 *   PostgreSQL's, so the hooks answer it as they answer PostgreSQL (http/expensive.ts);
 * - the event loop stays free while a statement runs: requests that need no store (files,
 *   refusals, rate limits) are answered meanwhile.
 *
 * Statements are handed to the worker one at a time (PGlite runs one at a time anyway), so the
 * clock of a statement starts when it starts, not while it waits. A call still waiting here
 * when a statement is stopped was never handed over: it runs on the new worker. A transaction
 * holds the store from BEGIN to COMMIT, as in PGlite; BEGIN, COMMIT and ROLLBACK have no budget,
 * so a COMMIT is never stopped half-way and "acknowledged" stays "written".
 *
 * The server's thread holds the store's lock (lock.ts) for as long as the store is open, across
 * worker restarts: to lock.ts, this process is the owner throughout.
 */

/** A statement over the time budget, stopped. `code` is PostgreSQL's query_canceled. */
export class StatementTimedOut extends Error {
	readonly code = '57014';
	constructor(readonly budgetMs: number) {
		super(`statement gestopt na ${budgetMs} ms (tijdslimiet per statement)`);
	}
}

/** The worker ended on its own (a crash in WASM): the statement it ran has no answer. */
export class StoreWorkerLost extends Error {
	readonly code = 'store.worker_lost';
	constructor(cause: unknown) {
		super('de databasethread is onverwacht gestopt', { cause });
	}
}

const UNBOUNDED = Symbol('unbounded');

/**
 * The same store without a time budget, for work that may legitimately take long: CLI commands
 * the portal runs for an administrator (imports, admin/context.ts) and migrations at start.
 * Other stores come back unchanged.
 */
export function withoutBudget(db: Db): Db {
	return (db as Db & { [UNBOUNDED]?: Db })[UNBOUNDED] ?? db;
}

interface Pending {
	worker: Worker;
	resolve(rows: unknown[] | undefined): void;
	reject(err: Error): void;
}

/** How a worker is started in dev and tests (TypeScript source) and after `vite build` (a chunk). */
async function spawn(dataDir: string): Promise<Worker> {
	const { ENTRY_URL, ROLE } = await import('./pglite-worker-entry.ts');
	const source = ENTRY_URL.endsWith('.ts');
	const workerData = { role: ROLE, dataDir };
	// The build's chunk is plain JavaScript; the source (dev, tests) goes through tsx's loader.
	const worker = source
		? new Worker(
				`import(${JSON.stringify(tsxApi())}).then((t) => t.tsImport(${JSON.stringify(ENTRY_URL)}, ${JSON.stringify(ENTRY_URL)}))`,
				{ eval: true, workerData }
			)
		: new Worker(new URL(ENTRY_URL), { workerData });
	await new Promise<void>((resolve, reject) => {
		const failed = (err: Error) => {
			worker.off('message', first);
			void worker.terminate();
			reject(err);
		};
		const first = (r: Reply) => {
			if (r.id !== 0) return;
			worker.off('message', first);
			worker.off('error', failed);
			worker.off('exit', gone);
			if (r.ok) resolve();
			else failed(fromWire(r.error));
		};
		const gone = (code: number) =>
			failed(new Error(`databasethread stopte bij het openen (${code})`));
		worker.on('message', first);
		worker.once('error', failed);
		worker.once('exit', gone);
	});
	return worker;
}

function tsxApi(): string {
	// The ESM build of the API: require.resolve would name its CommonJS twin.
	const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
	return pathToFileURL(path.join(path.dirname(pkg), 'dist/esm/api/index.mjs')).href;
}

export async function openPgliteWorker(
	dataDir: string,
	opts: { budgetMs: number | null }
): Promise<Db> {
	mkdirSync(dataDir, { recursive: true });
	const lock = lockStore(dataDir);
	/** The worker that answers now; null while a new one is being opened (or after close). */
	let live: Worker | null = null;
	/** Why each ended worker ended, for calls that were bound to it (a transaction's). */
	const ended = new WeakMap<Worker, Error>();
	let current: Promise<Worker>;
	try {
		live = watch(await spawn(dataDir));
		current = Promise.resolve(live);
	} catch (err) {
		lock.release();
		throw err;
	}
	let seq = 0;
	let closed = false;
	const pending = new Map<number, Pending>();
	/** One call at a time; a transaction holds it from BEGIN to its end. */
	let lane: Promise<unknown> = Promise.resolve();

	function exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const run = lane.then(fn);
		lane = run.catch(() => {});
		return run;
	}

	function watch(worker: Worker): Worker {
		worker.on('message', (r: Reply) => {
			const call = pending.get(r.id);
			if (!call) return;
			pending.delete(r.id);
			if (r.ok) call.resolve('rows' in r ? r.rows : undefined);
			else call.reject(fromWire(r.error));
		});
		worker.once('error', (err) => replace(worker, new StoreWorkerLost(err)));
		worker.once('exit', (code) => replace(worker, new StoreWorkerLost(`exit ${code}`)));
		return worker;
	}

	function reopen(after: Promise<unknown>): Promise<Worker> {
		current = after.then(async () => (live = watch(await spawn(dataDir))));
		// A failed reopen is retried by the next call (worker()).
		current.catch((err) => {
			console.error('[db] databasethread niet opnieuw geopend:', (err as Error).message);
		});
		return current;
	}

	/** Ends a worker: its calls fail with `why`, and the next call waits for a new worker. */
	function replace(worker: Worker, why: Error): void {
		if (worker !== live) return;
		live = null;
		ended.set(worker, why);
		for (const [id, call] of pending)
			if (call.worker === worker) {
				pending.delete(id);
				call.reject(why);
			}
		if (closed) return;
		// The old thread must be gone before a new one touches the files.
		reopen(worker.terminate());
	}

	async function worker(): Promise<Worker> {
		if (closed) throw new Error('de database is gesloten');
		try {
			return await current;
		} catch {
			return reopen(Promise.resolve());
		}
	}

	async function send(
		msg: Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never,
		budgetMs: number | null,
		on?: Worker
	): Promise<unknown[] | undefined> {
		const w = on ?? (await worker());
		if (w !== live) throw ended.get(w) ?? new Error('de database is gesloten');
		return new Promise((resolve, reject) => {
			const id = ++seq;
			const timer =
				budgetMs === null
					? undefined
					: setTimeout(() => {
							if (pending.has(id)) replace(w, new StatementTimedOut(budgetMs));
						}, budgetMs);
			pending.set(id, {
				worker: w,
				resolve: (rows) => (clearTimeout(timer), resolve(rows)),
				reject: (err) => (clearTimeout(timer), reject(err))
			});
			w.postMessage({ ...msg, id } as Request);
		});
	}

	let txSeq = 0;
	const make = (budgetMs: number | null): Db => ({
		kind: 'pglite',
		query: <T>(text: string, params: unknown[] = [], o: QueryOptions = {}) =>
			exclusive(
				async () => (await send({ op: 'query', tx: null, text, params, opts: o }, budgetMs)) as T[]
			),
		exec: (script) =>
			exclusive(async () => void (await send({ op: 'exec', text: script }, budgetMs))),
		transaction: <T>(fn: (tx: Sql) => Promise<T>) =>
			exclusive(async () => {
				const tx = ++txSeq;
				const w = await worker();
				await send({ op: 'begin', tx }, null, w);
				// Statements of one transaction run in turn, each with its own clock.
				let chain: Promise<unknown> = Promise.resolve();
				const sql: Sql = {
					query<R>(text: string, params: unknown[] = [], o: QueryOptions = {}) {
						const run = chain.then(
							async () =>
								(await send({ op: 'query', tx, text, params, opts: o }, budgetMs, w)) as R[]
						);
						chain = run.catch(() => {});
						return run;
					}
				};
				let result: T;
				try {
					result = await fn(sql);
					await chain;
				} catch (err) {
					await send({ op: 'rollback', tx }, null, w).catch(() => {});
					throw err;
				}
				await send({ op: 'commit', tx }, null, w);
				return result;
			}),
		async close() {
			if (closed) return;
			try {
				await lane;
				const w = await worker().catch(() => null);
				closed = true;
				if (w) {
					await send({ op: 'close' }, null, w).catch(() => {});
					live = null;
					await w.terminate();
				}
			} finally {
				closed = true;
				lock.release();
			}
		}
	});
	const db = make(opts.budgetMs);
	return Object.assign(db, { [UNBOUNDED]: make(null) });
}
