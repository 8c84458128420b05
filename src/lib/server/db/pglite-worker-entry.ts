import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openPglite } from './pglite.ts';
import { toWire, type Reply, type Request } from './pglite-wire.ts';
import type { Db, Sql } from './types.ts';

/**
 * The thread side of the worker store (pglite-worker.ts): opens PGlite on the data directory
 * and answers its parent's messages. Loaded twice: by the parent, only to learn where this file
 * is after bundling (ENTRY_URL; nothing runs then), and as the worker's own entry.
 */
export const ENTRY_URL = import.meta.url;
export const ROLE = 'wijkkaart-pglite';

interface OpenTx {
	sql: Sql;
	end(commit: boolean): void;
	done: Promise<void>;
}

const ROLLBACK = Symbol('rollback');

async function serve(dataDir: string): Promise<void> {
	const port = parentPort!;
	const post = (r: Reply) => port.postMessage(r);
	let db: Db;
	try {
		db = await openPglite(dataDir, { lock: false });
	} catch (err) {
		post({ id: 0, ok: false, error: toWire(err) });
		return;
	}
	const txs = new Map<number, OpenTx>();
	const on = (tx: number | null): Sql => {
		if (tx === null) return db;
		const open = txs.get(tx);
		if (!open) throw new Error(`transactie ${tx} is niet (meer) open`);
		return open.sql;
	};

	async function answer(m: Request): Promise<unknown[] | undefined> {
		switch (m.op) {
			case 'query':
				return on(m.tx).query(m.text, m.params, m.opts);
			case 'exec':
				await db.exec(m.text);
				return;
			case 'begin':
				await begin(m.tx);
				return;
			case 'commit':
			case 'rollback': {
				const open = txs.get(m.tx);
				if (!open) throw new Error(`transactie ${m.tx} is niet open`);
				txs.delete(m.tx);
				open.end(m.op === 'commit');
				await open.done.catch((err) => {
					if (err !== ROLLBACK) throw err;
				});
				return;
			}
			case 'close':
				await db.close();
				return;
		}
	}

	/** PGlite keeps the transaction open for as long as its callback runs: until commit/rollback. */
	function begin(id: number): Promise<void> {
		return new Promise<void>((started, failed) => {
			let end!: (commit: boolean) => void;
			const done = db.transaction(
				(sql) =>
					new Promise<void>((resolve, reject) => {
						end = (commit) => (commit ? resolve() : reject(ROLLBACK));
						txs.set(id, { sql, end, done });
						started();
					})
			);
			// BEGIN itself failed: the callback never ran.
			done.catch((err) => {
				if (!txs.has(id)) failed(err);
			});
		});
	}

	port.on('message', (m: Request) => {
		answer(m).then(
			(rows) => post({ id: m.id, ok: true, rows }),
			(err) => post({ id: m.id, ok: false, error: toWire(err) })
		);
	});
	post({ id: 0, ok: true, ready: true });
}

if (!isMainThread && (workerData as { role?: unknown } | null)?.role === ROLE)
	void serve((workerData as { dataDir: string }).dataDir);
