import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as adressenGET } from '../../src/routes/api/adressen/+server.ts';
import { GET as dubbelGET } from '../../src/routes/api/meldingen/dubbel/+server.ts';
import { GET as agendaGET } from '../../src/routes/api/wijken/[code]/[file]/+server.ts';
import { GET as icsGET } from '../../src/routes/api/bijeenkomsten.ics/+server.ts';
import { GET as summaryGET } from '../../src/routes/api/areas/[code]/summary/+server.ts';
import { GET as fotoGET } from '../../src/routes/foto/[id]/+server.ts';
import { GET as ownFotoGET } from '../../src/routes/volg/[token]/foto/[id]/+server.ts';
import { GET as areaTileGET } from '../../src/routes/tiles/areas/[z]/[x]/[y].mvt/+server.ts';
import { GET as itemTileGET } from '../../src/routes/tiles/items/[z]/[x]/[y].mvt/+server.ts';
import { GET as ogcCollectionGET } from '../../src/routes/ogc/collections/[id]/+server.ts';
import { GET as ogcItemsGET } from '../../src/routes/ogc/collections/[id]/items/+server.ts';
import { actions as userActions } from '../../src/routes/beheer/gebruikers/+page.server.ts';
import { actions as moderationActions } from '../../src/routes/beheer/moderatie/+page.server.ts';
import { cleanPhoto } from '../../src/lib/server/residents/photo.ts';
import { reject } from '../../src/lib/server/moderation.ts';
import type { StaffUser } from '../../src/lib/domain/staff.ts';
import { freshStore, storeHash, storeName, type TestStore } from '../helpers/db.ts';

type Lang = 'nl' | 'en';
type Handler = (event: never) => Promise<Response> | Response;

/**
 * Server messages by code (issue 19 §4): one refusal per route or module, asked in Dutch (the
 * default) and in English. Status, code and field are the same in both; only the text differs.
 */
describe(`server messages in Dutch and English on ${storeName}`, () => {
	let store: TestStore;
	const staff: StaffUser = {
		id: 1,
		email: 'beheer@gemeente.invalid',
		name: 'Bea Beheer',
		role: 'beheerder',
		wijken: [],
		department: null
	} as unknown as StaffUser;

	beforeAll(async () => {
		store = await freshStore();
	});
	afterAll(() => store?.dispose());

	const event = (
		path: string,
		lang: Lang,
		params: Record<string, string> = {},
		init?: RequestInit
	) => {
		const url = new URL(path, 'http://wijkkaart.test');
		return {
			url,
			params,
			request: new Request(url, init),
			locals: { db: store.db, lang, user: staff },
			getClientAddress: () => '192.0.2.9'
		} as never;
	};

	async function both(handler: Handler, path: string, params: Record<string, string> = {}) {
		const out = [];
		for (const lang of ['nl', 'en'] as const) {
			const res = await handler(event(path, lang, params));
			out.push({
				status: res.status,
				language: res.headers.get('content-language'),
				...(await res.json())
			});
		}
		return out;
	}

	it.each([
		[
			'/api/adressen',
			adressenGET,
			'/api/adressen?q=a',
			{},
			{ status: 400, code: 'errors.near.short', field: 'q' },
			'Typ minstens 2 tekens om te zoeken.',
			'Type at least 2 characters to search.'
		],
		[
			'/api/meldingen/dubbel',
			dubbelGET,
			'/api/meldingen/dubbel?lat=52.1&lon=5.1&category=',
			{},
			{ status: 400, code: 'errors.duplicates.category', field: 'category' },
			'Geef een categorie.',
			'Give a category.'
		],
		[
			'/api/wijken/<code>/agenda.json',
			agendaGET,
			'/api/wijken/WK999/agenda.json',
			{ code: 'WK999', file: 'agenda.json' },
			{ status: 404, code: 'errors.agenda.noneFor' },
			'Wijk "WK999" heeft (nog) geen wijkagenda.',
			'Wijk "WK999" has no wijkagenda (yet).'
		],
		[
			'/api/bijeenkomsten.ics',
			icsGET,
			'/api/bijeenkomsten.ics?theme=onzin',
			{},
			{ status: 400, code: 'errors.meetings.theme', field: 'theme' },
			/^Onbekend thema "onzin"; toegestaan: /,
			/^Unknown theme "onzin"; allowed: /
		],
		[
			'/api/areas/<code>/summary',
			summaryGET,
			'/api/areas/NOPE/summary?level=wijk',
			{ code: 'NOPE' },
			{ status: 404, code: 'errors.area.unknownAtLevel' },
			'onbekend gebied "NOPE" op niveau wijk',
			'unknown area "NOPE" at level wijk'
		],
		[
			'/foto/<id>',
			fotoGET,
			'/foto/12',
			{ id: '12' },
			{ status: 404, code: 'errors.photo.notPublic' },
			'Deze foto bestaat niet of is niet openbaar.',
			'This photo does not exist or is not public.'
		],
		[
			'/volg/<token>/foto/<id>',
			ownFotoGET,
			'/volg/abc/foto/12',
			{ token: 'abc', id: '12' },
			{ status: 404, code: 'errors.photo.missing' },
			'Deze foto bestaat niet.',
			'This photo does not exist.'
		],
		[
			'/tiles/areas/<z>/<x>/<y>.mvt',
			areaTileGET,
			'/tiles/areas/2/9/0.mvt',
			{ z: '2', x: '9', y: '0' },
			{ status: 400, code: 'errors.tile.invalid' },
			'geen geldige tegel 2/9/0',
			'not a valid tile 2/9/0'
		],
		[
			'/tiles/items/<z>/<x>/<y>.mvt',
			itemTileGET,
			'/tiles/items/1/0/x.mvt',
			{ z: '1', x: '0', y: 'x' },
			{ status: 400, code: 'errors.tile.invalid' },
			'geen geldige tegel 1/0/x',
			'not a valid tile 1/0/x'
		]
	])('%s', async (_route, handler, path, params, same, nl, en) => {
		const [inNl, inEn] = await both(handler as Handler, path, params);
		expect(inNl).toMatchObject({ ...same, language: 'nl', error: nl });
		expect(inEn).toMatchObject({ ...same, language: 'en', error: en });
	});

	it('/ogc keeps the OGC exception shape, built from the same error and in the asked language', async () => {
		const [nl, en] = await both(ogcCollectionGET, '/ogc/collections/onzin', { id: 'onzin' });
		expect(nl).toEqual({
			status: 404,
			language: 'nl',
			code: 'NotFound',
			messageCode: 'errors.ogc.noCollection',
			description: 'collectie "onzin" bestaat niet; zie /ogc/collections',
			error: 'collectie "onzin" bestaat niet; zie /ogc/collections'
		});
		expect(en).toMatchObject({
			status: 404,
			code: 'NotFound',
			messageCode: 'errors.ogc.noCollection'
		});
		expect(en.description).toBe(en.error);
		expect(en.description).toMatch(/^collection "onzin" does not exist/);
		const [badNl, badEn] = await both(ogcItemsGET, '/ogc/collections/meldingen/items?limit=nul', {
			id: 'meldingen'
		});
		expect([badNl.status, badNl.code, badEn.status, badEn.code]).toEqual([
			400,
			'InvalidParameterValue',
			400,
			'InvalidParameterValue'
		]);
		expect(badNl.description).not.toBe(badEn.description);
	});

	it('a form action of /beheer/gebruikers and /beheer/moderatie answers with actionFailure in the page language', async () => {
		const before = await storeHash(store.db);
		const add = async (lang: Lang) => {
			const body = new FormData();
			body.set('email', 'nieuw@gemeente.invalid');
			body.set('role', 'baas');
			const r = (await userActions.add(
				event('/beheer/gebruikers?/add', lang, {}, { method: 'POST', body })
			)) as { status: number; data: Record<string, unknown> };
			return [r.status, r.data];
		};
		const [nl, en] = [await add('nl'), await add('en')];
		expect(nl).toEqual([
			400,
			expect.objectContaining({
				act: 'add',
				ok: false,
				field: 'role',
				code: 'errors.user.role',
				message: expect.stringMatching(/^onbekende rol "baas"; kies uit beheerder/)
			})
		]);
		expect(en[1]).toMatchObject({
			field: 'role',
			code: 'errors.user.role',
			message: expect.stringMatching(/^unknown role "baas"; choose from beheerder/)
		});

		const approve = async (lang: Lang) => {
			const body = new FormData();
			body.set('id', 'nul');
			const r = (await moderationActions.approve(
				event('/beheer/moderatie?/approve', lang, {}, { method: 'POST', body })
			)) as { status: number; data: { code: string; errors: Record<string, string> } };
			return [r.status, r.data.code, r.data.errors._];
		};
		expect(await approve('nl')).toEqual([400, null, 'Onbekende inzending.']);
		expect(await approve('en')).toEqual([400, null, 'Unknown submission.']);
		expect(await storeHash(store.db)).toBe(before);
	});

	it('moderation and photo refusals carry a code with a text in both languages', async () => {
		const ctx = { actor: staff };
		const refused = await reject(store.db, 1, '  ', ctx).catch((e) => e);
		expect([refused.status, refused.field, refused.fieldsIn('en')]).toEqual([
			400,
			'reason',
			{ reason: 'Give a reason; the submitter will read it.' }
		]);
		expect(refused.fields).toEqual({ reason: 'Geef een reden; de indiener krijgt die te lezen.' });
		const photo = await cleanPhoto(new TextEncoder().encode('geen foto')).catch((e) => e);
		expect([photo.status, photo.field, photo.code]).toEqual([400, 'photo', 'errors.photo.type']);
		expect(photo.messageIn('nl')).toMatch(/^Dit bestand is geen JPEG-, PNG- of WebP-foto/);
		expect(photo.messageIn('en')).toMatch(/^This file is not a JPEG, PNG or WebP photo/);
	});
});
