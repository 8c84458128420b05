import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/db.ts';
import { freePort, startServer, type RunningServer } from '../helpers/server.ts';

const PGBIN = '/usr/lib/postgresql/15/bin';

/** Runs a PostgreSQL tool as the postgres user, as .ci/run does. */
function asPostgres(cmd: string): void {
	execFileSync('su', ['postgres', '-c', cmd], { stdio: 'pipe', timeout: 60_000 });
}

/**
 * The database goes away under a running portal and comes back. Needs a PostgreSQL of its own to
 * stop, so it runs only on the PostgreSQL path (DATABASE_URL set), beside the CI server.
 */
describe.skipIf(!onPostgres)('the portal when its PostgreSQL stops and starts again', () => {
	let dir: string;
	let port: number;
	let server: RunningServer;
	const pgctl = (action: string) =>
		asPostgres(
			`${PGBIN}/pg_ctl -D ${dir}/data -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off' -l ${dir}/log -w ${action}`
		);

	beforeAll(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-pgdown-'));
		chmodSync(dir, 0o777);
		port = await freePort();
		asPostgres(`${PGBIN}/initdb -D ${dir}/data -A trust -U postgres >/dev/null`);
		pgctl('start');
		asPostgres(`psql -h 127.0.0.1 -p ${port} -U postgres -qc 'CREATE DATABASE wijkkaart'`);
		server = await startServer({
			DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/wijkkaart`,
			DATABASE_READ_URL: ''
		});
	});

	afterAll(async () => {
		await server?.stop();
		if (dir) {
			try {
				asPostgres(`${PGBIN}/pg_ctl -D ${dir}/data -m immediate stop`);
			} catch {
				/* already stopped */
			}
			rmSync(dir, { recursive: true, force: true });
		}
	});

	async function timed(p: string): Promise<{ status: number; ms: number; text: string }> {
		const t = performance.now();
		const res = await fetch(server.url + p, { signal: AbortSignal.timeout(15_000) });
		return { status: res.status, ms: performance.now() - t, text: await res.text() };
	}

	it('answers 503 in Dutch within seconds while it is down, and recovers by itself', async () => {
		for (const p of ['/api/items', '/healthz', '/']) expect((await timed(p)).status, p).toBe(200);

		pgctl('stop -m fast');
		for (const p of ['/api/items', '/healthz', '/']) {
			const r = await timed(p);
			expect(r.status, `${p}: ${r.text.slice(0, 200)}`).toBe(503);
			expect(r.ms, p).toBeLessThan(8_000);
			expect(r.text).toMatch(/database (is even niet bereikbaar|antwoordt niet)/);
			expect(r.text).not.toMatch(/\n\s+at \S+/);
		}

		pgctl('start');
		await expect
			.poll(async () => (await timed('/api/items')).status, { timeout: 20_000, interval: 500 })
			.toBe(200);
		for (const p of ['/healthz', '/']) expect((await timed(p)).status, p).toBe(200);
	});
});
