import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db/index.ts';
import { config } from '../../src/lib/server/config.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { signIn } from '../../src/lib/server/auth/users.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import {
	freshStore,
	onPostgres,
	SHARED_UTRECHT,
	storeName,
	type TestStore
} from '../helpers/db.ts';
import { ROOT, runScript, startServer, type RunningServer } from '../helpers/server.ts';
import { insertUtrechtAreas } from '../integration/items-setup.ts';

/**
 * Issue 17 §1–2: every administrative command of the README run while the portal serves the
 * same store. On PGlite the portal owns the directory and runs the command itself; on
 * PostgreSQL both are clients of one database. Either way the running portal sees the change at
 * once, and after a restart the store holds exactly what the commands acknowledged.
 */

const PW_A = 'eerste-lang-wachtwoord';
const PW_B = 'tweede-lang-wachtwoord';

/** Opens the store the way the portal does (migrations included), so a damaged store would show here. */
async function inspect<T>(store: TestStore, fn: (db: Db) => Promise<T>): Promise<T> {
	const db = await openDb(config({ ...process.env, ...store.env }));
	try {
		return await fn(db);
	} finally {
		await db.close();
	}
}

async function login(base: string, email: string, password: string): Promise<string | null> {
	const res = await fetch(`${base}/login`, {
		method: 'POST',
		headers: {
			origin: base,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	const cookie = res.headers
		.getSetCookie()
		.find((c) => c.startsWith('wijkkaart_sessie=') && !c.startsWith('wijkkaart_sessie=;'));
	return res.status === 303 && cookie ? cookie.split(';')[0] : null;
}

/** What an open session gets on a page, a staff write in the API, and a staff-only page. */
async function probe(base: string, cookie: string, itemId: number) {
	const page = await fetch(`${base}/beheer/items`, { headers: { cookie }, redirect: 'manual' });
	const api = await fetch(`${base}/api/items/${itemId}/status`, {
		method: 'POST',
		headers: { cookie, origin: base, 'content-type': 'application/json' },
		body: JSON.stringify({ status: 'in-behandeling' })
	});
	const audit = await fetch(`${base}/beheer/audit`, { headers: { cookie }, redirect: 'manual' });
	return {
		page: page.status,
		pageTo: page.headers.get('location') ?? '',
		api: api.status,
		audit: audit.status
	};
}

describe(`administrative commands while the portal runs on ${storeName}`, () => {
	let store: TestStore;
	let server: RunningServer;
	let env: Record<string, string>;
	let dir: string;
	const cli = (script: string, args: string[], extra: Record<string, string> = {}) =>
		runScript(script, args, { ...env, WIJKKAART_PASSWORD: '', ...extra });

	beforeAll(async () => {
		store = await freshStore();
		await syncTaxonomy(store.db);
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-live-'));
		env = { ...store.env, WIJKKAART_TILES_DIR: path.join(dir, 'tiles') };
		server = await startServer(env, 240_000);
	}, 600_000);
	afterAll(async () => {
		await server?.stop();
		if (onPostgres) await store?.dispose();
		else if (store) rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('imports areas, items and fixtures, builds tiles and exports: visible on the running portal at once', async () => {
		const wijken = await cli('scripts/import.ts', [
			'areas',
			'--level',
			'wijk',
			path.join(SHARED_UTRECHT, 'wijk.geojson')
		]);
		expect(wijken.code, wijken.stderr + wijken.stdout).toBe(0);
		const areas = await (await fetch(`${server.url}/api/areas?level=wijk`)).json();
		expect(areas.features).toHaveLength(10);
		const buurten = await cli('scripts/import.ts', [
			'areas',
			'--level',
			'buurt',
			'--parent',
			'wijk',
			path.join(SHARED_UTRECHT, 'buurt.geojson')
		]);
		expect(buurten.code, buurten.stderr + buurten.stdout).toBe(0);
		expect(
			(await (await fetch(`${server.url}/api/areas?level=buurt`)).json()).features
		).toHaveLength(111);

		// Relative path, as an administrator types it: the portal has its own working directory.
		const csv = path.relative(ROOT, path.join(dir, 'vijf.csv'));
		writeFileSync(
			path.join(ROOT, csv),
			[
				'titel;lat;lon;kenmerk',
				...[0, 1, 2, 3, 4].map((i) => `Live melding ${i};52.09${i};5.11${i};L-${i}`)
			].join('\n')
		);
		const items = await cli('scripts/import.ts', [
			'items',
			'--layer',
			'meldingen',
			'--theme',
			'openbare-ruimte',
			csv
		]);
		expect(items.code, items.stderr + items.stdout).toBe(0);
		expect(items.stdout).toMatch(/5 meldingen geïmporteerd/);
		const listed = await (
			await fetch(`${server.url}/api/items?layer=meldingen&q=Live%20melding`)
		).json();
		expect(
			listed.features.map((f: { properties: { title: string } }) => f.properties.title).sort()
		).toEqual([0, 1, 2, 3, 4].map((i) => `Live melding ${i}`));

		const fixtures = await cli('scripts/fixtures-utrecht.ts', ['--meldingen', '20', '--seed', '7']);
		expect(fixtures.code, fixtures.stderr + fixtures.stdout).toBe(0);
		expect(fixtures.stdout).toMatch(/\d+ Utrechtse test-items geschreven/);

		const tiles = await cli('scripts/tiles.ts', []);
		expect(tiles.code, tiles.stderr + tiles.stdout).toBe(0);
		const pm = await fetch(`${server.url}/tiles/areas.pmtiles`, {
			headers: { range: 'bytes=0-126' }
		});
		expect(pm.status).toBe(206);
		expect(statSync(path.join(dir, 'tiles/areas.pmtiles')).size).toBeGreaterThan(1000);

		const backup = path.relative(ROOT, path.join(dir, 'backup'));
		const exported = await cli('scripts/export.ts', [backup]);
		expect(exported.code, exported.stderr + exported.stdout).toBe(0);
		expect(existsSync(path.join(dir, 'backup/manifest.json'))).toBe(true);
		// restore only into an empty store: refused, with a message, and the portal still serves all of it.
		const restored = await cli('scripts/restore.ts', [backup]);
		expect(restored.code).not.toBe(0);
		expect(restored.stderr).toMatch(/^Fout: .*leeg/m);
		expect(
			(await (await fetch(`${server.url}/api/areas?level=wijk`)).json()).features
		).toHaveLength(10);
	}, 600_000);

	it('adds, changes, resets and disables accounts: sign-in and open sessions follow on the next request', async () => {
		const added = await cli(
			'scripts/user.ts',
			['add', 'beheer@gemeente.test', '--role', 'beheerder'],
			{ WIJKKAART_PASSWORD: PW_A }
		);
		expect(added.code, added.stderr).toBe(0);
		// The new account signs in on the running portal at once.
		const beheer = await login(server.url, 'beheer@gemeente.test', PW_A);
		expect(beheer).not.toBeNull();
		const mw = await cli(
			'scripts/user.ts',
			['add', 'mw@gemeente.test', '--role', 'medewerker', '--wijk', '01'],
			{ WIJKKAART_PASSWORD: PW_A }
		);
		expect(mw.code, mw.stderr).toBe(0);
		const session = (await login(server.url, 'mw@gemeente.test', PW_A))!;
		expect(session).not.toBeNull();
		const [item] = (
			await (await fetch(`${server.url}/api/items?layer=meldingen&q=Live%20melding%200`)).json()
		).features;
		const itemId = Number(item.id ?? item.properties.id);

		expect((await probe(server.url, session, itemId)).audit).toBe(403);
		// A role change: the same open session has the new rights on its next request.
		const promoted = await cli('scripts/user.ts', [
			'set',
			'mw@gemeente.test',
			'--role',
			'beheerder'
		]);
		expect(promoted.code, promoted.stderr).toBe(0);
		expect((await probe(server.url, session, itemId)).audit).toBe(200);
		const demoted = await cli('scripts/user.ts', [
			'set',
			'mw@gemeente.test',
			'--role',
			'medewerker',
			'--wijk',
			'01'
		]);
		expect(demoted.code, demoted.stderr).toBe(0);
		expect((await probe(server.url, session, itemId)).audit).toBe(403);

		// A reset ends the sessions of that account at once; the old password is refused, the new one works.
		const reset = await cli('scripts/user.ts', ['reset', 'beheer@gemeente.test'], {
			WIJKKAART_PASSWORD: PW_B
		});
		expect(reset.code, reset.stderr).toBe(0);
		const after = await probe(server.url, beheer!, itemId);
		expect(after.page).toBe(303);
		expect(after.pageTo).toMatch(/^\/login\?redirectTo=/);
		expect(after.api).toBe(401);
		expect(await login(server.url, 'beheer@gemeente.test', PW_A)).toBeNull();
		expect(await login(server.url, 'beheer@gemeente.test', PW_B)).not.toBeNull();

		// Still signed in before the disable (the reset was for another account)…
		expect((await probe(server.url, session, itemId)).page).toBe(200);
		const disabled = await cli('scripts/user.ts', ['disable', 'mw@gemeente.test']);
		expect(disabled.code, disabled.stderr).toBe(0);
		// …and out on the very next request, through every route.
		const gone = await probe(server.url, session, itemId);
		expect(gone).toMatchObject({ page: 303, api: 401 });
		expect(gone.audit).toBe(303);
		expect(await login(server.url, 'mw@gemeente.test', PW_A)).toBeNull();

		const list = await cli('scripts/user.ts', ['list']);
		expect(list.stdout).toMatch(/mw@gemeente\.test\s+medewerker.*UITGESCHAKELD/);
	}, 600_000);

	it("the staff page adds an account with a password shown once, and its disable ends that account's open session at once", async () => {
		const beheer = (await login(server.url, 'beheer@gemeente.test', PW_B))!;
		const post = (name: string, form: Record<string, string>) =>
			fetch(`${server.url}/beheer/gebruikers?/${name}`, {
				method: 'POST',
				headers: {
					cookie: beheer,
					origin: server.url,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams(form),
				redirect: 'manual'
			});
		const added = await post('add', {
			email: 'pagina@gemeente.test',
			role: 'medewerker',
			wijk: '01'
		});
		expect(added.status).toBe(200);
		const password = /<code class="password[^"]*"[^>]*>([^<]+)<\/code>/.exec(
			await added.text()
		)?.[1];
		expect(password).toMatch(/^\S{20}$/);
		const session = (await login(server.url, 'pagina@gemeente.test', password!))!;
		expect(session).not.toBeNull();
		const [item] = (
			await (await fetch(`${server.url}/api/items?layer=meldingen&q=Live%20melding%200`)).json()
		).features;
		const itemId = Number(item.id ?? item.properties.id);
		expect((await probe(server.url, session, itemId)).page).toBe(200);
		// Shown once: the list does not show it again.
		expect(
			await (await fetch(`${server.url}/beheer/gebruikers`, { headers: { cookie: beheer } })).text()
		).not.toContain(password);

		expect((await post('disable', { email: 'pagina@gemeente.test' })).status).toBe(200);
		expect(await probe(server.url, session, itemId)).toMatchObject({
			page: 303,
			api: 401,
			audit: 303
		});
		expect(await login(server.url, 'pagina@gemeente.test', password!)).toBeNull();
		// Another beheerder's page is not for a medewerker (the guard, not the page, decides).
		expect((await post('enable', { email: 'pagina@gemeente.test' })).status).toBe(200);
		const back = (await login(server.url, 'pagina@gemeente.test', password!))!;
		const refused = await fetch(`${server.url}/beheer/gebruikers?/disable`, {
			method: 'POST',
			headers: {
				cookie: back,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: 'beheer@gemeente.test' }),
			redirect: 'manual'
		});
		expect(refused.status).toBe(403);
	}, 300_000);

	it.skipIf(onPostgres)(
		'refuses `npm start` on a served directory, and a command while another process holds it, changing nothing',
		async () => {
			const start = await runScript('scripts/start.ts', [], { ...env, PORT: '0' });
			expect(start.code).not.toBe(0);
			expect(start.stderr).toMatch(
				new RegExp(`^Fout: de gegevensmap .* is in gebruik door proces ${server.proc.pid}`, 'm')
			);

			await server.stop();
			// This test process now holds the store, as a long import would.
			const db = await openPglite(store.env.WIJKKAART_DATA_DIR);
			try {
				const refused = await cli(
					'scripts/user.ts',
					['add', 'later@gemeente.test', '--role', 'moderator'],
					{ WIJKKAART_PASSWORD: PW_A }
				);
				expect(refused.code).toBe(1);
				expect(refused.stderr).toMatch(
					new RegExp(
						`^Fout: de gegevensmap .* is in gebruik door proces ${process.pid}.*niets gewijzigd`,
						'm'
					)
				);
				expect(
					await db.query(`SELECT 1 FROM staff_user WHERE email = 'later@gemeente.test'`)
				).toHaveLength(0);
			} finally {
				await db.close();
			}
		},
		300_000
	);

	it('holds exactly what was acknowledged after a restart, and serves it again', async () => {
		await server.stop();
		const state = await inspect(store, async (db) => ({
			users: await db.query(
				`SELECT email, role, disabled_at IS NOT NULL AS disabled FROM staff_user ORDER BY email`
			),
			wijken: (
				await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM area WHERE level = 'wijk'`)
			)[0].n,
			buurten: (
				await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM area WHERE level = 'buurt'`)
			)[0].n,
			live: (
				await db.query<{ n: number }>(
					`SELECT count(*)::int AS n FROM item WHERE title LIKE 'Live melding %'`
				)
			)[0].n,
			oldPassword: (await signIn(db, 'beheer@gemeente.test', PW_A, 'test')).ok,
			newPassword: (await signIn(db, 'beheer@gemeente.test', PW_B, 'test')).ok
		}));
		expect(state).toEqual({
			users: [
				{ email: 'beheer@gemeente.test', role: 'beheerder', disabled: false },
				{ email: 'mw@gemeente.test', role: 'medewerker', disabled: true },
				{ email: 'pagina@gemeente.test', role: 'medewerker', disabled: false }
			],
			wijken: 10,
			buurten: 111,
			live: 5,
			oldPassword: false,
			newPassword: true
		});
		server = await startServer(env, 240_000);
		expect(
			(await (await fetch(`${server.url}/api/areas?level=wijk`)).json()).features
		).toHaveLength(10);
	}, 600_000);
});

describe(`kill -9 of the portal during an import run from the CLI on ${storeName}`, () => {
	const ROWS = 20_000;
	let store: TestStore;
	let dir: string;
	let env: Record<string, string>;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await syncTaxonomy(store.db);
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-live-kill-'));
		env = { ...store.env, WIJKKAART_TILES_DIR: dir };
	}, 600_000);
	afterAll(async () => {
		if (onPostgres) await store?.dispose();
		else if (store) rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('leaves all or nothing of the import, a store that opens, and a CLI that says it failed', async () => {
		const file = path.join(dir, 'veel.csv');
		const lines = ['titel;lat;lon;kenmerk'];
		for (let i = 0; i < ROWS; i++)
			lines.push(
				`Melding ${i};${(52.08 + (i % 200) / 20_000).toFixed(5)};${(5.1 + Math.floor(i / 200) / 5_000).toFixed(5)};K-${i}`
			);
		writeFileSync(file, lines.join('\n'));
		const server = await startServer(env, 240_000);
		const proc = spawn(
			process.execPath,
			[
				'--import',
				'tsx',
				'scripts/import.ts',
				'items',
				'--layer',
				'meldingen',
				'--theme',
				'openbare-ruimte',
				file
			],
			{
				cwd: ROOT,
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let out = '';
		let killed = false;
		const code = await new Promise<number | null>((resolve) => {
			const watch = (d: Buffer) => {
				out += d;
				// Writing has begun inside the portal: pull its plug.
				if (!killed && /geschreven/.test(out)) {
					killed = true;
					server.proc.kill('SIGKILL');
				}
			};
			proc.stdout.on('data', watch);
			proc.stderr.on('data', watch);
			proc.on('exit', (c) => resolve(c));
		});
		// Killed, so stop() would wait for an exit that has already happened (exitCode stays null).
		if (server.proc.exitCode === null && server.proc.signalCode === null)
			await new Promise((r) => server.proc.once('exit', r));
		if (!killed) await server.stop();
		expect(killed, out).toBe(true);
		const n = await inspect(
			store,
			async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM item`))[0].n
		);
		if (onPostgres) {
			// The CLI is its own client of the database: the portal's death does not touch its transaction.
			expect(code, out).toBe(0);
			expect(n).toBe(Number(/(\d+) meldingen geïmporteerd/.exec(out)![1]));
		} else {
			expect(code, out).not.toBe(0);
			expect(out).toMatch(/Fout: de verbinding met het portaal is verbroken/);
			expect(out).not.toMatch(/geïmporteerd/);
			expect([0, ROWS]).toContain(n);
		}
		// The store opens again for the portal (stale lock of the killed process recovered).
		const again = await startServer(env, 240_000);
		try {
			expect((await fetch(`${again.url}/api/items?layer=meldingen&limit=1`)).status).toBe(200);
		} finally {
			await again.stop();
		}
	}, 900_000);
});
