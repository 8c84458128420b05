import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { guard } from '../../src/lib/server/auth/guard.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { signIn } from '../../src/lib/server/auth/users.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { OTHER_WIJK, PASSWORD, PERSONAS, seedAccounts } from './auth-setup.ts';

/**
 * The permission matrix of the editing and moderation routes, through the real guard and
 * RULES table: who gets through ('door'), who is sent away (401/403/303).
 */
describe(`editing routes in the guard on ${storeName}`, () => {
	let store: TestStore;
	let itemId: number;
	let otherWijkPoint: [number, number];
	const tokens = new Map<string, string>();

	beforeAll(async () => {
		store = await freshStore();
		({ itemId } = await seedAccounts(store.db));
		for (const p of PERSONAS) {
			const r = await signIn(store.db, p.email, PASSWORD, 'matrix');
			if (!r.ok) throw new Error(`aanmelden mislukt: ${p.key}`);
			tokens.set(p.key, r.token);
		}
		const [pt] = await store.db.query<{ x: number; y: number }>(
			`SELECT ST_X(p)::float8 x, ST_Y(p)::float8 y FROM (SELECT ST_PointOnSurface(geom) p FROM area WHERE level = 'wijk' AND code = $1) s`,
			[OTHER_WIJK]
		);
		otherWijkPoint = [pt.x, pt.y];
	});
	afterAll(() => store?.dispose());

	async function outcome(
		who: string | null,
		method: string,
		routeId: string,
		path: string,
		body?: { json?: unknown; form?: Record<string, string> }
	) {
		const jar = new Map(who ? [[SESSION_COOKIE, tokens.get(who)!]] : []);
		const headers: Record<string, string> = {};
		let payload: string | undefined;
		if (body?.json)
			[headers['content-type'], payload] = ['application/json', JSON.stringify(body.json)];
		if (body?.form)
			[headers['content-type'], payload] = [
				'application/x-www-form-urlencoded',
				new URLSearchParams(body.form).toString()
			];
		const url = new URL(`http://portal.test${path}`);
		const id = /\/items\/(\d+)/.exec(path)?.[1];
		const event = {
			locals: { db: store.db, lang: 'nl', user: null },
			request: new Request(url, { method, headers, body: payload }),
			url,
			route: { id: routeId },
			params: id ? { id } : {},
			cookies: { get: (k: string) => jar.get(k), delete: () => {}, set: () => {} },
			getClientAddress: () => '127.0.0.1'
		} as unknown as RequestEvent;
		try {
			const res = await guard(event);
			return res ? res.status : 'door';
		} catch (thrown) {
			return (thrown as { status: number }).status;
		}
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
	// The guard turns away only the wrong role (from ITEM_WRITERS); where the item lies before and
	// after a write is decided inside the write: tests/integration/authz-writes.test.ts.
	const matrix: [
		string,
		string,
		string,
		() => { json?: unknown; form?: Record<string, string> } | undefined,
		(string | number)[]
	][] = [
		[
			'PATCH',
			'/api/items/[id]',
			'/api/items/ID',
			() => ({ json: { version: 1, title: 'x' } }),
			['door', 'door', 'door', 'door', 'door', 403, 401]
		],
		[
			'POST',
			'/api/items/[id]/status',
			'/api/items/ID/status',
			() => ({ json: {} }),
			['door', 'door', 'door', 'door', 'door', 403, 401]
		],
		[
			'DELETE',
			'/api/items/[id]',
			'/api/items/ID',
			() => undefined,
			['door', 'door', 'door', 403, 403, 403, 401]
		],
		[
			'POST',
			'/api/items/[id]/restore',
			'/api/items/ID/restore',
			() => undefined,
			['door', 'door', 'door', 403, 403, 403, 401]
		],
		[
			'POST',
			'/api/items',
			'/api/items',
			() => ({
				json: { layer: 'projecten', geometry: { type: 'Point', coordinates: otherWijkPoint } }
			}),
			['door', 'door', 'door', 'door', 'door', 403, 401]
		],
		[
			'GET',
			'/beheer/items',
			'/beheer/items',
			() => undefined,
			['door', 'door', 'door', 'door', 'door', 'door', 303]
		],
		[
			'GET',
			'/beheer/items/nieuw',
			'/beheer/items/nieuw',
			() => undefined,
			['door', 'door', 'door', 'door', 'door', 403, 303]
		],
		[
			'POST',
			'/beheer/items/nieuw',
			'/beheer/items/nieuw',
			() => ({
				form: { layer: 'projecten', lat: String(otherWijkPoint[1]), lon: String(otherWijkPoint[0]) }
			}),
			['door', 'door', 'door', 'door', 'door', 403, 303]
		],
		[
			'POST',
			'/beheer/items/[id]',
			'/beheer/items/ID?/save',
			() => ({ form: { version: '1' } }),
			['door', 'door', 'door', 'door', 'door', 403, 303]
		],
		[
			'POST',
			'/beheer/items/[id]',
			'/beheer/items/ID?/delete',
			() => ({ form: { version: '1' } }),
			['door', 'door', 'door', 403, 403, 403, 303]
		],
		[
			'GET',
			'/beheer/moderatie',
			'/beheer/moderatie',
			() => undefined,
			['door', 403, 403, 403, 403, 'door', 303]
		],
		[
			'POST',
			'/beheer/moderatie',
			'/beheer/moderatie?/approve',
			() => ({ form: { id: '1' } }),
			['door', 403, 403, 403, 403, 'door', 303]
		],
		[
			'POST',
			'/beheer/moderatie',
			'/beheer/moderatie?/reject',
			() => ({ form: { id: '1', reason: 'x' } }),
			['door', 403, 403, 403, 403, 'door', 303]
		]
	];

	for (const [method, routeId, path, body, expected] of matrix) {
		it(`${method} ${path}: ${who.map((w, i) => `${w ?? 'anoniem'}=${expected[i]}`).join(', ')}`, async () => {
			const got = [];
			for (const w of who)
				got.push(await outcome(w, method, routeId, path.replace('ID', String(itemId)), body()));
			expect(got).toEqual(expected);
		});
	}
});
