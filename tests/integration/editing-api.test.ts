import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listGET, POST as createPOST } from '../../src/routes/api/items/+server.ts';
import {
	DELETE as itemDELETE,
	GET as detailGET,
	PATCH as itemPATCH
} from '../../src/routes/api/items/[id]/+server.ts';
import { POST as restorePOST } from '../../src/routes/api/items/[id]/restore/+server.ts';
import { POST as statusPOST } from '../../src/routes/api/items/[id]/status/+server.ts';
import { actions as newItemActions } from '../../src/routes/beheer/items/nieuw/+page.server.ts';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { freshStore, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

type Handler = (event: never) => Promise<Response> | Response;

describe(`editing API on ${storeName}`, () => {
	let store: TestStore;
	let user: StaffUser;
	let other: StaffUser;
	let inside: [number, number];

	async function call(
		handler: Handler,
		method: string,
		path: string,
		opts: { id?: number | string; body?: unknown; as?: StaffUser | null; lang?: 'nl' | 'en' } = {}
	) {
		const url = new URL(path, 'http://wijkkaart.test');
		const request = new Request(url, {
			method,
			headers: { 'content-type': 'application/json' },
			body:
				opts.body === undefined
					? undefined
					: typeof opts.body === 'string'
						? opts.body
						: JSON.stringify(opts.body)
		});
		const event = {
			url,
			request,
			params: opts.id === undefined ? {} : { id: String(opts.id) },
			locals: {
				db: store.db,
				user: opts.as === undefined ? user : opts.as,
				lang: opts.lang ?? 'nl'
			},
			getClientAddress: () => '192.0.2.7'
		};
		const res = await handler(event as never);
		const text = await res.text();
		return { status: res.status, body: text ? JSON.parse(text) : null };
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const rows = await store.db.query<{ id: string | number; email: string; name: string }>(
			`INSERT INTO staff_user (email, name, role) VALUES ('wr@gemeente.invalid', 'Wies Regisseur', 'beheerder'),
			 ('mw@gemeente.invalid', 'Mo Medewerker', 'beheerder') RETURNING id, email, name`
		);
		[user, other] = rows.map((r) => ({
			id: Number(r.id),
			email: r.email,
			name: r.name,
			role: 'beheerder' as const,
			department: null,
			wijken: []
		}));
		const [p] = await store.db.query<{ x: number; y: number }>(
			`SELECT ST_X(ST_PointOnSurface(geom))::float8 x, ST_Y(ST_PointOnSurface(geom))::float8 y FROM area WHERE level = 'wijk' ORDER BY code LIMIT 1`
		);
		inside = [p.x, p.y];
	});
	afterAll(() => store?.dispose());

	const project = () => ({
		layer: 'projecten',
		title: 'Nieuwe fietsstraat',
		theme: 'verkeer',
		geometry: { type: 'LineString', coordinates: [inside, [inside[0] + 0.001, inside[1]]] }
	});

	it('creates with 201; refuses bad input with 400 and fields, and a missing actor with 401, writing nothing', async () => {
		const before = await storeHash(store.db);
		const bad = await call(createPOST, 'POST', '/api/items', {
			body: { ...project(), geometry: { type: 'LineString', coordinates: [inside] } }
		});
		expect(bad.status).toBe(400);
		expect(bad.body.fields.geometry).toMatch(/minstens twee/);
		expect((await call(createPOST, 'POST', '/api/items', { body: '{niet json' })).status).toBe(400);
		expect(
			(await call(createPOST, 'POST', '/api/items', { body: { ...project(), extra: 1 } })).body
				.fields._
		).toMatch(/Onbekend veld: extra/);
		expect(
			(await call(createPOST, 'POST', '/api/items', { body: project(), as: null })).status
		).toBe(401);
		expect(await storeHash(store.db)).toBe(before);

		const made = await call(createPOST, 'POST', '/api/items', { body: project() });
		expect(made.status).toBe(201);
		expect(made.body).toMatchObject({
			layer: 'projecten',
			status: 'verkenning',
			version: 1,
			updatedBy: user.email
		});
		const pub = await call(detailGET, 'GET', `/api/items/${made.body.id}`, { id: made.body.id });
		expect(pub.status).toBe(200);
		expect(JSON.stringify(pub.body)).not.toMatch(/updatedBy|gemeente\.invalid/);
	});

	it('answers a refused form and a refused API call in the language the site chose: English when asked, Dutch otherwise', async () => {
		const before = await storeHash(store.db);
		const form = async (lang: 'nl' | 'en') => {
			const body = new FormData();
			for (const [k, v] of Object.entries({
				layer: 'projecten',
				title: 'Fietsstraat',
				theme: 'onzin',
				lat: String(inside[1]),
				lon: String(inside[0])
			}))
				body.set(k, v);
			const request = new Request('http://wijkkaart.test/beheer/items/nieuw', {
				method: 'POST',
				body
			});
			const event = {
				request,
				url: new URL(request.url),
				params: {},
				locals: { db: store.db, user, lang },
				getClientAddress: () => '192.0.2.7'
			};
			return (await newItemActions.default(event as never)) as {
				status: number;
				data: { field: string; code: string | null; errors: Record<string, string> };
			};
		};
		const [nl, en] = [await form('nl'), await form('en')];
		expect([nl.status, en.status]).toEqual([400, 400]);
		expect(en.data.field).toBe('theme');
		expect(nl.data.errors.theme).toMatch(/^onbekend thema "onzin"; toegestaan: /);
		expect(en.data.errors.theme).toMatch(/^unknown theme "onzin"; allowed: /);

		const created = (lang: 'nl' | 'en') =>
			call(createPOST, 'POST', '/api/items', { body: { ...project(), theme: 'onzin' }, lang });
		const [apiNl, apiEn] = [await created('nl'), await created('en')];
		expect([apiNl.status, apiEn.status]).toEqual([400, 400]);
		expect(apiNl.body.fields.theme).toMatch(/^onbekend thema "onzin"/);
		expect(apiEn.body.fields.theme).toMatch(/^unknown theme "onzin"/);
		expect(apiEn.body.field).toBe('theme');

		const listed = (lang: 'nl' | 'en') => call(listGET, 'GET', '/api/items?layer=wegen', { lang });
		const [getNl, getEn] = [await listed('nl'), await listed('en')];
		expect([getNl.status, getEn.status]).toEqual([400, 400]);
		expect(getNl.body).toMatchObject({
			code: 'errors.param.layer',
			field: 'layer',
			error: expect.stringMatching(/^onbekende layer "wegen"; toegestaan: /)
		});
		expect(getEn.body).toMatchObject({
			code: 'errors.param.layer',
			field: 'layer',
			error: expect.stringMatching(/^unknown layer "wegen"; allowed: /)
		});

		// A structural (zod) refusal, a bad id and a wrong body: codes too, in either language.
		const untitled = (lang: 'nl' | 'en') =>
			call(createPOST, 'POST', '/api/items', { body: { ...project(), title: ' ' }, lang });
		const [zodNl, zodEn] = [await untitled('nl'), await untitled('en')];
		expect([zodNl.status, zodNl.body.fields]).toEqual([400, { title: 'Vul een titel in.' }]);
		expect([zodEn.status, zodEn.body.fields]).toEqual([400, { title: 'Fill in a title.' }]);
		const badId = await call(detailGET, 'GET', '/api/items/x1', { id: 'x1', lang: 'en' });
		expect([badId.status, badId.body]).toEqual([
			400,
			{ error: 'id "x1" is not an item number', code: 'errors.edit.itemId' }
		]);
		const notJson = await call(createPOST, 'POST', '/api/items', { body: '{', lang: 'en' });
		expect([notJson.status, notJson.body.code, notJson.body.error]).toEqual([
			400,
			'errors.edit.bodyJson',
			'The body is not valid JSON.'
		]);
		expect(await storeHash(store.db)).toBe(before);
	});

	it('answers two PATCHes from the same version with 200 and 409; the 409 carries both versions', async () => {
		const { body: item } = await call(createPOST, 'POST', '/api/items', { body: project() });
		expect(
			(
				await call(itemPATCH, 'PATCH', `/api/items/${item.id}`, {
					id: item.id,
					body: { title: 'Zonder versie' }
				})
			).body.fields.version
		).toMatch(/version ontbreekt/);
		const [a, b] = await Promise.all([
			call(itemPATCH, 'PATCH', `/api/items/${item.id}`, {
				id: item.id,
				body: { version: 1, title: 'Fietsstraat (Wies)' }
			}),
			call(itemPATCH, 'PATCH', `/api/items/${item.id}`, {
				id: item.id,
				as: other,
				body: { version: 1, title: 'Fietsstraat (Mo)', description: 'Mo’s tekst' }
			})
		]);
		expect([a.status, b.status].sort()).toEqual([200, 409]);
		const [won, lost] = a.status === 200 ? [a, b] : [b, a];
		expect(lost.body.error).toMatch(
			new RegExp(
				`gewijzigd door ${won.body.title.includes('Wies') ? 'Wies Regisseur' : 'Mo Medewerker'} om`
			)
		);
		expect(lost.body.conflict.stored).toMatchObject({ title: won.body.title, version: 2 });
		expect(lost.body.conflict.yours.title).not.toBe(won.body.title);
		expect(lost.body.conflict.yourVersion).toBe(1);
		expect(lost.body.code).toBe('errors.edit.conflict');
		// After seeing the conflict the loser saves over the version they now know.
		const retry = await call(itemPATCH, 'PATCH', `/api/items/${item.id}`, {
			id: item.id,
			body: { version: 2, title: lost.body.conflict.yours.title }
		});
		expect([retry.status, retry.body.version, retry.body.title]).toEqual([
			200,
			3,
			lost.body.conflict.yours.title
		]);
		expect(
			(
				await call(itemPATCH, 'PATCH', '/api/items/999999', {
					id: 999999,
					body: { version: 1, title: 'x' }
				})
			).status
		).toBe(404);
	});

	it('status: 400 without public text, 200 with it, and the text is on the public timeline', async () => {
		const { body: item } = await call(createPOST, 'POST', '/api/items', { body: project() });
		const none = await call(statusPOST, 'POST', `/api/items/${item.id}/status`, {
			id: item.id,
			body: { status: 'uitvoering', publicText: '', version: 1 }
		});
		expect(none.status).toBe(400);
		expect(none.body.fields.publicText).toMatch(/openbare toelichting/);
		const done = await call(statusPOST, 'POST', `/api/items/${item.id}/status`, {
			id: item.id,
			body: { status: 'uitvoering', publicText: 'We beginnen maandag.', version: 1 }
		});
		expect([done.status, done.body.status, done.body.version]).toEqual([200, 'uitvoering', 2]);
		const pub = await call(detailGET, 'GET', `/api/items/${item.id}`, { id: item.id });
		expect(pub.body.properties.timeline.at(-1)).toMatchObject({
			from: 'verkenning',
			to: 'uitvoering',
			text: 'We beginnen maandag.'
		});
		const stale = await call(statusPOST, 'POST', `/api/items/${item.id}/status`, {
			id: item.id,
			body: { status: 'opgeleverd', publicText: 'Klaar', version: 1 }
		});
		expect(stale.status).toBe(409);
		expect(stale.body.conflict.stored.status).toBe('uitvoering');
		const staleEn = await call(statusPOST, 'POST', `/api/items/${item.id}/status`, {
			id: item.id,
			body: { status: 'opgeleverd', publicText: 'Klaar', version: 1 },
			lang: 'en'
		});
		expect([staleEn.status, staleEn.body.code]).toEqual([409, 'errors.edit.conflict']);
		expect(staleEn.body.error).toMatch(
			/^This item has meanwhile been changed by Wies Regisseur at /
		);
		// The field comes from the rule that refused, not from the words of its message.
		const silent = (lang: 'nl' | 'en') =>
			call(statusPOST, 'POST', `/api/items/${item.id}/status`, {
				id: item.id,
				body: { status: 'opgeleverd', publicText: ' ', version: 2 },
				lang
			});
		const [silentNl, silentEn] = [await silent('nl'), await silent('en')];
		expect([silentNl.status, silentNl.body.fields]).toEqual([
			400,
			{ publicText: 'Een statuswijziging heeft een openbare toelichting nodig.' }
		]);
		expect(silentEn.body.fields).toEqual({
			publicText: 'A status change needs a public explanation.'
		});
	});

	it('DELETE hides the item from /api/items and /api/items/<id>; restore brings it back', async () => {
		const { body: item } = await call(createPOST, 'POST', '/api/items', {
			body: { ...project(), title: 'Weg-en-terug' }
		});
		const listed = async () =>
			(await call(listGET, 'GET', '/api/items?q=Weg-en-terug')).body.features.map(
				(f: { id: number }) => f.id
			);
		expect(await listed()).toEqual([item.id]);
		expect(
			(await call(itemDELETE, 'DELETE', `/api/items/${item.id}?version=7`, { id: item.id })).status
		).toBe(409);
		const del = await call(itemDELETE, 'DELETE', `/api/items/${item.id}?version=1`, {
			id: item.id
		});
		expect([del.status, typeof del.body.deletedAt]).toEqual([200, 'string']);
		expect(await listed()).toEqual([]);
		expect((await call(detailGET, 'GET', `/api/items/${item.id}`, { id: item.id })).status).toBe(
			404
		);
		const back = await call(restorePOST, 'POST', `/api/items/${item.id}/restore`, { id: item.id });
		expect([back.status, back.body.deletedAt, back.body.version]).toEqual([200, null, 3]);
		expect(await listed()).toEqual([item.id]);
		expect((await call(detailGET, 'GET', `/api/items/${item.id}`, { id: item.id })).status).toBe(
			200
		);
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int n FROM audit_log WHERE entity_id = $1 AND client = '192.0.2.7' AND before IS DISTINCT FROM after`,
			[String(item.id)]
		);
		expect(n).toBe(3);
	});
});
