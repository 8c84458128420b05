import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { handle } from '../../src/hooks.server.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { signIn } from '../../src/lib/server/auth/users.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import * as apiItems from '../../src/routes/api/items/+server.ts';
import * as apiItem from '../../src/routes/api/items/[id]/+server.ts';
import * as apiStatus from '../../src/routes/api/items/[id]/status/+server.ts';
import * as apiRestore from '../../src/routes/api/items/[id]/restore/+server.ts';
import * as pageItem from '../../src/routes/beheer/items/[id]/+page.server.ts';
import * as pageNew from '../../src/routes/beheer/items/nieuw/+page.server.ts';
import * as pageModeration from '../../src/routes/beheer/moderatie/+page.server.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { serveToHooks } from '../helpers/hooks-store.ts';
import { OTHER_WIJK, OWN_WIJK, PASSWORD, PERSONAS, seedAccounts } from './auth-setup.ts';

/**
 * Every item write route × every role × an accepted and an unaccepted media type (which one
 * drawn by fast-check) × an item in wijk 01 and in wijk 02, through the real hooks (body type,
 * guard) and the real handlers; afterwards the store must hold exactly the write the oracle
 * below allows, or nothing. The oracle is written out here, independently of policy.ts.
 */
type Kind = 'create' | 'edit' | 'move' | 'status' | 'delete' | 'restore' | 'respond' | 'approve';
interface Route {
	name: string;
	kind: Kind;
	form: boolean;
	routeId: string;
	method: string;
	path: (id: number) => string;
	body: (t: Target) => Record<string, string | number | object> | null;
	run: (event: RequestEvent) => Promise<unknown>;
	/** Item state before the write. */
	setup: 'plain' | 'deleted' | 'pending';
	layer: 'projecten' | 'meldingen';
}
interface Target {
	id: number;
	wijk: string;
	/** A point in this wijk, and one in the other. */
	here: [number, number];
	there: [number, number];
}

const who = [
	'beheerder',
	'wijkregisseur',
	'wijkregisseur-andere-wijk',
	'medewerker',
	'medewerker-andere-wijk',
	'moderator',
	null
] as const;
type Who = (typeof who)[number];

// Which roles may do what (the oracle): editors create, edit, move and set the status; delete and
// restore are for beheerder and wijkregisseur; moderation for beheerder and moderator. The
// moderation page's "respond" is a status change: editors only, and the page admits only
// beheerder and moderator, so only the beheerder.
const ROLES: Record<Kind, string[]> = {
	create: ['beheerder', 'wijkregisseur', 'medewerker'],
	edit: ['beheerder', 'wijkregisseur', 'medewerker'],
	move: ['beheerder', 'wijkregisseur', 'medewerker'],
	status: ['beheerder', 'wijkregisseur', 'medewerker'],
	delete: ['beheerder', 'wijkregisseur'],
	restore: ['beheerder', 'wijkregisseur'],
	respond: ['beheerder'],
	approve: ['beheerder', 'moderator']
};

function allowed(kind: Kind, w: Who, target: Target): boolean {
	if (w === null) return false;
	const persona = PERSONAS.find((p) => p.key === w)!;
	if (!ROLES[kind].includes(persona.role)) return false;
	if (persona.role !== 'wijkregisseur' && persona.role !== 'medewerker') return true;
	const dest = kind === 'move' ? (target.wijk === OWN_WIJK ? OTHER_WIJK : OWN_WIJK) : target.wijk;
	return persona.wijken.includes(target.wijk) && persona.wijken.includes(dest);
}

const API_OK = [
	'application/json',
	'application/json; charset=utf-8',
	'application/json;charset=UTF-8'
];
const API_BAD = [
	'text/plain',
	'text/plain;charset=UTF-8',
	'application/merge-patch+json',
	'application/json; charset=x',
	'application/x-www-form-urlencoded',
	'application/vnd.api+json',
	''
];
const FORM_OK = ['application/x-www-form-urlencoded', 'multipart/form-data'];
const FORM_BAD = ['text/plain', 'application/json', 'application/json; charset=utf-8', ''];

const pt = (p: [number, number]) => ({ type: 'Point', coordinates: p });
const api = (
	kind: Kind,
	routeId: string,
	method: string,
	path: Route['path'],
	body: Route['body'],
	run: Route['run'],
	setup: Route['setup'] = 'plain'
): Route => ({
	name: `${method} ${routeId} (${kind})`,
	kind,
	form: false,
	routeId,
	method,
	path,
	body,
	run,
	setup,
	layer: 'projecten'
});
const action = (
	kind: Kind,
	routeId: string,
	name: string,
	path: Route['path'],
	body: Route['body'],
	run: Route['run'],
	setup: Route['setup'] = 'plain',
	layer: Route['layer'] = 'projecten'
): Route => ({
	name: `POST ${routeId}?/${name} (${kind})`,
	kind,
	form: true,
	routeId,
	method: 'POST',
	path,
	body,
	run,
	setup,
	layer
});
type Actions = Record<string, (e: RequestEvent) => Promise<unknown>>;
const act = (mod: { actions: unknown }, name: string) => (e: RequestEvent) =>
	(mod.actions as Actions)[name](e);
const fn = (f: unknown) => f as (e: RequestEvent) => Promise<unknown>;

const ROUTES: Route[] = [
	api(
		'create',
		'/api/items',
		'POST',
		() => '/api/items',
		(t) => ({
			layer: 'projecten',
			title: 'Nieuw via API',
			theme: 'openbare-ruimte',
			geometry: pt(t.here)
		}),
		fn(apiItems.POST)
	),
	api(
		'edit',
		'/api/items/[id]',
		'PATCH',
		(id) => `/api/items/${id}`,
		() => ({ version: 1, title: 'Andere titel' }),
		fn(apiItem.PATCH)
	),
	api(
		'move',
		'/api/items/[id]',
		'PATCH',
		(id) => `/api/items/${id}`,
		(t) => ({ version: 1, geometry: pt(t.there) }),
		fn(apiItem.PATCH)
	),
	api(
		'status',
		'/api/items/[id]/status',
		'POST',
		(id) => `/api/items/${id}/status`,
		() => ({ version: 1, status: 'uitvoering', publicText: 'We beginnen.' }),
		fn(apiStatus.POST)
	),
	api(
		'delete',
		'/api/items/[id]',
		'DELETE',
		(id) => `/api/items/${id}`,
		() => ({}),
		fn(apiItem.DELETE)
	),
	api(
		'restore',
		'/api/items/[id]/restore',
		'POST',
		(id) => `/api/items/${id}/restore`,
		() => ({}),
		fn(apiRestore.POST),
		'deleted'
	),
	action(
		'create',
		'/beheer/items/nieuw',
		'default',
		() => '/beheer/items/nieuw',
		(t) => ({
			layer: 'projecten',
			title: 'Nieuw via formulier',
			description: '',
			theme: 'openbare-ruimte',
			lat: String(t.here[1]),
			lon: String(t.here[0])
		}),
		act(pageNew, 'default')
	),
	action(
		'edit',
		'/beheer/items/[id]',
		'save',
		(id) => `/beheer/items/${id}?/save`,
		() => ({ version: '1', title: 'Andere titel', description: '', theme: 'openbare-ruimte' }),
		act(pageItem, 'save')
	),
	action(
		'move',
		'/beheer/items/[id]',
		'save',
		(id) => `/beheer/items/${id}?/save`,
		(t) => ({
			version: '1',
			title: 'Verplaatst',
			description: '',
			theme: 'openbare-ruimte',
			lat: String(t.there[1]),
			lon: String(t.there[0])
		}),
		act(pageItem, 'save')
	),
	action(
		'status',
		'/beheer/items/[id]',
		'status',
		(id) => `/beheer/items/${id}?/status`,
		() => ({ version: '1', status: 'uitvoering', publicText: 'We beginnen.' }),
		act(pageItem, 'status')
	),
	action(
		'delete',
		'/beheer/items/[id]',
		'delete',
		(id) => `/beheer/items/${id}?/delete`,
		() => ({ version: '1' }),
		act(pageItem, 'delete')
	),
	action(
		'restore',
		'/beheer/items/[id]',
		'restore',
		(id) => `/beheer/items/${id}?/restore`,
		() => ({ version: '1' }),
		act(pageItem, 'restore'),
		'deleted'
	),
	action(
		'respond',
		'/beheer/moderatie',
		'respond',
		() => '/beheer/moderatie?/respond',
		(t) => ({
			id: String(t.id),
			version: '1',
			status: 'in_behandeling',
			publicText: 'We pakken het op.'
		}),
		act(pageModeration, 'respond'),
		'plain',
		'meldingen'
	),
	action(
		'approve',
		'/beheer/moderatie',
		'approve',
		() => '/beheer/moderatie?/approve',
		(t) => ({ id: String(t.id) }),
		act(pageModeration, 'approve'),
		'pending',
		'meldingen'
	)
];

describe(`every item write × role × media type × scope, through the hooks, on ${storeName}`, () => {
	let store: TestStore;
	let db: Db;
	const tokens = new Map<string, string>();
	const points = new Map<string, [number, number]>();
	let served: Awaited<ReturnType<typeof serveToHooks>>;

	beforeAll(async () => {
		store = await freshStore();
		await seedAccounts(store.db);
		for (const code of [OWN_WIJK, OTHER_WIJK]) {
			const [p] = await store.db.query<{ x: number; y: number }>(
				`SELECT ST_X(p)::float8 x, ST_Y(p)::float8 y FROM (SELECT ST_PointOnSurface(geom) p FROM area WHERE level = 'wijk' AND code = $1) s`,
				[code]
			);
			points.set(code, [p.x, p.y]);
		}
		served = await serveToHooks(store);
		db = served.db;
		for (const p of PERSONAS) {
			const r = await signIn(db, p.email, PASSWORD, 'matrix');
			if (!r.ok) throw new Error(`aanmelden mislukt: ${p.key}`);
			tokens.set(p.key, r.token);
		}
	});
	afterAll(() => served?.dispose());

	async function target(route: Route, wijk: string): Promise<Target> {
		const here = points.get(wijk)!;
		const there = points.get(wijk === OWN_WIJK ? OTHER_WIJK : OWN_WIJK)!;
		const { ids } = await db.transaction((tx) =>
			insertItems(tx, [
				route.layer === 'projecten'
					? {
							layer: 'projecten',
							title: 'Doel',
							description: '',
							theme: 'openbare-ruimte',
							status: 'ontwerp',
							geometry: pt(here) as never,
							details: {}
						}
					: {
							layer: 'meldingen',
							title: 'Doel',
							description: '',
							theme: 'openbare-ruimte',
							status: 'gemeld',
							geometry: pt(here) as never,
							details: {}
						}
			])
		);
		const id = ids[0]!;
		if (route.setup === 'deleted')
			await db.query('UPDATE item SET deleted_at = now() WHERE id = $1', [id]);
		if (route.setup === 'pending')
			await db.query(
				`UPDATE item SET moderation = 'te_beoordelen', published = false WHERE id = $1`,
				[id]
			);
		return { id, wijk, here, there };
	}

	/** What item writes leave behind: every item row and the counts of timeline and audit rows. */
	async function writes(): Promise<string> {
		const [r] = await db.query<{ h: string }>(
			`SELECT (SELECT md5(coalesce(string_agg(i::text, '|' ORDER BY i.id), '')) FROM item i)
			        || (SELECT count(*) FROM item_update)::text || '/' || (SELECT count(*) FROM audit_log)::text AS h`
		);
		return r.h;
	}

	function buildRequest(route: Route, t: Target, type: string): Request {
		const url = new URL(`http://portal.test${route.path(t.id)}`);
		const fields = route.body(t);
		const headers: Record<string, string> = {};
		let body: BodyInit | undefined;
		if (fields) {
			const flat = Object.fromEntries(
				Object.entries(fields).map(([k, v]) => [
					k,
					typeof v === 'object' ? JSON.stringify(v) : String(v)
				])
			);
			if (type === 'multipart/form-data') {
				const fd = new FormData();
				for (const [k, v] of Object.entries(flat)) fd.append(k, v);
				body = fd;
			} else {
				// The same bytes whatever the label: JSON for the API, urlencoded for forms (the wrapping is the attack).
				body =
					route.form &&
					(type.startsWith('application/x-www') || type === 'text/plain' || type === '')
						? new URLSearchParams(flat).toString()
						: JSON.stringify(fields);
				if (type) headers['content-type'] = type;
			}
		}
		return new Request(url, { method: route.method, headers, body });
	}

	async function send(route: Route, w: Who, t: Target, type: string): Promise<number> {
		const request = buildRequest(route, t, type);
		const url = new URL(request.url);
		const jar = new Map<string, string>(w ? [[SESSION_COOKIE, tokens.get(w)!]] : []);
		const event = {
			request,
			url,
			route: { id: route.routeId },
			params: /\/items\/(\d+)/.exec(url.pathname)
				? { id: /\/items\/(\d+)/.exec(url.pathname)![1] }
				: {},
			locals: {},
			cookies: {
				get: (k: string) => jar.get(k),
				set: () => {},
				delete: () => {},
				getAll: () => [],
				serialize: () => ''
			},
			getClientAddress: () => '127.0.0.1',
			setHeaders: () => {},
			isDataRequest: false,
			isSubRequest: false
		} as unknown as RequestEvent;
		try {
			const res = await handle({
				event,
				resolve: async (e) => {
					const out = await route.run(e);
					if (out instanceof Response) return out;
					// A form action: an ActionFailure carries its status; success is 200.
					const status = (out as { status?: number } | undefined)?.status;
					return new Response(null, { status: typeof status === 'number' ? status : 200 });
				}
			});
			return res.status;
		} catch (thrown) {
			if (isRedirect(thrown)) return thrown.status;
			if (isHttpError(thrown)) return thrown.status;
			throw thrown;
		}
	}

	async function changed(route: Route, t: Target): Promise<boolean> {
		if (route.kind === 'create') {
			const [r] = await db.query<{ n: number }>(
				`SELECT count(*)::int n FROM item WHERE title LIKE 'Nieuw via%' AND areas ->> 'wijk' = $1`,
				[t.wijk]
			);
			await db.query(`DELETE FROM item WHERE title LIKE 'Nieuw via%'`);
			return r.n === 1;
		}
		const [i] = await db.query<{
			title: string;
			status: string;
			wijk: string;
			deleted: boolean;
			moderation: string | null;
		}>(
			`SELECT title, status, areas ->> 'wijk' wijk, deleted_at IS NOT NULL deleted, moderation FROM item WHERE id = $1`,
			[t.id]
		);
		switch (route.kind) {
			case 'edit':
				return i.title === 'Andere titel';
			case 'move':
				return i.wijk !== t.wijk;
			case 'status':
				return i.status === 'uitvoering';
			case 'respond':
				return i.status === 'in_behandeling';
			case 'delete':
				return i.deleted;
			case 'restore':
				return !i.deleted;
			case 'approve':
				return i.moderation === 'goedgekeurd';
		}
	}

	for (const route of ROUTES) {
		it(route.name, async () => {
			const failures: string[] = [];
			// fast-check picks which accepted and which unaccepted type each (role, target) pair gets.
			const ok = route.form ? FORM_OK : API_OK;
			const bad = route.form ? FORM_BAD : API_BAD;
			const picks = fc.sample(fc.tuple(fc.constantFrom(...ok), fc.constantFrom(...bad)), {
				numRuns: who.length * 2,
				seed: 17
			});
			let n = 0;
			for (const w of who) {
				for (const wijk of [OWN_WIJK, OTHER_WIJK]) {
					const [good, wrong] = picks[n++];
					for (const type of [good, wrong]) {
						const t = await target(route, wijk);
						const before = await writes();
						const status = await send(route, w, t, type);
						const accepted = type === good;
						const expectWrite = accepted && allowed(route.kind, w, t);
						const did = await changed(route, t);
						const unchanged = route.kind === 'create' ? !did : (await writes()) === before;
						const label = `${w ?? 'anoniem'} ${type || '(geen type)'} doel in ${wijk}: status ${status}`;
						if (expectWrite) {
							if (!did || status >= 400) failures.push(`${label}, verwacht geschreven`);
						} else {
							if (!unchanged) failures.push(`${label}, de store is gewijzigd`);
							const want = !accepted ? [415] : w === null ? (route.form ? [303] : [401]) : [403];
							if (!want.includes(status)) failures.push(`${label}, verwacht ${want.join('/')}`);
						}
					}
				}
			}
			expect(failures).toEqual([]);
		});
	}

	it('a medewerker who files an item under their own department cannot then move it out of their wijk', async () => {
		const mw = PERSONAS.find((p) => p.key === 'medewerker-andere-wijk')!; // wijk 02, department Mobiliteit
		const [own, other] = [points.get(OTHER_WIJK)!, points.get(OWN_WIJK)!];
		const route = ROUTES.find((r) => r.name.startsWith('PATCH') && r.kind === 'edit')!;
		const { ids } = await db.transaction((tx) =>
			insertItems(tx, [
				{
					layer: 'projecten',
					title: 'Eigen wijk',
					description: '',
					theme: 'openbare-ruimte',
					status: 'ontwerp',
					geometry: pt(own) as never,
					details: {}
				}
			])
		);
		const id = ids[0]!;
		const call = async (body: unknown) => {
			const req = new Request(`http://portal.test/api/items/${id}`, {
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			const event = {
				request: req,
				url: new URL(req.url),
				route: { id: route.routeId },
				params: { id: String(id) },
				locals: {},
				cookies: {
					get: (k: string) => (k === SESSION_COOKIE ? tokens.get(mw.key) : undefined),
					set: () => {},
					delete: () => {}
				},
				getClientAddress: () => '127.0.0.1',
				setHeaders: () => {}
			} as unknown as RequestEvent;
			return (await handle({ event, resolve: (e) => apiItem.PATCH(e as never) })).status;
		};
		expect(await call({ version: 1, details: { department: 'Mobiliteit' } })).toBe(200);
		const before = await writes();
		expect(await call({ version: 2, geometry: pt(other) })).toBe(403);
		expect(await writes()).toBe(before);
		// Filed under their department by someone else, elsewhere: editable where it lies, not movable.
		await db.query(
			`UPDATE item SET areas = jsonb_set(areas, '{wijk}', to_jsonb($2::text)), geom = ST_SetSRID(ST_MakePoint($3, $4), 4326) WHERE id = $1`,
			[id, OWN_WIJK, other[0], other[1]]
		);
		expect(await call({ version: 2, title: 'Bijgewerkt door de afdeling' })).toBe(200);
		expect(await call({ version: 3, geometry: pt(points.get(OTHER_WIJK)!) })).toBe(200);
	});
});
