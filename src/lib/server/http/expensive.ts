import type { SecurityText } from './refuse.ts';
import { config } from '../config.ts';

/**
 * Bounded cost of the expensive public endpoints (a radius feed, analysis, search, CSV exports):
 * - per client, at most WIJKKAART_RATE_EXPENSIVE requests a minute (default 30) for anonymous
 *   visitors, else 429;
 * - for everyone, at most WIJKKAART_EXPENSIVE_CONCURRENCY of them at once (default 1 on the
 *   embedded store, which runs one query at a time for the whole process, 4 on PostgreSQL); up
 *   to QUEUE more wait at most WAIT_MS for a turn, the rest get 503 at once. So a burst of heavy
 *   requests takes one query slot at a time and cheap requests (pages, /healthz, the map) keep
 *   getting theirs in between;
 * - each statement of the server is stopped after WIJKKAART_STATEMENT_TIMEOUT_MS (default 20 s),
 *   answered 503 by the hooks: on PostgreSQL by statement_timeout (postgres.ts), on PGlite by
 *   terminating the worker thread it runs in (db/pglite-worker.ts).
 * Counts live in this process: they bound what this process does, which is the point.
 */
// The server's own default (this module is loaded by hooks.server.ts, never by the CLI): set
// before config() first reads it.
process.env.WIJKKAART_STATEMENT_TIMEOUT_MS ??= '20000';
// PGlite in a worker, so that the budget above can stop it; WIJKKAART_PGLITE_WORKER=0 keeps it in-thread.
process.env.WIJKKAART_PGLITE_WORKER ??= '1';

export type ExpensiveKind = 'feed' | 'analysis' | 'search' | 'export';

export function expensiveKind(url: URL): ExpensiveKind | null {
	const p = url.pathname;
	if (/^\/feeds\/punt\.[a-z]+$/.test(p)) return 'feed';
	if (p === '/analyse' || p.startsWith('/api/analyse/')) return 'analysis';
	if (p === '/api/adressen' || p === '/api/nabij' || p === '/in-de-buurt') return 'search';
	if (
		(p === '/api/items' && url.searchParams.get('format') === 'csv') ||
		/^\/api\/wijken\/[^/]+\/agenda\.csv$/.test(p)
	)
		return 'export';
	return null;
}

const WINDOW_MS = 60_000;
/** Clients remembered at most; beyond it the oldest windows are forgotten first. */
const MAX_CLIENTS = 20_000;
const hits = new Map<string, { start: number; n: number }>();

/** Counts one request of the client; true while within the minute's limit. */
export function withinRate(client: string, now = Date.now()): boolean {
	const max = config().rate.expensive;
	const start = now - (now % WINDOW_MS);
	const cur = hits.get(client);
	if (cur && cur.start === start) {
		cur.n++;
		// Refresh its place: the map's order is then oldest-touched first.
		hits.delete(client);
		hits.set(client, cur);
		return cur.n <= max;
	}
	hits.delete(client);
	hits.set(client, { start, n: 1 });
	while (hits.size > MAX_CLIENTS) hits.delete(hits.keys().next().value!);
	return 1 <= max;
}

export const QUEUE = 16;
export const WAIT_MS = 10_000;

/** A counting semaphore with a bounded, timed queue. */
export class Gate {
	#running = 0;
	#waiting: (() => void)[] = [];
	constructor(private readonly limit: () => number) {}

	get running(): number {
		return this.#running;
	}

	/** A release function once it is this request's turn, or null when it would wait too long. */
	async enter(waitMs = WAIT_MS): Promise<(() => void) | null> {
		if (this.#running < this.limit()) {
			this.#running++;
			return this.#release();
		}
		if (this.#waiting.length >= QUEUE) return null;
		return new Promise((resolve) => {
			const turn = () => {
				clearTimeout(timer);
				this.#running++;
				resolve(this.#release());
			};
			const timer = setTimeout(() => {
				this.#waiting = this.#waiting.filter((w) => w !== turn);
				resolve(null);
			}, waitMs);
			this.#waiting.push(turn);
		});
	}

	#release(): () => void {
		let done = false;
		return () => {
			if (done) return;
			done = true;
			this.#running--;
			this.#waiting.shift()?.();
		};
	}
}

export const expensiveGate = new Gate(() => config().expensiveConcurrency);

/** A statement stopped by the time budget: PostgreSQL's statement_timeout, or the PGlite worker's (both SQLSTATE 57014). */
export function overBudget(err: unknown): boolean {
	return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '57014';
}

export const BUSY: SecurityText = 'security.busy';
export const TOO_MANY: SecurityText = 'security.rate.expensive';
