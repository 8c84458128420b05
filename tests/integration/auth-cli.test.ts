import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, onPostgres, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { runScript } from '../helpers/server.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { signIn } from '../../src/lib/server/auth/users.ts';
import { insertUtrechtAreas } from './items-setup.ts';

describe(`npm run user on ${storeName}`, () => {
	let store: TestStore;
	let db: Db | null = null;
	// PGlite admits one process per directory: the test lets go of the store while the CLI runs.
	const open = async () =>
		(db ??= onPostgres
			? await openPostgres(store.env.DATABASE_URL)
			: await openPglite(store.env.WIJKKAART_DATA_DIR));
	const cli = async (args: string[], env: Record<string, string> = {}) => {
		if (db && !onPostgres) {
			await db.close();
			db = null;
		}
		return runScript('scripts/user.ts', args, { ...store.env, WIJKKAART_PASSWORD: '', ...env });
	};

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		if (onPostgres) db = store.db;
		else await store.db.close();
	});
	afterAll(async () => {
		if (onPostgres) await store.dispose();
		else {
			await db?.close();
			const { rmSync } = await import('node:fs');
			rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		}
	});

	it('creates the first beheerder with a one-time password printed once, which then signs in', async () => {
		const res = await cli([
			'add',
			'Beheer@Gemeente.test',
			'--role',
			'beheerder',
			'--name',
			'Bea Beheer'
		]);
		expect(res.stderr).toBe('');
		expect(res.code).toBe(0);
		expect(res.stdout).toContain('Account aangemaakt: beheer@gemeente.test (beheerder)');
		const password = /Eenmalig wachtwoord[^:]*: (\S+)/.exec(res.stdout)?.[1];
		expect(password).toMatch(/^\S{20}$/);
		const d = await open();
		const [row] = await d.query<{ password_hash: string }>(
			`SELECT password_hash FROM staff_user WHERE email = 'beheer@gemeente.test'`
		);
		expect(row.password_hash).toMatch(/^scrypt\$/);
		expect(row.password_hash).not.toContain(password);
		expect((await signIn(d, 'beheer@gemeente.test', password!, 'test')).ok).toBe(true);
		expect((await signIn(d, 'beheer@gemeente.test', 'iets-anders-dan-dat', 'test')).ok).toBe(false);
	});

	it('binds a wijkregisseur to wijken, takes the password from WIJKKAART_PASSWORD and does not print it', async () => {
		const res = await cli(
			[
				'add',
				'regisseur@gemeente.test',
				'--role',
				'wijkregisseur',
				'--wijk',
				'01',
				'--wijk',
				'03,05',
				'--department',
				'Wijkzaken'
			],
			{
				WIJKKAART_PASSWORD: 'wachtwoord-uit-de-omgeving'
			}
		);
		expect(res.code).toBe(0);
		expect(res.stdout).toContain('wijken 01, 03, 05');
		expect(res.stdout).toContain('Wachtwoord ingesteld uit WIJKKAART_PASSWORD');
		expect(res.stdout).not.toContain('wachtwoord-uit-de-omgeving');
		const signed = await signIn(
			await open(),
			'regisseur@gemeente.test',
			'wachtwoord-uit-de-omgeving',
			'test'
		);
		expect(signed.ok && signed.user).toMatchObject({
			role: 'wijkregisseur',
			wijken: ['01', '03', '05'],
			department: 'Wijkzaken'
		});
	});

	it('refuses an unknown role, an unknown wijk, a duplicate and a wijk for an unbound role with exit code 2, writing nothing', async () => {
		const before = await storeHash(await open());
		const cases: [string[], RegExp][] = [
			[
				['add', 'x@gemeente.test', '--role', 'koning'],
				/^Fout: onbekende rol "koning"; kies uit beheerder, wijkregisseur, medewerker, moderator/
			],
			[
				['add', 'x@gemeente.test', '--role', 'medewerker', '--wijk', '01', '--wijk', '77'],
				/^Fout: onbekende wijkcode "77"/
			],
			[
				['add', 'beheer@gemeente.test', '--role', 'moderator'],
				/^Fout: er is al een account voor beheer@gemeente.test/
			],
			[
				['add', 'x@gemeente.test', '--role', 'moderator', '--wijk', '01'],
				/^Fout: de rol moderator is niet aan wijken gebonden/
			],
			[['add', 'geen-adres', '--role', 'moderator'], /^Fout: "geen-adres" is geen e-mailadres/],
			[
				['add', 'x@gemeente.test', '--role', 'wijkregisseur'],
				/^Fout: een wijkregisseur heeft minstens één --wijk nodig/
			],
			[['disable', 'niemand@gemeente.test'], /^Fout: geen account voor niemand@gemeente.test/],
			[['verwijder', 'beheer@gemeente.test'], /^Fout: onbekende opdracht "verwijder"/]
		];
		for (const [args, message] of cases) {
			const res = await cli(args);
			expect(res.code, args.join(' ')).toBe(2);
			expect(res.stderr.trim()).toMatch(message);
		}
		expect(await storeHash(await open())).toBe(before);
		// Eight CLI processes, each opening the store: a hang guard for a loaded CI machine, not a speed check.
	}, 600_000);

	it('lists accounts with role, wijken and state', async () => {
		const res = await cli(['list']);
		expect(res.code).toBe(0);
		const lines = res.stdout.trim().split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^beheer@gemeente.test\s+beheerder\s+Bea Beheer$/);
		expect(lines[1]).toMatch(
			/^regisseur@gemeente.test\s+wijkregisseur\s+.*wijken 01,03,05; afdeling Wijkzaken/
		);
	});

	it('reset gives a new one-time password, ends open sessions and the old password stops working', async () => {
		const d = await open();
		const first = await signIn(d, 'regisseur@gemeente.test', 'wachtwoord-uit-de-omgeving', 'test');
		expect(first.ok).toBe(true);
		const res = await cli(['reset', 'regisseur@gemeente.test']);
		expect(res.code).toBe(0);
		const password = /Eenmalig wachtwoord[^:]*: (\S+)/.exec(res.stdout)?.[1];
		const d2 = await open();
		const [{ open: still }] = await d2.query<{ open: number }>(
			`SELECT count(*)::int AS open FROM staff_session s JOIN staff_user u ON u.id = s.user_id WHERE u.email = 'regisseur@gemeente.test' AND s.ended_at IS NULL`
		);
		expect(still).toBe(0);
		expect(
			(await signIn(d2, 'regisseur@gemeente.test', 'wachtwoord-uit-de-omgeving', 'test')).ok
		).toBe(false);
		expect((await signIn(d2, 'regisseur@gemeente.test', password!, 'test')).ok).toBe(true);
	});

	it('a disabled account cannot sign in, even with the right password, and shows as disabled', async () => {
		const res = await cli(['disable', 'regisseur@gemeente.test'], {
			WIJKKAART_PASSWORD: 'doet-er-niet-toe-hier'
		});
		expect(res.code).toBe(0);
		expect(res.stdout).toContain('uitgeschakeld');
		const reset = await cli(['reset', 'regisseur@gemeente.test'], {
			WIJKKAART_PASSWORD: 'nieuw-geheim-wachtwoord'
		});
		expect(reset.code).toBe(0);
		const d = await open();
		expect(await signIn(d, 'regisseur@gemeente.test', 'nieuw-geheim-wachtwoord', 'test')).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const audit = await d.query<{ action: string; after: { reason?: string } }>(
			`SELECT action, after FROM audit_log WHERE action LIKE 'login%' ORDER BY id DESC LIMIT 1`
		);
		expect(audit[0]).toMatchObject({
			action: 'login.failed',
			after: { reason: 'account uitgeschakeld' }
		});
		expect((await cli(['list'])).stdout).toMatch(/regisseur@gemeente.test.*UITGESCHAKELD/);
	});

	it('every account change is in the audit trail, never with a password or hash', async () => {
		const rows = await (
			await open()
		).query<{ action: string; actor: string; client: string; after: unknown }>(
			`SELECT action, actor, client, after FROM audit_log WHERE entity = 'staff_user' ORDER BY id`
		);
		expect(rows.map((r) => r.action)).toEqual([
			'user.add',
			'user.add',
			'user.reset',
			'user.disable',
			'user.reset'
		]);
		expect(rows.every((r) => r.actor === 'system' && r.client.startsWith('cli:'))).toBe(true);
		expect(JSON.stringify(rows)).not.toMatch(/scrypt|wachtwoord-uit|nieuw-geheim/);
	});
});
