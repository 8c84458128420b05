import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { hostileServer, type HostileServer } from '../helpers/hostile.ts';
import { ROUTES, routeTable, writeEndpoints } from '../helpers/routes.ts';
import {
	OWN_WIJK,
	PASSWORD,
	PERSONAS,
	seedAccounts,
	seedAgenda
} from '../integration/auth-setup.ts';
import { submitMelding } from '../../src/lib/server/residents/submit.ts';
import { makeToken } from '../../src/lib/server/mail/tokens.ts';
import type { AuditRow } from '../../src/lib/server/auth/audit-log.ts';

/**
 * "Every write by staff or by an import is audited", over HTTP against the production build.
 * Every write endpoint of the route table (anything but GET: +server.ts handlers and form
 * actions) has a case below that succeeds once, as the role it needs, and must leave exactly its
 * audit rows: who (actor id and e-mail), when (inside the request), what (action, entity, id)
 * and the values before and after. A new write endpoint without a case fails the first test.
 *
 * Elsewhere: the import commands (tests/integration/audit-imports.test.ts), `npm run user --
 * add|disable|reset` (tests/integration/auth-cli.test.ts), a throttled login
 * (tests/integration/auth-sessions.test.ts).
 */

/** An id the case cannot know in advance (a new ambition, a resident's new item): any number. */
const NEW = Symbol('new id');

interface Expected {
	action: string;
	entity: string;
	entityId: string | number | null | typeof NEW;
	/** A persona key (its user id and e-mail are expected), or 'resident' / 'system'. */
	actor: string;
	/** null: no value (a create has no before, a removal no after); an object: these fields at least. */
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
}

interface Sent {
	ok: boolean;
	status: number;
	/** The JSON answer (API), or SvelteKit's action answer: {type, status, location, data}. */
	body: Record<string, unknown>;
	cookie: string | null;
}

interface Case {
	/** "route endpoint" as in the route table, e.g. "/beheer/items/[id] POST ?/save". */
	endpoint: string;
	what: string;
	run: () => Promise<Sent>;
	/** The audit rows the write must leave, in order; read after `run`. */
	rows: (sent: Sent) => Expected[];
	/** For a case that must be refused (a failed login): the answer it expects. */
	refused?: boolean;
	window?: [number, number];
	sent?: Sent;
}

const seed = {
	upload: '',
	subscription: 0,
	confirm: '',
	stop: '',
	target: 0,
	lat: '',
	lon: '',
	tokenA: '',
	a: 0,
	b: 0,
	c: 0,
	photos: [0, 0],
	baseline: 0,
	users: {} as Record<string, number>,
	agenda: { buurt: '', action: '', ambition: '', goal: '' }
};
const cookies: Record<string, string> = {};
const email = (key: string) => PERSONAS.find((p) => p.key === key)!.email;

describe(`every write by staff is in the audit trail (${storeName})`, () => {
	let h: HostileServer;

	async function request(
		method: string,
		url: string,
		as: string | null,
		body?: {
			json?: unknown;
			form?: Record<string, string>;
			multipart?: Record<string, string | File>;
		},
		action = false
	): Promise<Sent> {
		const headers: Record<string, string> = { origin: h.base, accept: 'application/json' };
		if (action) headers['x-sveltekit-action'] = 'true';
		if (as) headers.cookie = cookies[as];
		let payload: BodyInit | undefined;
		if (body?.json !== undefined) {
			headers['content-type'] = 'application/json';
			payload = JSON.stringify(body.json);
		} else if (body?.form) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			payload = new URLSearchParams(body.form).toString();
		} else if (body?.multipart) {
			payload = new FormData();
			for (const [k, v] of Object.entries(body.multipart)) payload.set(k, v);
		}
		const res = await fetch(new URL(url, h.base), {
			method,
			headers,
			body: payload,
			redirect: 'manual'
		});
		const text = await res.text();
		let parsed: Record<string, unknown> = {};
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = { text: text.slice(0, 300) };
		}
		const set = res.headers.getSetCookie().find((c) => c.startsWith('wijkkaart_sessie='));
		const ok = action
			? parsed.type === 'success' || parsed.type === 'redirect'
			: res.status >= 200 && res.status < 300;
		return { ok, status: res.status, body: parsed, cookie: set ? set.split(';')[0] : null };
	}
	/** A form action as SvelteKit's enhanced form sends it. */
	const act = (url: string, as: string | null, form: Record<string, string>, name = 'default') =>
		request('POST', name === 'default' ? url : `${url}?/${name}`, as, { form }, true);
	const api = (method: string, url: string, as: string | null, json?: unknown) =>
		request(method, url, as, json === undefined ? undefined : { json });
	/** The version of an item, or of the agenda's one action, as the staff form shows it. */
	async function version(page: string, as: string): Promise<string> {
		const html = await (
			await fetch(new URL(page, h.base), { headers: { cookie: cookies[as] } })
		).text();
		const m = /name="version" value="(\d+)"/.exec(html);
		if (!m) throw new Error(`geen versie op ${page}`);
		return m[1];
	}
	const idOf = (s: Sent) =>
		Number(
			(s.body.id as number | undefined) ??
				(s.body.properties as { id?: number } | undefined)?.id ??
				/\/(\d+)(\?|$)/.exec(String(s.body.location ?? ''))?.[1]
		);

	const signIn = (key: string): Case => ({
		endpoint: '/login POST ?/default',
		what: `aanmelden als ${key}`,
		run: async () => {
			const sent = await act('/login', null, {
				email: email(key),
				password: PASSWORD,
				redirectTo: '/beheer'
			});
			if (sent.cookie) cookies[key] = sent.cookie;
			return sent;
		},
		rows: () => [
			{
				action: 'login',
				entity: 'staff_session',
				entityId: seed.users[key],
				actor: key,
				before: null,
				after: null
			}
		]
	});

	const item = { title: 'Nieuw bankje', description: 'Bij de speeltuin', theme: 'openbare-ruimte' };
	const made: Record<string, number> = {};
	const itemRow =
		(
			action: string,
			key: 'api' | 'form' | number,
			before: Expected['before'],
			after: Expected['after'],
			actor = 'beheerder'
		) =>
		(): Expected[] => [
			{
				action,
				entity: 'item',
				entityId: typeof key === 'number' ? key : made[key],
				actor,
				before,
				after
			}
		];
	let apiVersion = 0;
	const apiSaved = (s: Sent) => {
		apiVersion = s.body.version as number;
		return s;
	};

	/** In order: later cases use what earlier ones made (a new item, a published melding, a session). */
	function cases(): Case[] {
		const A = seed.a;
		return [
			signIn('beheerder'),
			{
				endpoint: '/login POST ?/default',
				what: 'mislukte aanmelding',
				refused: true,
				run: () =>
					act('/login', null, { email: email('medewerker'), password: 'niet-het-wachtwoord' }),
				rows: () => [
					{
						action: 'login.failed',
						entity: 'staff_session',
						entityId: seed.users.medewerker,
						actor: 'system',
						before: null,
						after: { email: email('medewerker'), reason: 'wachtwoord onjuist' }
					}
				]
			},
			// The JSON API (src/lib/server/items/edit.ts)
			{
				endpoint: '/api/items POST',
				what: 'item aanmaken (API)',
				run: async () => {
					const s = apiSaved(
						await api('POST', '/api/items', 'beheerder', {
							layer: 'projecten',
							status: 'ontwerp',
							...item,
							geometry: { type: 'Point', coordinates: [Number(seed.lon), Number(seed.lat)] }
						})
					);
					made.api = idOf(s);
					return s;
				},
				rows: () =>
					itemRow('item.create', 'api', null, {
						id: made.api,
						title: 'Nieuw bankje',
						status: 'ontwerp',
						version: 1
					})()
			},
			{
				endpoint: '/api/items/[id] PATCH',
				what: 'item wijzigen (API)',
				run: async () =>
					apiSaved(
						await api('PATCH', `/api/items/${made.api}`, 'beheerder', {
							version: apiVersion,
							title: 'Nieuw bankje, groen'
						})
					),
				rows: itemRow(
					'item.update',
					'api',
					{ title: 'Nieuw bankje', version: 1 },
					{ title: 'Nieuw bankje, groen', version: 2 }
				)
			},
			{
				endpoint: '/api/items/[id]/status POST',
				what: 'status wijzigen (API)',
				run: async () =>
					apiSaved(
						await api('POST', `/api/items/${made.api}/status`, 'beheerder', {
							version: apiVersion,
							status: 'uitvoering',
							publicText: 'We beginnen'
						})
					),
				rows: itemRow('item.status', 'api', { status: 'ontwerp' }, { status: 'uitvoering' })
			},
			{
				endpoint: '/api/items/[id] DELETE',
				what: 'item verwijderen (API)',
				run: async () =>
					apiSaved(
						await api('DELETE', `/api/items/${made.api}?version=${apiVersion}`, 'beheerder')
					),
				rows: itemRow('item.delete', 'api', { deletedAt: null }, { deletedAt: expect.any(String) })
			},
			{
				endpoint: '/api/items/[id]/restore POST',
				what: 'item terugzetten (API)',
				run: async () =>
					apiSaved(
						await api('POST', `/api/items/${made.api}/restore`, 'beheerder', {
							version: apiVersion
						})
					),
				rows: itemRow('item.restore', 'api', { deletedAt: expect.any(String) }, { deletedAt: null })
			},
			// The staff pages
			{
				endpoint: '/beheer/items/nieuw POST ?/default',
				what: 'item aanmaken (formulier)',
				run: async () => {
					const s = await act('/beheer/items/nieuw', 'beheerder', {
						layer: 'projecten',
						...item,
						lat: seed.lat,
						lon: seed.lon
					});
					made.form = idOf(s);
					return s;
				},
				rows: () =>
					itemRow('item.create', 'form', null, {
						id: made.form,
						title: 'Nieuw bankje',
						status: 'verkenning'
					})()
			},
			{
				endpoint: '/beheer/items/[id] POST ?/save',
				what: 'item wijzigen (formulier)',
				run: async () =>
					act(
						`/beheer/items/${made.form}`,
						'beheerder',
						{
							version: await version(`/beheer/items/${made.form}`, 'beheerder'),
							...item,
							title: 'Bankje bij de speeltuin',
							lat: seed.lat,
							lon: seed.lon
						},
						'save'
					),
				rows: () =>
					itemRow(
						'item.update',
						'form',
						{ title: 'Nieuw bankje' },
						{ title: 'Bankje bij de speeltuin' }
					)()
			},
			{
				endpoint: '/beheer/items/[id] POST ?/status',
				what: 'status wijzigen (formulier)',
				run: async () =>
					act(
						`/beheer/items/${made.form}`,
						'beheerder',
						{
							version: await version(`/beheer/items/${made.form}`, 'beheerder'),
							status: 'besluitvorming',
							publicText: 'Ter besluitvorming'
						},
						'status'
					),
				rows: () =>
					itemRow('item.status', 'form', { status: 'verkenning' }, { status: 'besluitvorming' })()
			},
			{
				endpoint: '/beheer/items/[id] POST ?/delete',
				what: 'item verwijderen (formulier)',
				run: async () =>
					act(
						`/beheer/items/${made.form}`,
						'beheerder',
						{ version: await version(`/beheer/items/${made.form}`, 'beheerder') },
						'delete'
					),
				rows: () =>
					itemRow('item.delete', 'form', { deletedAt: null }, { deletedAt: expect.any(String) })()
			},
			{
				endpoint: '/beheer/items/[id] POST ?/restore',
				what: 'item terugzetten (formulier)',
				run: async () =>
					act(
						`/beheer/items/${made.form}`,
						'beheerder',
						{ version: await version(`/beheer/items/${made.form}`, 'beheerder') },
						'restore'
					),
				rows: () =>
					itemRow('item.restore', 'form', { deletedAt: expect.any(String) }, { deletedAt: null })()
			},
			{
				endpoint: '/beheer/items POST ?/bulk',
				what: 'één antwoord voor gekozen items (werkvoorraad)',
				run: async () =>
					act(
						'/beheer/items',
						'beheerder',
						{
							id: String(made.form),
							[`v-${made.form}`]: await version(`/beheer/items/${made.form}`, 'beheerder'),
							status: 'uitvoering',
							publicText: 'Samen beantwoord'
						},
						'bulk'
					),
				rows: () =>
					itemRow('item.status', 'form', { status: 'besluitvorming' }, { status: 'uitvoering' })()
			},
			{
				endpoint: '/beheer/items/[id] POST ?/contact',
				what: 'contactgegevens van de melder lezen',
				run: () => act(`/beheer/items/${A}`, 'beheerder', {}, 'contact'),
				rows: () => [
					{
						action: 'contact.read',
						entity: 'item',
						entityId: A,
						actor: 'beheerder',
						before: null,
						after: null
					}
				]
			},
			// Moderation, as the moderator (src/lib/server/moderation.ts, photo-moderation.ts)
			signIn('moderator'),
			{
				endpoint: '/beheer/moderatie POST ?/approve',
				what: 'melding goedkeuren',
				run: () => act('/beheer/moderatie', 'moderator', { id: String(A) }, 'approve'),
				rows: itemRow(
					'moderation.approve',
					A,
					{ moderation: 'te_beoordelen', published: false },
					{ moderation: 'goedgekeurd', published: true },
					'moderator'
				)
			},
			{
				endpoint: '/beheer/moderatie POST ?/merge',
				what: 'melding samenvoegen',
				run: () =>
					act('/beheer/moderatie', 'moderator', { id: String(seed.b), target: String(A) }, 'merge'),
				rows: itemRow(
					'moderation.merge',
					seed.b,
					{ moderation: 'te_beoordelen', mergedInto: null },
					{ moderation: 'samengevoegd', mergedInto: A },
					'moderator'
				)
			},
			{
				endpoint: '/beheer/moderatie POST ?/reject',
				what: 'melding afwijzen',
				run: () =>
					act(
						'/beheer/moderatie',
						'moderator',
						{ id: String(seed.c), reason: 'Dubbel gemeld' },
						'reject'
					),
				rows: itemRow(
					'moderation.reject',
					seed.c,
					{ moderation: 'te_beoordelen', moderationReason: null },
					{ moderation: 'afgewezen', moderationReason: 'Dubbel gemeld' },
					'moderator'
				)
			},
			{
				endpoint: '/beheer/moderatie POST ?/respond',
				what: 'melding beantwoorden',
				// A status change is an editor's write, also from the moderation page (issue 17): the beheerder answers.
				run: async () =>
					act(
						'/beheer/moderatie',
						'beheerder',
						{
							id: String(A),
							version: await version(`/beheer/items/${A}`, 'beheerder'),
							status: 'afgehandeld',
							publicText: 'De lamp is vervangen'
						},
						'respond'
					),
				rows: itemRow(
					'item.status',
					A,
					{ status: 'gemeld' },
					{ status: 'afgehandeld' },
					'beheerder'
				)
			},
			{
				endpoint: '/beheer/moderatie POST ?/publishPhoto',
				what: 'foto publiceren',
				run: () =>
					act('/beheer/moderatie', 'moderator', { id: String(seed.photos[0]) }, 'publishPhoto'),
				rows: () => [
					{
						action: 'photo.publish',
						entity: 'item_photo',
						entityId: seed.photos[0],
						actor: 'moderator',
						before: { itemId: A, public: false },
						after: { itemId: A, public: true }
					}
				]
			},
			{
				endpoint: '/beheer/moderatie POST ?/removePhoto',
				what: 'foto verwijderen',
				run: () =>
					act('/beheer/moderatie', 'moderator', { id: String(seed.photos[1]) }, 'removePhoto'),
				rows: () => [
					{
						action: 'photo.remove',
						entity: 'item_photo',
						entityId: seed.photos[1],
						actor: 'moderator',
						before: { itemId: A, public: false },
						after: null
					}
				]
			},
			// The wijkagenda, as the wijkregisseur of the wijk (src/lib/server/agenda/store.ts)
			signIn('wijkregisseur'),
			{
				endpoint: '/beheer/agenda/[wijk] POST ?/action',
				what: 'actie wijzigen',
				run: async () =>
					act(
						`/beheer/agenda/${OWN_WIJK}`,
						'wijkregisseur',
						{
							id: seed.agenda.action,
							version: await version(`/beheer/agenda/${OWN_WIJK}`, 'wijkregisseur'),
							title: 'Geveltuinen aanleggen en onderhouden',
							owner: 'Stadsbeheer',
							status: 'loopt',
							progress: '10',
							text: 'De eerste tuinen liggen er'
						},
						'action'
					),
				rows: () => [
					{
						action: 'action.update',
						entity: 'action',
						entityId: seed.agenda.action,
						actor: 'wijkregisseur',
						before: { title: 'Geveltuinen aanleggen', status: 'gepland', progress: 0 },
						after: { title: 'Geveltuinen aanleggen en onderhouden', status: 'loopt', progress: 10 }
					}
				]
			},
			{
				endpoint: '/beheer/agenda/[wijk] POST ?/goal',
				what: 'doel meten',
				run: () =>
					act(
						`/beheer/agenda/${OWN_WIJK}`,
						'wijkregisseur',
						{ id: seed.agenda.goal, current: '3' },
						'goal'
					),
				rows: () => [
					{
						action: 'goal.update',
						entity: 'goal',
						entityId: seed.agenda.goal,
						actor: 'wijkregisseur',
						before: { current: null },
						after: { current: 3 }
					}
				]
			},
			{
				endpoint: '/beheer/agenda/[wijk] POST ?/place',
				what: 'actie een plek geven',
				run: async () =>
					act(
						`/beheer/agenda/${OWN_WIJK}`,
						'wijkregisseur',
						{
							id: seed.agenda.action,
							version: await version(`/beheer/agenda/${OWN_WIJK}`, 'wijkregisseur'),
							lat: seed.lat,
							lon: seed.lon,
							buurten: seed.agenda.buurt,
							items: ''
						},
						'place'
					),
				rows: () => [
					{
						action: 'action.place',
						entity: 'action',
						entityId: seed.agenda.action,
						actor: 'wijkregisseur',
						before: { geometry: null, buurten: [seed.agenda.buurt] },
						after: {
							geometry: { type: 'Point', coordinates: [Number(seed.lon), Number(seed.lat)] },
							buurten: [seed.agenda.buurt],
							items: []
						}
					}
				]
			},
			{
				endpoint: '/beheer/agenda/[wijk] POST ?/newAmbition',
				what: 'ambitie toevoegen',
				run: () =>
					act(
						`/beheer/agenda/${OWN_WIJK}`,
						'wijkregisseur',
						{
							title: 'Veilig naar school',
							theme: 'openbare-ruimte',
							description: 'Rustige straten'
						},
						'newAmbition'
					),
				rows: () => [
					{
						action: 'ambition.create',
						entity: 'ambition',
						entityId: NEW,
						actor: 'wijkregisseur',
						before: null,
						after: { title: 'Veilig naar school', theme: 'openbare-ruimte' }
					}
				]
			},
			{
				endpoint: '/beheer/agenda/[wijk] POST ?/newAction',
				what: 'actie toevoegen',
				run: () =>
					act(
						`/beheer/agenda/${OWN_WIJK}`,
						'wijkregisseur',
						{
							ambition: seed.agenda.ambition,
							buurten: seed.agenda.buurt,
							title: 'Bankjes plaatsen',
							owner: 'Stadsbeheer',
							status: 'gepland',
							progress: '0'
						},
						'newAction'
					),
				rows: () => [
					{
						action: 'action.create',
						entity: 'action',
						entityId: NEW,
						actor: 'wijkregisseur',
						before: null,
						after: { title: 'Bankjes plaatsen', buurten: [seed.agenda.buurt] }
					}
				]
			},
			// Accounts (/beheer/gebruikers): the functions of `npm run user`, with the beheerder as actor
			...accountCases(),
			// Area import from a file (/beheer/import): the preview writes and rolls back, the import writes the level.
			{
				endpoint: '/beheer/import POST ?/preview',
				what: 'proefimport van de wijken',
				run: async () => {
					const file = new File(
						[readFileSync(path.join(SHARED_UTRECHT, 'wijk.geojson'))],
						'wijk.geojson',
						{ type: 'application/geo+json' }
					);
					const sent = await request(
						'POST',
						'/beheer/import?/preview',
						'beheerder',
						{ multipart: { file, mode: 'areas', level: 'wijk' } },
						true
					);
					seed.upload = /[0-9a-f]{32}/.exec(String(sent.body.data))?.[0] ?? '';
					return sent;
				},
				rows: () => []
			},
			{
				endpoint: '/beheer/import POST ?/import',
				what: 'wijken importeren',
				run: () =>
					act(
						'/beheer/import',
						'beheerder',
						{ mode: 'areas', level: 'wijk', token: seed.upload },
						'import'
					),
				rows: () => [
					{
						action: 'import.areas',
						entity: 'area',
						entityId: 'wijk',
						actor: 'import:beheer-import',
						before: { areas: 10 },
						after: { level: 'wijk', imported: 10, file: 'upload:wijk.geojson' }
					},
					{
						action: 'import.upload',
						entity: 'area',
						entityId: 'wijk',
						actor: 'beheerder',
						before: null,
						after: { format: 'geojson', file: 'upload:wijk.geojson' }
					}
				]
			},
			// Residents write too (no account): audited as 'resident'
			...residentCases(),
			{
				endpoint: '/logout POST ?/default',
				what: 'afmelden',
				run: () => act('/logout', 'beheerder', {}),
				rows: () => [
					{
						action: 'logout',
						entity: 'staff_session',
						entityId: seed.users.beheerder,
						actor: 'beheerder',
						before: null,
						after: null
					}
				]
			},
			// Signed in again for the append-only attempts below.
			signIn('beheerder')
		];
	}

	function residentCases(): Case[] {
		const melding = {
			category: 'straatverlichting',
			description: 'Lamp knippert',
			lat: seed.lat,
			lon: seed.lon
		};
		const initiative = {
			title: 'Geveltuinen',
			description: 'Samen groen',
			theme: 'openbare-ruimte',
			group: 'Buurtgroep',
			lat: seed.lat,
			lon: seed.lon
		};
		const submitted =
			(layer: string, known: boolean) =>
			(s: Sent): Expected[] => [
				{
					action: 'submit',
					entity: 'item',
					entityId: known ? idOf(s) : NEW,
					actor: 'resident',
					before: null,
					after: { layer }
				}
			];
		return [
			{
				endpoint: '/api/meldingen POST',
				what: 'melding (API)',
				run: () => request('POST', '/api/meldingen', null, { multipart: melding }),
				rows: submitted('meldingen', true)
			},
			{
				endpoint: '/api/initiatieven POST',
				what: 'voorstel (API)',
				run: () => api('POST', '/api/initiatieven', null, initiative),
				rows: submitted('initiatieven', true)
			},
			{
				endpoint: '/open311/v2/[file] POST',
				what: 'melding (Open311 GeoReport v2)',
				run: () =>
					request('POST', '/open311/v2/requests.json', null, {
						form: {
							service_code: melding.category,
							description: melding.description,
							lat: String(seed.lat),
							long: String(seed.lon)
						}
					}),
				rows: submitted('meldingen', false)
			},
			{
				endpoint: '/melden POST ?/default',
				what: 'melding (formulier)',
				run: () =>
					request('POST', '/melden', null, { multipart: { ...melding, pinMoved: '1' } }, true),
				rows: submitted('meldingen', false)
			},
			{
				endpoint: '/voorstel POST ?/default',
				what: 'voorstel (formulier)',
				run: () => act('/voorstel', null, { ...initiative, pinMoved: '1' }),
				rows: submitted('initiatieven', false)
			},
			{
				endpoint: '/volg/[token] POST ?/opgelost',
				what: '"niet opgelost" van de melder',
				run: () => act(`/volg/${seed.tokenA}`, null, { opgelost: 'nee' }, 'opgelost'),
				rows: () => [
					{
						action: 'reopen',
						entity: 'item',
						entityId: seed.a,
						actor: 'resident',
						before: { status: 'afgehandeld' },
						after: { status: 'heropend' }
					}
				]
			},
			// E-mail (src/lib/server/mail/subscriptions.ts): the address is never in the audit entry
			{
				endpoint: '/volgen POST ?/default',
				what: 'aanmelden voor e-mail over een wijk',
				run: () =>
					act('/volgen', null, { soort: 'wijk', code: OWN_WIJK, email: 'volger@voorbeeld.nl' }),
				rows: () => [
					{
						action: 'subscription.create',
						entity: 'mail_subscription',
						entityId: NEW,
						actor: 'resident',
						before: null,
						after: { scope: { kind: 'area', level: 'wijk', code: OWN_WIJK, name: 'WEST' } }
					}
				]
			},
			{
				endpoint: '/volgen/bevestig/[token] POST ?/default',
				what: 'aanmelding bevestigen',
				run: () => act(`/volgen/bevestig/${seed.confirm}`, null, {}),
				rows: () => [
					{
						action: 'subscription.confirm',
						entity: 'mail_subscription',
						entityId: seed.subscription,
						actor: 'resident',
						before: null,
						after: null
					}
				]
			},
			{
				endpoint: '/afmelden/[token] POST ?/default',
				what: 'geen e-mail meer over een melding',
				run: () => act(`/afmelden/${seed.stop}`, null, {}),
				rows: () => [
					{
						action: 'contact.unsubscribe',
						entity: 'item',
						entityId: seed.a,
						actor: 'resident',
						before: null,
						after: null
					}
				]
			}
		];
	}

	function accountCases(): Case[] {
		const who = 'nieuw@gemeente.test';
		const page = (name: string, form: Record<string, string>) => () =>
			act('/beheer/gebruikers', 'beheerder', { email: who, ...form }, name);
		const row =
			(action: string, before: Expected['before'], after: Expected['after']) => (): Expected[] => [
				{ action, entity: 'staff_user', entityId: NEW, actor: 'beheerder', before, after }
			];
		return [
			{
				endpoint: '/beheer/gebruikers POST ?/add',
				what: 'account toevoegen',
				run: page('add', { role: 'medewerker', wijk: OWN_WIJK, name: 'Nieuw' }),
				rows: row('user.add', null, { email: who, role: 'medewerker', wijken: [OWN_WIJK] })
			},
			{
				endpoint: '/beheer/gebruikers POST ?/change',
				what: 'rol wijzigen',
				run: page('change', { role: 'moderator', name: 'Nieuw' }),
				rows: row(
					'user.change',
					{ role: 'medewerker', wijken: [OWN_WIJK] },
					{ role: 'moderator', wijken: [] }
				)
			},
			{
				endpoint: '/beheer/gebruikers POST ?/reset',
				what: 'nieuw wachtwoord',
				run: page('reset', {}),
				rows: row('user.reset', null, { email: who, passwordReset: true })
			},
			{
				endpoint: '/beheer/gebruikers POST ?/disable',
				what: 'account uitschakelen',
				run: page('disable', {}),
				rows: row('user.disable', { disabled: false }, { disabled: true })
			},
			{
				endpoint: '/beheer/gebruikers POST ?/enable',
				what: 'account inschakelen',
				run: page('enable', {}),
				rows: row('user.enable', { disabled: true }, { disabled: false })
			}
		];
	}
	let run: Case[] = [];
	let rows: AuditRow[] = [];
	/** The rows that were there before the cases, as the store held them then. */
	let seeded = '';
	/** What the store said to UPDATE, DELETE and TRUNCATE of audit_log, and whether the older rows survived. */
	let guard: string[] = [];

	const readRows = (db: { query<T>(sql: string, params?: unknown[]): Promise<T[]> }, after = 0) =>
		db.query<AuditRow>(
			`SELECT id::int, at, actor, actor_email AS "actorEmail", action, entity, entity_id AS "entityId", before, after, client FROM audit_log WHERE id > $1 ORDER BY id`,
			[after]
		);

	beforeAll(async () => {
		h = await hostileServer(async (db) => {
			const { itemId, point } = await seedAccounts(db);
			seed.target = itemId;
			[seed.lon, seed.lat] = point.map(String);
			const ids: number[] = [];
			for (const description of ['Lamp brandt niet', 'Lamp brandt nog steeds niet', 'Lamp kapot']) {
				const out = await submitMelding(
					db,
					{
						fields: {
							category: 'straatverlichting',
							description,
							email: '',
							lat: seed.lat,
							lon: seed.lon
						},
						photo: null
					},
					'seed'
				);
				if (!out.ok) throw new Error(JSON.stringify(out));
				ids.push(out.itemId);
				if (!seed.tokenA) seed.tokenA = out.token;
			}
			[seed.a, seed.b, seed.c] = ids;
			for (let k = 0; k < 2; k++) {
				const [r] = await db.query<{ id: number }>(
					`INSERT INTO item_photo (item_id, mime, bytes, width, height) VALUES ($1, 'image/png', '\\x00', 1, 1) RETURNING id::int`,
					[seed.a]
				);
				seed.photos[k] = r.id;
			}
			seed.agenda = await seedAgenda(db, OWN_WIJK);
			const [sub] = await db.query<{ id: number }>(
				`INSERT INTO mail_subscription (email, kind, theme) VALUES ('wacht@voorbeeld.nl', 'theme', 'groen-water') RETURNING id::int`
			);
			seed.subscription = sub.id;
			seed.confirm = await makeToken(db, 'bevestigen', { subscriptionId: sub.id });
			seed.stop = await makeToken(db, 'afmelden', { itemId: seed.a });
			for (const u of await db.query<{ id: number; email: string }>(
				'SELECT id::int, email FROM staff_user'
			))
				seed.users[PERSONAS.find((p) => p.email === u.email)!.key] = u.id;
			const before = await readRows(db);
			seed.baseline = Math.max(0, ...before.map((r) => r.id));
			seeded = JSON.stringify(before);
		});
	}, 120_000);
	afterAll(async () => {
		await h?.close();
	});

	it('has a case for every write endpoint of the route table', () => {
		const exercised = [...new Set(cases().map((c) => c.endpoint))].sort();
		const missing = writeEndpoints().filter((e) => !exercised.includes(e));
		const stale = exercised.filter((e) => !writeEndpoints().includes(e));
		expect(
			missing,
			`schrijfroutes zonder geval in audit-coverage.test.ts: ${missing.join(', ')}`
		).toEqual([]);
		expect(stale, `gevallen voor routes die niet (meer) bestaan: ${stale.join(', ')}`).toEqual([]);
		// The listing itself still finds what it should: form actions, +server.ts methods.
		expect(writeEndpoints()).toEqual(
			expect.arrayContaining([
				'/beheer/moderatie POST ?/respond',
				'/api/items/[id] DELETE',
				'/login POST ?/default'
			])
		);
	});

	it('each write succeeds once and leaves exactly its audit rows: who, when, what, before and after', async () => {
		run = cases();
		const failures: string[] = [];
		for (const c of run) {
			// Apart in time, so every audit row falls in the window of one request.
			await new Promise((r) => setTimeout(r, 5));
			const t0 = Date.now();
			c.sent = await c.run();
			c.window = [t0, Date.now()];
			if (c.sent.ok === !!c.refused)
				failures.push(
					`${c.endpoint} (${c.what}): ${c.sent.status} ${JSON.stringify(c.sent.body).slice(0, 300)}`
				);
		}
		expect(
			failures,
			'elke schrijfactie moet slagen, anders bewijst een ontbrekende auditregel niets'
		).toEqual([]);
		// Append-only over HTTP: the audit page answers GET only; anything else there writes nothing (no row falls in no window).
		expect(routeTable().get('/beheer/audit')?.endpoints).toEqual(['GET']);
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			const res = await fetch(new URL('/beheer/audit?id=1', h.base), {
				method,
				headers: {
					origin: h.base,
					cookie: cookies.beheerder,
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: 'id=1',
				redirect: 'manual'
			});
			if (res.status < 400) failures.push(`${method} /beheer/audit: ${res.status}`);
		}
		expect(failures).toEqual([]);
		await h.withStore(async (db) => {
			rows = await readRows(db, seed.baseline);
			if (
				JSON.stringify(
					await readRows(db).then((all) => all.filter((r) => r.id <= seed.baseline))
				) !== seeded
			)
				guard.push('auditregels van vóór de gevallen zijn veranderd of weg');
			for (const sql of [
				'UPDATE audit_log SET action = $$niets$$ WHERE id = 1',
				'DELETE FROM audit_log WHERE id = 1',
				'TRUNCATE audit_log'
			]) {
				const err = await db.query(sql).then(
					() => null,
					(e: Error) => e.message
				);
				if (!/append-only/.test(err ?? '')) guard.push(`${sql}: ${err ?? 'toegestaan'}`);
			}
		});
		const within = (r: AuditRow, [t0, t1]: [number, number]) =>
			new Date(r.at).getTime() >= t0 && new Date(r.at).getTime() <= t1;
		const unclaimed = rows.filter((r) => !run.some((c) => within(r, c.window!)));
		for (const c of run) {
			const got = rows.filter((r) => within(r, c.window!));
			const want = c.rows(c.sent!);
			const label = `${c.endpoint} (${c.what})`;
			if (got.length !== want.length) {
				failures.push(
					`${label}: ${want.length} auditregel(s) verwacht (${want.map((w) => w.action).join(', ')}), ${got.length} gevonden (${got.map((g) => g.action).join(', ')})`
				);
				continue;
			}
			want.forEach((w, k) => {
				const r = got[k];
				const actor = w.actor in seed.users ? `user:${seed.users[w.actor]}` : w.actor;
				const who = w.actor in seed.users ? email(w.actor) : null;
				const id =
					w.entityId === NEW
						? expect.stringMatching(/^\d+$/)
						: w.entityId === null
							? null
							: String(w.entityId);
				const values = (v: Expected['before']) => (v === null ? null : expect.objectContaining(v));
				const shown = {
					actor,
					actorEmail: who,
					action: w.action,
					entity: w.entity,
					entityId: w.entityId === NEW ? '(een nummer)' : id,
					before: w.before,
					after: w.after
				};
				for (const [field, value] of Object.entries({
					...shown,
					entityId: id,
					before: values(w.before),
					after: values(w.after)
				})) {
					try {
						expect(r[field as keyof AuditRow]).toEqual(value);
					} catch {
						failures.push(
							`${label}: ${w.action}.${field} is ${JSON.stringify(r[field as keyof AuditRow]).slice(0, 400)}, verwacht ${JSON.stringify(shown[field as keyof typeof shown])}`
						);
					}
				}
			});
		}
		expect(failures).toEqual([]);
		expect(
			unclaimed.map((r) => `${r.action} ${r.entity} ${r.entityId}`),
			'auditregels die bij geen verzoek horen'
		).toEqual([]);
	}, 300_000);

	it('is append-only: no route changed or removed a row, and the store refuses UPDATE, DELETE and TRUNCATE', () => {
		expect(rows.length, 'de vorige test schreef auditregels').toBeGreaterThan(20);
		expect(guard).toEqual([]);
		// No source outside the restore of a backup (into an empty store) names audit_log in a write.
		const src = path.join(ROUTES, '..');
		const writers = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
			(f) =>
				/\.(ts|svelte)$/.test(f) &&
				/\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?)\s+"?audit_log\b/i.test(
					readFileSync(path.join(src, f), 'utf8')
				)
		);
		expect(writers).toEqual([]);
	});
});
