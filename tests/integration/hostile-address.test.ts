import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { handle } from '../../src/hooks.server.ts';
import { sameSitePath } from '../../src/lib/server/http/same-site.ts';
import * as areaGET from '../../src/routes/api/areas/[code]/+server.ts';
import * as summaryGET from '../../src/routes/api/areas/[code]/summary/+server.ts';
import * as itemsGET from '../../src/routes/api/items/+server.ts';
import * as itemGET from '../../src/routes/api/items/[id]/+server.ts';
import * as searchGET from '../../src/routes/api/adressen/+server.ts';
import * as wijkFileGET from '../../src/routes/api/wijken/[code]/[file]/+server.ts';
import * as login from '../../src/routes/login/+page.server.ts';
import { freshStore, storeName } from '../helpers/db.ts';
import { serveToHooks } from '../helpers/hooks-store.ts';
import { PASSWORD, PERSONAS, seedAccounts } from './auth-setup.ts';

/**
 * Control characters in a path or query answer 4xx before any handler runs (PostgreSQL refuses
 * NUL in text, which used to surface as a 500); a redirect after sign-in goes only to a path on
 * this site, whatever is put in front of the target.
 */
type Get = (e: RequestEvent) => Promise<Response>;
const ROUTES: {
	id: string;
	path: (s: string) => string;
	run: Get;
	params: (s: string) => Record<string, string>;
}[] = [
	{
		id: '/api/areas/[code]',
		path: (s) => `/api/areas/${s}`,
		run: areaGET.GET as Get,
		params: (s) => ({ code: s })
	},
	{
		id: '/api/areas/[code]/summary',
		path: (s) => `/api/areas/${s}/summary`,
		run: summaryGET.GET as Get,
		params: (s) => ({ code: s })
	},
	{
		id: '/api/wijken/[code]/[file]',
		path: (s) => `/api/wijken/${s}/agenda.csv`,
		run: wijkFileGET.GET as Get,
		params: (s) => ({ code: s, file: 'agenda.csv' })
	},
	{
		id: '/api/items',
		path: (s) => `/api/items?theme=${s}`,
		run: itemsGET.GET as Get,
		params: () => ({})
	},
	{
		id: '/api/items',
		path: (s) => `/api/items?wijk=${s}`,
		run: itemsGET.GET as Get,
		params: () => ({})
	},
	{
		id: '/api/items/[id]',
		path: (s) => `/api/items/1?x=${s}`,
		run: itemGET.GET as Get,
		params: () => ({ id: '1' })
	},
	{
		id: '/api/adressen',
		path: (s) => `/api/adressen?q=${s}`,
		run: searchGET.GET as Get,
		params: () => ({})
	}
];

describe(`hostile addresses and redirects on ${storeName}`, () => {
	let served: Awaited<ReturnType<typeof serveToHooks>>;

	beforeAll(async () => {
		const store = await freshStore();
		await seedAccounts(store.db);
		served = await serveToHooks(store);
	});
	afterAll(() => served?.dispose());

	function event(
		path: string,
		routeId: string,
		params: Record<string, string>,
		init: RequestInit = {}
	): RequestEvent {
		const url = new URL(`http://portal.test${path}`);
		return {
			request: new Request(url, init),
			url,
			route: { id: routeId },
			params,
			locals: {},
			cookies: { get: () => undefined, set: () => {}, delete: () => {} },
			getClientAddress: () => '10.9.8.7',
			setHeaders: () => {}
		} as unknown as RequestEvent;
	}

	async function status(
		e: RequestEvent,
		run: (e: RequestEvent) => Promise<Response>
	): Promise<number> {
		try {
			return (await handle({ event: e, resolve: run as never })).status;
		} catch (thrown) {
			if (isRedirect(thrown) || isHttpError(thrown)) return thrown.status;
			return 500;
		}
	}

	it('answers 4xx, never 5xx, to a control character anywhere in path or query', async () => {
		const control = fc
			.integer({ min: 0, max: 0x1f })
			.chain((c) => fc.constantFrom(c, 0x7f))
			.map((c) => `%${c.toString(16).padStart(2, '0').toUpperCase()}`);
		const samples = fc.sample(
			fc.tuple(fc.string({ maxLength: 4 }), control, fc.string({ maxLength: 4 })),
			{ numRuns: 12, seed: 4 }
		);
		const bad: string[] = [];
		for (const route of ROUTES) {
			for (const [a, c, b] of samples) {
				const raw = encodeURIComponent(a) + c + encodeURIComponent(b);
				const e = event(route.path(raw), route.id, route.params(decodeURIComponent(raw)));
				const s = await status(e, route.run);
				if (s < 400 || s >= 500) bad.push(`${route.path(raw)} → ${s}`);
			}
		}
		expect(bad).toEqual([]);
	});

	it('sameSitePath: whatever is put in front, the answer is a path on this site', () => {
		const junk = fc
			.array(
				fc.constantFrom(
					' ',
					'\t',
					'\n',
					'\r',
					'\u0000',
					'\u000b',
					'\u00a0',
					'\\',
					'/',
					'%09',
					'%2F',
					'@',
					':',
					'.'
				),
				{ maxLength: 6 }
			)
			.map((a) => a.join(''));
		const host = fc.constantFrom(
			'evil.example',
			'evil.example/beheer',
			'//evil.example',
			'https://evil.example',
			'javascript:alert(1)',
			'beheer/items',
			''
		);
		fc.assert(
			fc.property(junk, fc.constantFrom('', '/'), junk, host, (pre, slash, mid, h) => {
				const out = sameSitePath(pre + slash + mid + h, '/beheer');
				// Syntactically a path whatever parser reads it: one slash, then no slash, backslash, space or control character anywhere.
				expect(out).toMatch(/^\/(?![/\\])[^\s\u0000-\u001f\u007f\\]*$/);
				expect(new URL(out, 'https://portal.example').origin).toBe('https://portal.example');
			}),
			{ numRuns: 3000 }
		);
		expect(sameSitePath('/beheer/items?laag=meldingen#x', '/beheer')).toBe(
			'/beheer/items?laag=meldingen#x'
		);
	});

	it('signing in redirects only to a path on this site', async () => {
		const user = PERSONAS[0];
		for (const target of [
			'/\t/evil.example',
			'/\n/evil.example',
			' //evil.example',
			'/\\evil.example',
			'\u0000//evil.example',
			'/%09/evil.example',
			'/beheer/items'
		]) {
			const body = new URLSearchParams({
				email: user.email,
				password: PASSWORD,
				redirectTo: target
			});
			const e = event(
				'/login',
				'/login',
				{},
				{ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }
			);
			let location = '';
			try {
				await handle({
					event: e,
					resolve: (async (ev: RequestEvent) =>
						(login.actions as Record<string, (ev: RequestEvent) => Promise<unknown>>).default(
							ev
						)) as never
				});
			} catch (thrown) {
				if (!isRedirect(thrown)) throw thrown;
				location = thrown.location;
			}
			expect(
				new URL(location, 'https://portal.example').origin,
				`${JSON.stringify(target)} → ${location}`
			).toBe('https://portal.example');
			expect(location).toMatch(/^\/(?![/\\])/);
		}
	});
});
