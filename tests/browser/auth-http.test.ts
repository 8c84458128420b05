import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { ROOT } from '../helpers/server.ts';
import { findRule, ruleKey, type Rule, type RuleKey } from '../../src/lib/server/auth/policy.ts';
import { WIJK_BOUND_ROLES } from '../../src/lib/server/auth/users.ts';
import { PAIR_FREE } from '../../src/lib/server/auth/throttle.ts';
import { setSessionCookie } from '../../src/lib/server/auth/sessions.ts';
import {
	login,
	OWN_WIJK,
	PASSWORD,
	PERSONAS,
	seedAccounts,
	type Persona
} from '../integration/auth-setup.ts';

/**
 * The permission matrix: every write route and every staff page, found on disk, against every
 * persona. A route without a RULES entry fails here.
 */
interface Target {
	routeId: string;
	key: RuleKey;
	method: string;
	/** A page or form action rather than an endpoint. */
	page: boolean;
}

const ROUTES = path.join(ROOT, 'src/routes');

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((f) => {
		const p = path.join(dir, f);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
}

function routeIdOf(file: string): string {
	const rel = path.relative(ROUTES, path.dirname(file)).split(path.sep).join('/');
	return rel ? `/${rel}` : '/';
}

/** Write routes and staff pages, read from the route modules themselves. */
async function discoverTargets(): Promise<Target[]> {
	const targets: Target[] = [];
	for (const file of walk(ROUTES).sort()) {
		const name = path.basename(file);
		const routeId = routeIdOf(file);
		const staff = routeId === '/beheer' || routeId.startsWith('/beheer/');
		if (/^\+server\.(ts|js)$/.test(name)) {
			const mod = await import(/* @vite-ignore */ file);
			// A staff download is checked on GET as well.
			for (const method of staff
				? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
				: ['POST', 'PUT', 'PATCH', 'DELETE']) {
				if (method in mod) targets.push({ routeId, key: method as RuleKey, method, page: false });
			}
		} else if (/^\+page\.server\.(ts|js)$/.test(name)) {
			const mod = await import(/* @vite-ignore */ file);
			for (const action of Object.keys(mod.actions ?? {})) {
				targets.push({
					routeId,
					key: action === 'default' ? 'POST' : `POST ?/${action}`,
					method: 'POST',
					page: true
				});
			}
		} else if (name === '+page.svelte' && staff) {
			targets.push({ routeId, key: 'GET', method: 'GET', page: true });
		}
	}
	return targets;
}

interface Ctx {
	itemId: number;
	/** A point inside wijk 01. */
	point: [number, number];
}

/**
 * One sample request per target, keyed "<route id> <rule key>". Helpers adding a route add its
 * line here: a path (route parameters filled in), a body, and the status an allowed persona
 * gets. Without a sample the route is called at its own id with [id] = the sample item (in wijk
 * 01) and any other parameter = wijk 01, an empty body, and "allowed" only means not 401/403.
 */
interface Sample {
	path?: (c: Ctx) => string;
	form?: (c: Ctx) => Record<string, string>;
	json?: (c: Ctx) => unknown;
	/** Status (or redirect target) an allowed persona gets with this request. */
	expect?: number;
	location?: string | RegExp;
	/** The request would end the persona's session: use a session of its own. */
	ownSession?: boolean;
}

const SAMPLES: Record<string, Sample> = {
	'/login POST': {
		form: () => ({ email: PERSONAS[0].email, password: PASSWORD, redirectTo: '/beheer' }),
		expect: 303,
		location: '/beheer'
	},
	'/logout POST': { form: () => ({}), expect: 303, location: '/', ownSession: true },
	'/beheer GET': { expect: 200 },
	'/beheer/audit GET': { path: () => '/beheer/audit?action=login', expect: 200 },
	// Editing and moderation: creates land in wijk 01; edits without a version, a status change
	// without text and decisions on an item that awaits none are refused by the handler (400).
	'/api/items POST': {
		json: (c) => ({
			layer: 'projecten',
			title: 'Matrix',
			theme: 'verkeer',
			geometry: { type: 'Point', coordinates: c.point }
		}),
		expect: 201
	},
	'/api/items/[id] PATCH': { json: () => ({ title: 'Zonder versie' }), expect: 400 },
	'/api/items/[id] DELETE': { expect: 200 },
	'/api/items/[id]/restore POST': { expect: 200 },
	'/api/items/[id]/status POST': {
		json: () => ({ status: 'ontwerp', publicText: '' }),
		expect: 400
	},
	'/beheer/items GET': { path: () => '/beheer/items?verwijderd=met', expect: 200 },
	'/beheer/items/nieuw GET': { path: () => '/beheer/items/nieuw?laag=projecten', expect: 200 },
	'/beheer/items/nieuw POST': {
		form: (c) => ({
			layer: 'projecten',
			title: 'Matrix',
			theme: 'verkeer',
			lat: String(c.point[1]),
			lon: String(c.point[0])
		}),
		expect: 303,
		location: /^\/beheer\/items\/\d+\?aangemaakt=1$/
	},
	'/beheer/items/[id] GET': { expect: 200 },
	'/beheer/items/[id] POST ?/save': { form: () => ({ title: '' }), expect: 400 },
	'/beheer/items/[id] POST ?/status': { form: () => ({ status: 'ontwerp' }), expect: 400 },
	'/beheer/items/[id] POST ?/delete': { expect: 200 },
	'/beheer/items/[id] POST ?/restore': { expect: 200 },
	'/beheer/items POST ?/bulk': { form: (c) => ({ id: String(c.itemId) }) },
	'/beheer/moderatie GET': { expect: 200 },
	'/beheer/moderatie POST ?/approve': { form: (c) => ({ id: String(c.itemId) }), expect: 400 },
	'/beheer/moderatie POST ?/reject': {
		form: (c) => ({ id: String(c.itemId), reason: '' }),
		expect: 400
	},
	'/beheer/moderatie POST ?/merge': {
		form: (c) => ({ id: String(c.itemId), target: String(c.itemId) }),
		expect: 400
	},
	'/beheer/moderatie POST ?/respond': {
		form: (c) => ({ id: String(c.itemId), status: 'ontwerp', publicText: 'x' }),
		expect: 400
	}
};

function samplePath(t: Target, s: Sample | undefined, c: Ctx): string {
	if (s?.path) return s.path(c);
	const filled = t.routeId
		.replace(/\[(\.\.\.)?(\w+)(=\w+)?\]/g, (_m, _r, name: string) =>
			name === 'id' ? String(c.itemId) : OWN_WIJK
		)
		.replace(/\/\([^)]+\)/g, '');
	return t.key.startsWith('POST ?/')
		? `${filled}?/${t.key.slice('POST ?/'.length)}`
		: filled || '/';
}

function allowed(rule: Rule, p: Persona | null): boolean {
	if (rule.allow === 'public') return true;
	if (!p) return false;
	if (rule.allow !== 'staff' && !rule.allow.includes(p.role)) return false;
	return !(rule.wijk && WIJK_BOUND_ROLES.includes(p.role) && p.wrongWijk);
}

describe(`accounts over HTTP on ${storeName}`, () => {
	let portal: Portal;
	let base: string;
	let ctx: Ctx;
	const cookies = new Map<string, string>();

	async function send(t: Target, s: Sample | undefined, cookie: string | null): Promise<Response> {
		const headers: Record<string, string> = { origin: base, accept: 'text/html' };
		if (cookie) headers.cookie = cookie;
		let body: BodyInit | undefined;
		if (t.method !== 'GET') {
			if (s?.json || (!s?.form && !t.page)) {
				headers['content-type'] = 'application/json';
				body = JSON.stringify(s?.json?.(ctx) ?? {});
			} else {
				headers['content-type'] = 'application/x-www-form-urlencoded';
				body = new URLSearchParams(s?.form?.(ctx) ?? {}).toString();
			}
		}
		return fetch(base + samplePath(t, s, ctx), {
			method: t.method,
			headers,
			body,
			redirect: 'manual'
		});
	}

	beforeAll(async () => {
		portal = await openPortal(async (store) => {
			ctx = await seedAccounts(store.db);
		});
		base = portal.server.url;
		for (const p of PERSONAS) {
			const { cookie } = await login(base, p.email);
			if (!cookie) throw new Error(`aanmelden mislukt voor ${p.key}`);
			cookies.set(p.key, cookie);
		}
	});
	afterAll(() => portal?.close());

	it('finds the write routes and staff pages on disk, and every one has a rule', async () => {
		const targets = await discoverTargets();
		const names = targets.map((t) => `${t.routeId} ${t.key}`);
		// The accounts routes at least; other features add theirs.
		expect(names).toEqual(
			expect.arrayContaining(['/login POST', '/logout POST', '/beheer GET', '/beheer/audit GET'])
		);
		const missing = names.filter((_n, i) => !findRule(targets[i].routeId, targets[i].key));
		expect(missing, 'routes zonder regel in src/lib/server/auth/policy.ts RULES').toEqual([]);
		expect(ruleKey('POST', new URL('http://x/a?/approve'))).toBe('POST ?/approve');
	});

	it('answers every route × persona as its rule says: allowed, 401 or /login for the anonymous, 403 otherwise', async () => {
		const targets = await discoverTargets();
		const failures: string[] = [];
		for (const t of targets) {
			const rule = findRule(t.routeId, t.key)!;
			const sample = SAMPLES[`${t.routeId} ${t.key}`];
			for (const p of [null, ...PERSONAS]) {
				const who = p?.key ?? 'anoniem';
				let cookie = p ? cookies.get(p.key)! : null;
				if (p && sample?.ownSession) cookie = (await login(base, p.email)).cookie;
				const res = await send(t, sample, cookie);
				await res.arrayBuffer();
				const label = `${t.routeId} ${t.key} als ${who}: ${res.status}`;
				const location = res.headers.get('location') ?? '';
				// An item write out of the persona's wijken is refused inside the write (decideItemWrite, from
				// the stored item), after the body is read: 403, or 400 when the sample body is itself invalid.
				// tests/integration/authz-writes.test.ts checks the store after every such write.
				if (
					rule.item &&
					t.method !== 'GET' &&
					p &&
					WIJK_BOUND_ROLES.includes(p.role) &&
					p.wrongWijk
				) {
					if (res.status !== 403 && res.status !== 400)
						failures.push(`${label}, verwacht 403 of 400`);
					continue;
				}
				if (allowed(rule, p)) {
					if (res.status === 401 || res.status === 403)
						failures.push(`${label}, verwacht toegestaan`);
					else if (sample?.expect !== undefined && res.status !== sample.expect)
						failures.push(`${label}, verwacht ${sample.expect}`);
					else if (
						sample?.location !== undefined &&
						!(typeof sample.location === 'string'
							? location === sample.location
							: sample.location.test(location))
					) {
						failures.push(`${label} naar ${location}, verwacht ${sample.location}`);
					}
				} else if (!p) {
					// The API answers 401; everything else sends the visitor to the sign-in page.
					const api = t.routeId === '/api' || t.routeId.startsWith('/api/');
					const toLogin = res.status === 303 && location.startsWith('/login?redirectTo=');
					if (api ? res.status !== 401 : !toLogin)
						failures.push(`${label}, verwacht ${api ? '401' : 'doorverwijzing naar /login'}`);
				} else if (res.status !== 403) {
					failures.push(`${label}, verwacht 403`);
				}
			}
		}
		expect(failures).toEqual([]);
	});

	it('signs in with a form: HttpOnly, SameSite=Lax session cookie, back where the user was going', async () => {
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: base,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({
				email: 'BEHEER@gemeente.test ',
				password: PASSWORD,
				redirectTo: '/beheer/audit?action=login'
			})
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/beheer/audit?action=login');
		const set = res.headers.getSetCookie().find((c) => c.startsWith('wijkkaart_sessie='))!;
		expect(set).toMatch(/; HttpOnly/i);
		expect(set).toMatch(/; SameSite=Lax/i);
		expect(set).toMatch(/; Path=\//i);
		// Plain http on loopback: not Secure, or the browser would never send it back.
		expect(set).not.toMatch(/; Secure/i);
	});

	it('marks the cookie Secure when the request came over https', () => {
		const seen: Record<string, unknown>[] = [];
		const jar = {
			set: (_n: string, _v: string, o: Record<string, unknown>) => void seen.push(o)
		} as unknown as Parameters<typeof setSessionCookie>[0];
		setSessionCookie(jar, new URL('https://wijkkaart.gemeente.nl/login'), 'x');
		setSessionCookie(jar, new URL('http://127.0.0.1/login'), 'x');
		expect(seen.map((o) => o.secure)).toEqual([true, false]);
		expect(seen[0]).toMatchObject({
			httpOnly: true,
			sameSite: 'lax',
			path: '/',
			maxAge: 12 * 3600
		});
	});

	it('never sends the user elsewhere after sign-in', async () => {
		for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
			const res = await fetch(`${base}/login`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					origin: base,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({
					email: PERSONAS[5].email,
					password: PASSWORD,
					redirectTo: target
				})
			});
			expect(res.headers.get('location'), target).toBe('/beheer');
		}
	});

	it('shows a wrong password as a Dutch error tied to the fields, keeping the e-mail address', async () => {
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			headers: {
				origin: base,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: 'niemand@gemeente.test', password: 'niet-goed-genoeg' })
		});
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain('Deze combinatie van e-mailadres en wachtwoord klopt niet.');
		expect(html).toMatch(/<p id="login-problem"[^>]*role="alert"/);
		expect(html).toMatch(
			/id="login-email"[^>]*aria-describedby="login-problem"|aria-describedby="login-problem"[^>]*id="login-email"/s
		);
		expect(html).toContain('value="niemand@gemeente.test"');
		expect(res.headers.getSetCookie().some((c) => c.startsWith('wijkkaart_sessie='))).toBe(false);
	});

	it('refuses a sign-in posted from another site (SvelteKit origin check stays on)', async () => {
		const res = await fetch(`${base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: 'https://evil.example',
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: PERSONAS[0].email, password: PASSWORD })
		});
		expect(res.status).toBe(403);
		expect(res.headers.getSetCookie()).toEqual([]);
	});

	it('shows the signed-in name and "Afmelden" in the header, and /beheer lists what the role may do', async () => {
		const cookie = cookies.get('wijkregisseur')!;
		const home = await (await fetch(`${base}/`, { headers: { cookie } })).text();
		expect(home).toContain('Aangemeld als <strong>Test wijkregisseur</strong>');
		expect(home).toMatch(
			/<form[^>]*method="POST"[^>]*action="\/logout"[^>]*>\s*<button[^>]*type="submit"[^>]*>Afmelden<\/button>/
		);
		const anon = await (await fetch(`${base}/`)).text();
		expect(anon).not.toContain('Afmelden');
		const beheer = await fetch(`${base}/beheer`, { headers: { cookie } });
		expect(beheer.headers.get('cache-control')).toBe('private, no-store');
		const html = await beheer.text();
		expect(html).toContain('Uw rol: wijkregisseur');
		expect(html).toContain(`Uw wijken: ${OWN_WIJK}`);
		expect(html).toContain('De wijkagenda van uw wijken bewerken.');
		expect(html).not.toContain('/beheer/audit');
		const en = await (await fetch(`${base}/beheer?lang=en`, { headers: { cookie } })).text();
		expect(en).toContain('Your role: district director');
	});

	it('shows the audit trail to a beheerder with filters and 403 to the others', async () => {
		const cookie = cookies.get('beheerder')!;
		const all = await (await fetch(`${base}/beheer/audit`, { headers: { cookie } })).text();
		expect(all).toContain('login.failed');
		expect(all).toContain('user.add');
		const failed = await (
			await fetch(`${base}/beheer/audit?action=login.failed`, { headers: { cookie } })
		).text();
		expect(failed).toContain('niemand@gemeente.test');
		expect(failed).not.toMatch(/<td[^>]*>user\.add<\/td>/);
		const entity = await (
			await fetch(`${base}/beheer/audit?entity=staff_user&actor=system`, { headers: { cookie } })
		).text();
		expect(entity.match(/<td[^>]*>user\.add<\/td>/g)).toHaveLength(PERSONAS.length);
		const future = await (
			await fetch(`${base}/beheer/audit?from=2999-01-01`, { headers: { cookie } })
		).text();
		expect(future).toContain('Geen regels die aan de filters voldoen.');
		const bad = await (
			await fetch(`${base}/beheer/audit?from=gisteren`, { headers: { cookie } })
		).text();
		expect(bad).toMatch(/aria-describedby="audit-from-error"/);
		expect(bad).toContain('Gebruik een datum als 2026-11-23.');
		for (const p of PERSONAS.filter((x) => x.role !== 'beheerder')) {
			const res = await fetch(`${base}/beheer/audit`, { headers: { cookie: cookies.get(p.key)! } });
			expect(res.status, p.key).toBe(403);
			const page = await res.text();
			expect(page).not.toContain('login.failed');
			expect(page).toContain('Geen toegang. Uw rol');
		}
	});

	it('sign-out ends the session server-side: the old cookie no longer opens /beheer', async () => {
		const { cookie } = await login(base, PERSONAS[3].email);
		expect(
			(await fetch(`${base}/beheer`, { headers: { cookie: cookie! }, redirect: 'manual' })).status
		).toBe(200);
		const out = await fetch(`${base}/logout`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: base,
				accept: 'text/html',
				cookie: cookie!,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: ''
		});
		expect(out.status).toBe(303);
		expect(out.headers.getSetCookie().find((c) => c.startsWith('wijkkaart_sessie='))).toMatch(
			/Max-Age=0|Expires=Thu, 01 Jan 1970/i
		);
		// A copy of the cookie kept by an attacker: refused, as if anonymous.
		const again = await fetch(`${base}/beheer`, {
			headers: { cookie: cookie! },
			redirect: 'manual'
		});
		expect(again.status).toBe(303);
		expect(again.headers.get('location')).toBe('/login?redirectTo=%2Fbeheer');
	});

	it('signs in by keyboard alone in a browser', async () => {
		const page = portal.page;
		await page.goto(`${base}/beheer`);
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.keyboard.press('Tab'); // skip link
		await page.keyboard.press('Tab'); // brand
		for (
			let i = 0;
			i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'login-email';
			i++
		)
			await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-email');
		await page.keyboard.type(PERSONAS[2].email);
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-password');
		await page.keyboard.type('fout-wachtwoord-1');
		await page.keyboard.press('Enter');
		await page.waitForSelector('#login-problem');
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-email');
		await page.keyboard.press('Tab');
		await page.keyboard.type(PASSWORD);
		await page.keyboard.press('Enter');
		await page.waitForURL(`${base}/beheer`);
		expect(await page.textContent('h1')).toBe('Beheer');
		expect(await page.textContent('header')).toContain('Test wijkregisseur-andere-wijk');
	});

	// Last: it leaves this account slowed down for this client (PAIR_FREE failures are free, then a delay per account+client pair).
	it('after the free failed sign-ins the login page says in Dutch how long to wait, even for the right password from that client', async () => {
		const who = PERSONAS[4].email;
		for (let i = 0; i < PAIR_FREE; i++)
			expect((await login(base, who, `verkeerd-${i}-wachtwoord`)).res.status).toBe(400);
		const { res, cookie } = await login(base, who);
		expect(res.status).toBe(429);
		expect(cookie).toBeNull();
		expect(await res.text()).toMatch(
			/Te veel mislukte pogingen\. Probeer het over \d+ (minuut|minuten) opnieuw\./
		);
	});
});
