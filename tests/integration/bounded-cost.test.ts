import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { handle, handleError } from '../../src/hooks.server.ts';
import { QUEUE } from '../../src/lib/server/http/expensive.ts';
import { freshStore, storeName } from '../helpers/db.ts';
import { serveToHooks } from '../helpers/hooks-store.ts';

/**
 * Expensive public endpoints cost a bounded amount: a per-client rate (429, Dutch and English),
 * a bounded number at once with a bounded queue (503) while cheap requests pass, and a statement
 * time budget (503): PostgreSQL's statement_timeout, PGlite's worker stopped (db/pglite-worker.ts). Driven through the real hooks; the handler is a
 * stand-in that behaves as SvelteKit does (an error becomes handleError + 500).
 */
describe(`bounded cost of expensive endpoints on ${storeName}`, () => {
	let served: Awaited<ReturnType<typeof serveToHooks>>;
	const timeout = process.env.WIJKKAART_STATEMENT_TIMEOUT_MS;

	beforeAll(async () => {
		process.env.WIJKKAART_EXPENSIVE_CONCURRENCY = '1';
		// The budget is the server's: the test store is created and migrated without it.
		const store = await freshStore();
		// Wide enough for the first statements of a PGlite worker just reopened on a loaded machine.
		process.env.WIJKKAART_STATEMENT_TIMEOUT_MS = '1500';
		served = await serveToHooks(store);
	});
	afterAll(async () => {
		await served?.dispose();
		process.env.WIJKKAART_STATEMENT_TIMEOUT_MS = timeout;
	});

	function event(path: string, client: string): RequestEvent {
		const url = new URL(`http://portal.test${path}`);
		return {
			request: new Request(url),
			url,
			route: { id: url.pathname },
			params: {},
			locals: {},
			cookies: { get: () => undefined, set: () => {}, delete: () => {} },
			getClientAddress: () => client,
			setHeaders: () => {}
		} as unknown as RequestEvent;
	}

	/** What SvelteKit does around an endpoint: a thrown error is reported to handleError and answered 500. */
	const endpoint = (work: (e: RequestEvent) => Promise<unknown>) => async (e: RequestEvent) => {
		try {
			await work(e);
			return new Response('{}', { status: 200 });
		} catch (error) {
			await handleError({ error, event: e, status: 500, message: 'Internal Error' });
			return new Response('{}', { status: 500 });
		}
	};
	const run = (
		path: string,
		client: string,
		work: (e: RequestEvent) => Promise<unknown> = async () => {}
	) => handle({ event: event(path, client), resolve: endpoint(work) as never });

	it('answers the 31st expensive request of a client in a minute with 429, in Dutch or English; others go on', async () => {
		// The count is per clock minute: do not start just before one ends.
		const left = 60_000 - (Date.now() % 60_000);
		if (left < 5_000) await new Promise((r) => setTimeout(r, left + 100));
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++)
			statuses.push((await run('/api/analyse/trend', '192.0.2.1')).status);
		expect(statuses.every((s) => s === 200)).toBe(true);
		const refused = await run('/api/analyse/trend', '192.0.2.1');
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('60');
		expect((await refused.json()).error).toMatch(/te veel zware verzoeken/);
		const en = await run('/api/items?format=csv&lang=en', '192.0.2.1');
		expect([en.status, (await en.json()).error]).toEqual([
			429,
			expect.stringMatching(/too many heavy requests/)
		]);
		expect((await run('/feeds/punt.atom?lat=52.09&lon=5.12&r=1000', '192.0.2.2')).status).toBe(200);
		// A cheap request of the same client is not counted.
		expect((await run('/api/items?limit=1', '192.0.2.1')).status).toBe(200);
	});

	it('runs one expensive request at a time, queues a few, refuses the rest with 503, and lets cheap ones through', async () => {
		let open!: () => void;
		const gate = new Promise<void>((r) => (open = r));
		const slow = Array.from({ length: 1 + QUEUE + 3 }, (_, i) =>
			run('/api/adressen?q=kerk', `198.51.100.${i}`, () => gate)
		);
		await new Promise((r) => setTimeout(r, 100));
		// While the slot is taken and the queue full: a cheap request is answered at once.
		const cheap = await Promise.race([
			run('/healthz', '203.0.113.9'),
			new Promise<null>((r) => setTimeout(() => r(null), 5_000))
		]);
		expect(cheap?.status).toBe(200);
		open();
		const statuses = (await Promise.all(slow)).map((r) => r.status);
		expect(statuses.filter((s) => s === 200).length).toBe(1 + QUEUE);
		expect(statuses.filter((s) => s === 503).length).toBe(3);
		const busy = (await Promise.all(slow)).find((r) => r.status === 503)!;
		expect((await busy.json()).error).toMatch(/vraagt op dit moment te veel van de server/);
	});

	it('stops a statement over the time budget and answers 503, with the event loop free meanwhile; the store answers after', async () => {
		const t = performance.now();
		const slow = run('/api/analyse/clusters', '192.0.2.50', (e) =>
			(e.locals as App.Locals).db.query('SELECT pg_sleep(20)')
		);
		await new Promise((r) => setTimeout(r, 300));
		// While the statement runs, this thread serves: a timer is on time (in-thread PGlite
		// would hold it until the statement ended).
		const tick = performance.now();
		await new Promise((r) => setTimeout(r, 10));
		expect(performance.now() - tick).toBeLessThan(1_000);
		const res = await slow;
		expect(res.status).toBe(503);
		expect((await res.json()).error).toMatch(/te veel van de server/);
		// Stopped, not waited out.
		expect(performance.now() - t).toBeLessThan(10_000);
		const after = await run('/healthz', '192.0.2.51', (e) =>
			(e.locals as App.Locals).db.query('SELECT 1')
		);
		expect(after.status).toBe(200);
	});
});
