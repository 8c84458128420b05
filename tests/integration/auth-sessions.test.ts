import { createHash } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { config } from '../../src/lib/server/config.ts';
import { guard, staffActor } from '../../src/lib/server/auth/guard.ts';
import { itemWijk, RULES, scoped } from '../../src/lib/server/auth/policy.ts';
import { SESSION_COOKIE, sessionUser } from '../../src/lib/server/auth/sessions.ts';
import { signIn, signOut } from '../../src/lib/server/auth/users.ts';
import { OTHER_WIJK, OWN_WIJK, PASSWORD, PERSONAS, seedAccounts } from './auth-setup.ts';

const email = (key: string) => PERSONAS.find((p) => p.key === key)!.email;

describe(`staff sessions, throttling and the guard on ${storeName}`, () => {
	let store: TestStore;
	let itemId: number;
	const tokenOf = async (key: string, client = 'sessie-test') => {
		const r = await signIn(store.db, email(key), PASSWORD, client);
		if (!r.ok) throw new Error(`aanmelden mislukt voor ${key}`);
		return r.token;
	};
	const setSession = (token: string, sql: string) =>
		store.db.query(`UPDATE staff_session SET ${sql} WHERE token_hash = $1`, [
			createHash('sha256').update(token).digest('hex')
		]);

	beforeAll(async () => {
		store = await freshStore();
		({ itemId } = await seedAccounts(store.db));
	});
	afterAll(() => store?.dispose());

	it('keeps only the sha256 of the session token in the store', async () => {
		const token = await tokenOf('wijkregisseur');
		const rows = await store.db.query<{ token_hash: string }>(
			'SELECT token_hash FROM staff_session'
		);
		expect(rows.map((r) => r.token_hash)).toContain(
			createHash('sha256').update(token).digest('hex')
		);
		expect(JSON.stringify(await store.db.query('SELECT * FROM staff_session'))).not.toContain(
			token
		);
		expect(await sessionUser(store.db, token)).toMatchObject({
			email: email('wijkregisseur'),
			role: 'wijkregisseur',
			wijken: [OWN_WIJK]
		});
		expect(await sessionUser(store.db, token + 'x')).toBeNull();
	});

	it('ends a session after the idle time without requests, and a request touches it', async () => {
		const cfg = config({ WIJKKAART_SESSION_IDLE_MINUTES: '30' });
		expect(config({}).sessionIdleMinutes).toBe(120);
		const token = await tokenOf('medewerker');
		await setSession(token, `last_seen_at = now() - interval '29 minutes'`);
		expect(await sessionUser(store.db, token, cfg)).not.toBeNull();
		// That request moved last_seen_at to now: another 29 minutes later it still holds.
		await setSession(token, `last_seen_at = last_seen_at - interval '29 minutes'`);
		expect(await sessionUser(store.db, token, cfg)).not.toBeNull();
		await setSession(token, `last_seen_at = now() - interval '31 minutes'`);
		expect(await sessionUser(store.db, token, cfg)).toBeNull();
		// The default of 120 minutes would still have admitted it.
		expect(await sessionUser(store.db, token, config({}))).not.toBeNull();
		await setSession(token, `last_seen_at = now() - interval '121 minutes'`);
		expect(await sessionUser(store.db, token, config({}))).toBeNull();
	});

	it('ends a session at the absolute limit however active it is', async () => {
		expect(config({}).sessionMaxHours).toBe(12);
		const token = await tokenOf('moderator');
		await setSession(
			token,
			`created_at = now() - interval '11 hours 59 minutes', last_seen_at = now()`
		);
		expect(await sessionUser(store.db, token)).not.toBeNull();
		await setSession(
			token,
			`created_at = now() - interval '12 hours 1 minute', last_seen_at = now()`
		);
		expect(await sessionUser(store.db, token)).toBeNull();
		expect(
			await sessionUser(store.db, token, config({ WIJKKAART_SESSION_MAX_HOURS: '24' }))
		).not.toBeNull();
		expect(() => config({ WIJKKAART_SESSION_MAX_HOURS: 'nul' })).toThrow(
			/WIJKKAART_SESSION_MAX_HOURS moet een positief getal zijn/
		);
	});

	it('sign-out ends the session in the store: the same token no longer works', async () => {
		const token = await tokenOf('beheerder');
		const user = await sessionUser(store.db, token);
		await signOut(store.db, user, token, 'sessie-test');
		expect(await sessionUser(store.db, token)).toBeNull();
		const [row] = await store.db.query<{ actor_email: string; client: string }>(
			`SELECT actor_email, client FROM audit_log WHERE action = 'logout' ORDER BY id DESC LIMIT 1`
		);
		expect(row).toEqual({ actor_email: email('beheerder'), client: 'sessie-test' });
	});

	it('slows a guesser per account and client, progressively, without locking the real user out', async () => {
		const who = email('moderator');
		for (let i = 0; i < 3; i++)
			expect(await signIn(store.db, who, `fout-${i}-wachtwoord`, 'gokker')).toEqual({
				ok: false,
				reason: 'invalid'
			});
		// The fourth try from that client waits 30 seconds, even with the right password.
		const blocked = await signIn(store.db, who, PASSWORD, 'gokker');
		expect(blocked).toMatchObject({ ok: false, reason: 'throttled', minutes: 1 });
		expect(blocked.ok === false && blocked.reason === 'throttled' && blocked.message).toBe(
			'Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.'
		);
		// The real user, from their own client, signs in at once; so does another account from the guesser's client.
		expect((await signIn(store.db, who, PASSWORD, 'eigen-pc')).ok).toBe(true);
		expect((await signIn(store.db, email('medewerker'), PASSWORD, 'gokker')).ok).toBe(true);
		// After the 30 seconds, one more failure doubles the wait to a minute.
		await store.db.query(
			`UPDATE login_attempt SET at = at - interval '31 seconds' WHERE email = $1 AND client = 'gokker'`,
			[who]
		);
		expect(await signIn(store.db, who, 'nog-een-fout-wachtwoord', 'gokker')).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await signIn(store.db, who, PASSWORD, 'gokker')).toMatchObject({
			reason: 'throttled',
			minutes: 1
		});
		await store.db.query(
			`UPDATE login_attempt SET at = at - interval '61 seconds' WHERE email = $1 AND client = 'gokker'`,
			[who]
		);
		expect((await signIn(store.db, who, PASSWORD, 'gokker')).ok).toBe(true);
		// A success wipes the pair's slate: two new failures do not slow it.
		for (let i = 0; i < 2; i++) await signIn(store.db, who, 'weer-fout-wachtwoord', 'gokker');
		expect((await signIn(store.db, who, PASSWORD, 'gokker')).ok).toBe(true);
	});

	it('counts attempts sent in parallel: 20 at once from one client get at most 3 password checks', async () => {
		const who = email('beheerder');
		const results = await Promise.all(
			Array.from({ length: 20 }, (_, i) => signIn(store.db, who, `parallel-fout-${i}`, 'parallel'))
		);
		expect(
			results.filter((r) => r.ok === false && r.reason === 'invalid').length
		).toBeLessThanOrEqual(3);
		expect(
			results.filter((r) => r.ok === false && r.reason === 'throttled').length
		).toBeGreaterThanOrEqual(17);
		expect((await signIn(store.db, who, PASSWORD, 'eigen-pc-2')).ok).toBe(true);
	});

	it('throttles a client after 20 failures in 15 minutes, whatever accounts it tries', async () => {
		for (let i = 0; i < 20; i++)
			await signIn(store.db, `gok${i}@gemeente.test`, 'geraden-wachtwoord', 'aanvaller');
		expect(await signIn(store.db, email('wijkregisseur'), PASSWORD, 'aanvaller')).toMatchObject({
			ok: false,
			reason: 'throttled'
		});
		expect((await signIn(store.db, email('wijkregisseur'), PASSWORD, 'collega')).ok).toBe(true);
	});

	it('writes login, failed login, throttled login and logout to the audit trail, never the password', async () => {
		const rows = await store.db.query<{
			action: string;
			actor: string;
			client: string;
			after: { email?: string; reason?: string } | null;
		}>(
			`SELECT action, actor, client, after FROM audit_log WHERE entity = 'staff_session' ORDER BY id`
		);
		const actions = new Set(rows.map((r) => r.action));
		expect([...actions].sort()).toEqual(['login', 'login.failed', 'login.throttled', 'logout']);
		expect(rows.find((r) => r.action === 'login.failed' && r.client === 'aanvaller')).toMatchObject(
			{
				actor: 'system',
				after: { email: 'gok0@gemeente.test', reason: 'onbekend account' }
			}
		);
		expect(
			rows.find((r) => r.action === 'login.failed' && r.client === 'gokker')?.after?.reason
		).toBe('wachtwoord onjuist');
		expect(rows.find((r) => r.action === 'login')?.actor).toMatch(/^user:\d+$/);
		expect(JSON.stringify(rows)).not.toMatch(
			/wachtwoord"|fout-0|geraden|parallel-fout|een-lang-test/
		);
	});

	it('the store refuses to change or delete audit entries', async () => {
		const [{ n }] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
		await expect(store.db.query(`UPDATE audit_log SET action = 'verborgen'`)).rejects.toThrow(
			/append-only/
		);
		await expect(store.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
		await expect(store.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
		expect(
			(await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n
		).toBe(n);
	});

	describe('guard', () => {
		/** A request as SvelteKit hands it to hooks.server.ts. */
		function event(
			method: string,
			routeId: string | null,
			path: string,
			token?: string,
			params: Record<string, string> = {}
		): RequestEvent {
			const jar = new Map(token ? [[SESSION_COOKIE, token]] : []);
			return {
				locals: { db: store.db, lang: 'nl', user: null },
				request: new Request(`http://portal.test${path}`, { method }),
				url: new URL(`http://portal.test${path}`),
				route: { id: routeId },
				params,
				cookies: {
					get: (k: string) => jar.get(k),
					delete: (k: string) => void jar.delete(k),
					set: () => {}
				},
				getClientAddress: () => '127.0.0.1'
			} as unknown as RequestEvent;
		}
		const outcome = async (e: RequestEvent) => {
			try {
				const res = await guard(e);
				return res ? { status: res.status, body: await res.json() } : { status: 'door' as const };
			} catch (thrown) {
				const t = thrown as { status: number; location?: string; body?: { message: string } };
				return { status: t.status, location: t.location, body: t.body };
			}
		};

		it('fills locals.user from the cookie on every request, and lets public reads through', async () => {
			const token = await tokenOf('wijkregisseur');
			const e = event('GET', '/api/items', '/api/items', token);
			expect(await outcome(e)).toEqual({ status: 'door' });
			expect(e.locals.user).toMatchObject({ role: 'wijkregisseur', wijken: [OWN_WIJK] });
			expect(staffActor(e)).toEqual({
				actor: { kind: 'user', user: e.locals.user },
				client: '127.0.0.1'
			});
			expect(() => staffActor(event('GET', '/api/items', '/api/items'))).toThrow();
		});

		it('denies by default: a write to a route without a rule is 403, also for a beheerder', async () => {
			const token = await tokenOf('beheerder');
			expect(
				await outcome(event('POST', '/api/zonder-regel', '/api/zonder-regel', token))
			).toMatchObject({
				status: 403,
				body: { error: 'Geen toegang. Voor deze handeling is geen toegangsregel vastgelegd.' }
			});
			const english = event('POST', '/api/zonder-regel', '/api/zonder-regel', token);
			english.locals.lang = 'en';
			expect(await outcome(english)).toMatchObject({
				status: 403,
				body: {
					error: 'No access. No access rule has been set for this action.',
					code: 'errors.auth.noRule'
				}
			});
			expect(
				await outcome(event('GET', '/beheer/zonder-regel', '/beheer/zonder-regel', token))
			).toMatchObject({ status: 403 });
			expect(
				await outcome(event('GET', '/(staf)/beheer/groep', '/beheer/groep', token))
			).toMatchObject({ status: 403 });
			// Only /beheer itself and below: a public page that merely starts with the word is not a staff page.
			expect(await outcome(event('GET', '/beheerplan', '/beheerplan'))).toEqual({ status: 'door' });
		});

		it('sends the anonymous to /login from staff pages, remembering where they were going', async () => {
			expect(await outcome(event('GET', '/beheer/audit', '/beheer/audit?action=login'))).toEqual({
				status: 303,
				location: '/login?redirectTo=%2Fbeheer%2Faudit%3Faction%3Dlogin',
				body: undefined
			});
		});

		it('answers a signed-in member of staff with the wrong role 403', async () => {
			const token = await tokenOf('moderator', 'guard');
			expect(await outcome(event('GET', '/beheer/audit', '/beheer/audit', token))).toMatchObject({
				status: 403,
				body: { message: 'Geen toegang. Uw rol (moderator) mag dit niet.' }
			});
			expect(await outcome(event('GET', '/beheer', '/beheer', token))).toEqual({ status: 'door' });
		});

		it('resolves the wijk of an item from the store: own wijk passes, another wijk is 403, a missing item reaches the handler', async () => {
			RULES['/api/test-items/[id]'] = {
				PATCH: scoped(itemWijk('id'), 'beheerder', 'wijkregisseur', 'medewerker')
			};
			try {
				const patch = async (key: string | null, id = String(itemId)) =>
					outcome(
						event(
							'PATCH',
							'/api/test-items/[id]',
							`/api/test-items/${id}`,
							key ? await tokenOf(key, 'guard') : undefined,
							{ id }
						)
					);
				expect(await patch('beheerder')).toEqual({ status: 'door' });
				expect(await patch('wijkregisseur')).toEqual({ status: 'door' });
				expect(await patch('medewerker')).toEqual({ status: 'door' });
				expect(await patch('wijkregisseur-andere-wijk')).toMatchObject({
					status: 403,
					body: { error: 'Geen toegang. Dit valt buiten uw wijken.' }
				});
				expect(await patch('medewerker-andere-wijk')).toMatchObject({ status: 403 });
				expect(await patch('moderator')).toMatchObject({
					status: 403,
					body: { error: 'Geen toegang. Uw rol (moderator) mag dit niet.' }
				});
				expect(await patch(null)).toMatchObject({
					status: 401,
					body: { error: 'U bent niet aangemeld. Meld u aan als medewerker.' }
				});
				const anonymous = event(
					'PATCH',
					'/api/test-items/[id]',
					`/api/test-items/${itemId}`,
					undefined,
					{
						id: String(itemId)
					}
				);
				anonymous.locals.lang = 'en';
				expect(await outcome(anonymous)).toMatchObject({
					status: 401,
					body: { error: 'You are not signed in. Sign in as staff.', code: 'errors.auth.signedOut' }
				});
				expect(await patch('wijkregisseur-andere-wijk', '999999')).toEqual({ status: 'door' });
				// A medewerker of the item's department may, outside their wijken.
				await store.db.query(`UPDATE staff_user SET department = 'Stadsbeheer' WHERE email = $1`, [
					email('medewerker-andere-wijk')
				]);
				expect(await patch('medewerker-andere-wijk')).toEqual({ status: 'door' });
			} finally {
				delete RULES['/api/test-items/[id]'];
			}
			expect(OTHER_WIJK).not.toBe(OWN_WIJK);
		});
	});
});
