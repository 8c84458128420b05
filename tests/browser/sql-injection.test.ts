import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeName } from '../helpers/db.ts';
import { routeTable } from '../helpers/routes.ts';
import {
	changedTables,
	hostileServer,
	leakIn,
	tableHashes,
	type HostileServer
} from '../helpers/hostile.ts';
import { login, OWN_WIJK, PERSONAS, seedAccounts, seedAgenda } from '../integration/auth-setup.ts';
import { findRule, ruleKey } from '../../src/lib/server/auth/policy.ts';
import { hashToken } from '../../src/lib/server/residents/tracking.ts';
import { submitMelding } from '../../src/lib/server/residents/submit.ts';
import type { Db } from '../../src/lib/server/db/types.ts';

/**
 * SQL injection in every input of every route, over HTTP against the production build (hooks,
 * guard and SvelteKit's CSRF check included). The routes come from src/routes; an endpoint, or
 * a parameter read in a route's source, without cases here fails the test.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

const PAYLOADS = [
	`' OR '1'='1`,
	// A lone quote, as in a real name: breaks any query that pastes the text in.
	`O'Brien`,
	`1; DROP TABLE item; --`,
	`1 UNION SELECT email FROM melding_contact--`,
	`$$; DELETE FROM item; $$`,
	`\\'; DELETE FROM staff_user WHERE 1=1; --`,
	`%27 OR 1=1--`,
	`1) OR (SELECT count(*) FROM staff_user) > 0 --`
];

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Body = 'json' | 'form' | 'multipart';
/** Values that reach the handler with a valid request; each slot in turn gets a payload instead. */
interface Endpoint {
	method: Method;
	/** A form action ('default' or its name); absent for GET pages and +server.ts handlers. */
	action?: string;
	query?: string[];
	headers?: string[];
	cookies?: string[];
	body?: Body;
	fields?: string[];
	/** Valid values for query, body fields and path parameters that are not the one under attack. */
	base?: Record<string, string>;
	/** A success adds one item (a resident's submission, staff creating one)... */
	creates?: boolean;
	/** ...that holds the payload verbatim when it was in one of these fields (others are ignored or refused). */
	stores?: string[];
	/** A success may change this seeded item: its text must then hold the payload verbatim. */
	changes?: 'target' | 'submission' | 'agenda';
}

const FILTERS = ['layer', 'theme', 'status', 'area', 'from', 'to', 'q'];
const OGC_ITEMS = [
	'limit',
	'bbox',
	'bbox-crs',
	'datetime',
	'crs',
	'theme',
	'status',
	'cursor',
	'before',
	'f'
];
const ANALYSE = [
	'level',
	'measure',
	'breaks',
	'classes',
	'eps',
	'minPoints',
	'buffer',
	'minWards',
	'format',
	...FILTERS
];
const LOCATION = ['lat', 'lon', 'x', 'y', 'address', 'pinMoved', 'website'];
const MELDING = ['category', 'description', 'email', ...LOCATION];
const INITIATIVE = [
	'title',
	'description',
	'theme',
	'budget',
	'group',
	'support',
	'email',
	'area',
	...LOCATION
];
const ITEM_FORM = [
	'title',
	'description',
	'theme',
	'category',
	'subcategory',
	'lat',
	'lon',
	'rdX',
	'rdY',
	'geometry',
	'details.department',
	'details.budget'
];
const STORED_INITIATIVE = ['title', 'description', 'group', 'support'];
const STORED_ITEM = ['title', 'description', 'details.department', 'details.budget'];
const AGENDA_ACTION = [
	'title',
	'description',
	'owner',
	'status',
	'progress',
	'budget',
	'plannedStart',
	'plannedEnd',
	'actualStart',
	'actualEnd',
	'text'
];
const analyse: Record<string, Endpoint[]> = Object.fromEntries(
	[
		'afhandeltijd',
		'budget',
		'choropleth',
		'clusters',
		'koppelkansen',
		'overdue',
		'themes',
		'trend'
	].map((n) => [`/api/analyse/${n}`, [{ method: 'GET', query: ANALYSE }]])
);

/** Filled in beforeAll, once the seed has made them. */
const seed = {
	wijk: OWN_WIJK,
	buurt: '',
	target: 0,
	submission: 0,
	token: '',
	lat: '',
	lon: '',
	maxId: 0,
	action: '1',
	ambition: '1',
	goal: '1'
};
const S = () => ({
	id: String(seed.target),
	code: seed.wijk,
	wijk: seed.wijk,
	token: seed.token,
	lat: seed.lat,
	lon: seed.lon
});

/** Every endpoint with the inputs it reads. Keys are SvelteKit route ids. */
function spec(): Record<string, Endpoint[]> {
	const s = S();
	const melding = {
		category: 'straatverlichting',
		description: 'Lamp brandt niet',
		email: '',
		lat: s.lat,
		lon: s.lon
	};
	const initiative = {
		title: 'Geveltuinen',
		description: 'Samen groen',
		theme: 'openbare-ruimte',
		group: 'Buurtgroep',
		lat: s.lat,
		lon: s.lon
	};
	const item = {
		title: 'Nieuw bankje',
		description: 'Bij de speeltuin',
		theme: 'openbare-ruimte',
		lat: s.lat,
		lon: s.lon
	};
	return {
		'/': [{ method: 'GET', query: FILTERS }],
		'/analyse': [{ method: 'GET' }],
		'/api/adressen': [{ method: 'GET', query: ['q'], base: { q: 'Vleuten' } }],
		...analyse,
		'/api/areas': [{ method: 'GET', query: ['level'] }],
		'/api/areas/[code]': [{ method: 'GET', query: ['level'] }],
		'/api/areas/[code]/summary': [{ method: 'GET', query: ['level'] }],
		'/api/bijeenkomsten.ics': [{ method: 'GET', query: ['wijk', 'theme'] }],
		'/api/initiatieven': [
			{
				method: 'POST',
				body: 'json',
				fields: INITIATIVE,
				base: initiative,
				creates: true,
				stores: STORED_INITIATIVE
			}
		],
		'/api/items': [
			{ method: 'GET', query: [...FILTERS, 'bbox', 'limit', 'cursor', 'format', 'count', 'near'] },
			{
				method: 'POST',
				body: 'json',
				fields: [
					'layer',
					'status',
					'title',
					'description',
					'theme',
					'category',
					'subcategory',
					'geometry'
				],
				base: { layer: 'projecten', status: 'ontwerp', ...item, geometry: '' },
				creates: true,
				stores: STORED_ITEM
			}
		],
		'/api/items/[id]': [
			{ method: 'GET' },
			{
				method: 'PATCH',
				body: 'json',
				fields: ['version', 'title', 'description', 'theme'],
				base: { version: '', title: 'Herinrichting testplein' },
				changes: 'target'
			},
			{ method: 'DELETE', query: ['version'] }
		],
		'/api/items/[id]/restore': [{ method: 'POST', body: 'json', fields: ['version'] }],
		'/api/items/[id]/status': [
			{
				method: 'POST',
				body: 'json',
				fields: ['status', 'publicText', 'version', 'reason'],
				base: { status: 'uitvoering', publicText: 'We beginnen', version: '' },
				changes: 'target'
			}
		],
		'/api/meldingen': [
			{
				method: 'POST',
				body: 'multipart',
				fields: MELDING,
				base: melding,
				creates: true,
				stores: ['description']
			}
		],
		'/api/meldingen/dubbel': [
			{
				method: 'GET',
				query: ['lat', 'lon', 'category'],
				base: { lat: s.lat, lon: s.lon, category: 'straatverlichting' }
			}
		],
		'/api/nabij': [
			{
				method: 'GET',
				query: ['q', 'lat', 'lon', 'r', 'layer', 'theme', 'status', 'from', 'to'],
				base: { lat: s.lat, lon: s.lon }
			}
		],
		'/api/themes': [{ method: 'GET' }],
		'/api/straten': [{ method: 'GET', query: ['bbox'] }],
		'/api/adressen/bij': [
			{ method: 'GET', query: ['lon', 'lat'], base: { lat: s.lat, lon: s.lon } }
		],
		'/embed': [{ method: 'GET', query: FILTERS }],
		// Accounts: the bases are refused (an unknown role, an unknown account), so only a payload that broke out could write.
		'/beheer/gebruikers': [
			{ method: 'GET' },
			{
				method: 'POST',
				action: 'add',
				body: 'form',
				fields: ['email', 'role', 'wijk', 'name', 'department'],
				base: { email: 'nieuw@gemeente.test', role: 'geen-rol', name: 'Nieuw' }
			},
			{
				method: 'POST',
				action: 'change',
				body: 'form',
				fields: ['email', 'role', 'wijk', 'name', 'department'],
				base: { email: 'niemand@gemeente.test', role: 'medewerker' }
			},
			...['disable', 'enable', 'reset'].map((action): Endpoint => ({
				method: 'POST',
				action,
				body: 'form',
				fields: ['email'],
				base: { email: 'niemand@gemeente.test' }
			}))
		],
		// Area import from a file: without a file (preview) or with an unknown upload token (import) nothing is written.
		'/beheer/import': [
			{ method: 'GET' },
			{
				method: 'POST',
				action: 'preview',
				body: 'multipart',
				fields: [
					'mode',
					'gemeente',
					'year',
					'level',
					'parent',
					'layer',
					'code',
					'name',
					'population',
					'parentCode',
					'skipInvalid',
					'file'
				],
				base: { mode: 'areas', level: 'wijk' }
			},
			{
				method: 'POST',
				action: 'import',
				body: 'form',
				fields: [
					'mode',
					'gemeente',
					'year',
					'level',
					'parent',
					'layer',
					'code',
					'name',
					'population',
					'parentCode',
					'skipInvalid',
					'token'
				],
				base: { mode: 'areas', level: 'wijk', token: 'onbekend' }
			}
		],
		'/api/wijken/[code]/[file]': [{ method: 'GET', query: ['sep'], base: { file: 'agenda.csv' } }],
		'/beheer': [{ method: 'GET', cookies: ['wijkkaart_sessie', 'lang'], query: ['lang'] }],
		'/beheer/agenda/[wijk]': [
			{ method: 'GET' },
			{
				method: 'POST',
				action: 'action',
				body: 'form',
				fields: ['id', 'version', ...AGENDA_ACTION],
				base: {
					id: seed.action,
					version: '',
					title: 'Actie',
					owner: 'Gemeente',
					status: 'gepland',
					progress: '0',
					text: 'Bijgewerkt'
				},
				changes: 'agenda'
			},
			{
				method: 'POST',
				action: 'newAction',
				body: 'form',
				fields: ['ambition', 'buurten', ...AGENDA_ACTION],
				base: {
					ambition: seed.ambition,
					buurten: seed.buurt,
					title: 'Actie',
					owner: 'Gemeente',
					status: 'gepland',
					progress: '0'
				},
				changes: 'agenda'
			},
			{
				method: 'POST',
				action: 'newAmbition',
				body: 'form',
				fields: ['title', 'theme', 'description', 'rank'],
				base: { title: 'Ambitie', theme: 'openbare-ruimte' },
				changes: 'agenda'
			},
			{
				method: 'POST',
				action: 'goal',
				body: 'form',
				fields: ['id', 'current'],
				base: { id: seed.goal, current: '3' },
				changes: 'agenda'
			},
			{
				method: 'POST',
				action: 'place',
				body: 'form',
				fields: [
					'id',
					'version',
					'geometry',
					'lat',
					'lon',
					'rdX',
					'rdY',
					'buurten',
					'items',
					'text'
				],
				base: { id: seed.action, version: '', buurten: seed.buurt, text: 'Plaats bijgewerkt' },
				changes: 'agenda'
			}
		],
		'/beheer/audit': [
			{ method: 'GET', query: ['actor', 'action', 'entity', 'from', 'to', 'page'] }
		],
		'/beheer/foto/[id]': [{ method: 'GET' }],
		'/beheer/items': [
			{
				method: 'GET',
				query: [
					'laag',
					'thema',
					'status',
					'gebied',
					'q',
					'verwijderd',
					'categorie',
					'wijk',
					'afdeling',
					'ouder',
					'sortering',
					'bereik',
					'pagina'
				]
			},
			// Without its version field (v-<id>) the answer meets a conflict: nothing is written.
			{
				method: 'POST',
				action: 'bulk',
				body: 'form',
				fields: ['id', 'status', 'publicText'],
				base: { id: s.id, status: 'uitvoering', publicText: 'We beginnen' },
				changes: 'target'
			}
		],
		'/beheer/items/[id]': [
			{ method: 'GET', query: ['aangemaakt'] },
			{
				method: 'POST',
				action: 'save',
				body: 'form',
				fields: ['version', ...ITEM_FORM],
				base: { version: '', ...item, title: 'Herinrichting testplein' },
				changes: 'target'
			},
			{
				method: 'POST',
				action: 'status',
				body: 'form',
				fields: ['version', 'status', 'publicText', 'reason'],
				base: { version: '', status: 'ontwerp', publicText: 'Terug naar ontwerp' },
				changes: 'target'
			},
			{ method: 'POST', action: 'delete', body: 'form', fields: ['version'] },
			{ method: 'POST', action: 'restore', body: 'form', fields: ['version'] },
			{ method: 'POST', action: 'contact', body: 'form', changes: 'target' }
		],
		'/beheer/items/nieuw': [
			{ method: 'GET', query: ['laag'] },
			{
				method: 'POST',
				action: 'default',
				body: 'form',
				fields: ['layer', 'status', ...ITEM_FORM],
				base: { layer: 'projecten', status: 'ontwerp', ...item },
				creates: true,
				stores: STORED_ITEM
			}
		],
		'/beheer/moderatie': [
			{ method: 'GET', query: ['wijk', 'thema', 'laag'] },
			...['approve', 'publishPhoto', 'removePhoto'].map((action): Endpoint => ({
				method: 'POST',
				action,
				body: 'form',
				fields: ['id']
			})),
			{
				method: 'POST',
				action: 'reject',
				body: 'form',
				fields: ['id', 'reason'],
				base: { id: String(seed.submission), reason: 'Dubbel' },
				changes: 'submission'
			},
			{
				method: 'POST',
				action: 'merge',
				body: 'form',
				fields: ['id', 'target'],
				base: { id: String(seed.submission), target: String(seed.target) }
			},
			{
				method: 'POST',
				action: 'respond',
				body: 'form',
				fields: ['id', 'version', 'status', 'publicText'],
				base: {
					id: String(seed.submission),
					version: '1',
					status: 'in_behandeling',
					publicText: 'We kijken'
				},
				changes: 'submission'
			}
		],
		'/feeds/[file]': [
			{
				method: 'GET',
				query: ['lat', 'lon', 'r'],
				base: { file: 'punt.atom', lat: s.lat, lon: s.lon, r: '500' }
			}
		],
		'/feeds/[kind]/[file]': [{ method: 'GET', base: { kind: 'wijk', file: `${seed.wijk}.atom` } }],
		'/foto/[id]': [{ method: 'GET' }],
		'/gebied/[level]/[code]': [{ method: 'GET', base: { level: 'wijk' } }],
		'/healthz': [{ method: 'GET' }],
		'/in-de-buurt': [
			{
				method: 'GET',
				query: ['q', 'label', 'lat', 'lon', 'r', 'layer', 'theme'],
				base: { lat: s.lat, lon: s.lon }
			}
		],
		'/item/[id]': [{ method: 'GET' }],
		'/login': [
			{ method: 'GET', query: ['redirectTo'] },
			{
				method: 'POST',
				action: 'default',
				body: 'form',
				fields: ['email', 'password', 'redirectTo'],
				base: { email: 'beheer@gemeente.test', password: 'fout-wachtwoord' }
			}
		],
		'/logout': [{ method: 'GET' }, { method: 'POST', action: 'default', body: 'form' }],
		'/melden': [
			{ method: 'GET', query: ['lat', 'lon'] },
			{
				method: 'POST',
				action: 'default',
				body: 'multipart',
				fields: MELDING,
				base: { ...melding, pinMoved: '1' },
				creates: true,
				stores: ['description']
			}
		],
		'/tiles/areas.pmtiles': [
			{ method: 'GET', headers: ['range', 'if-none-match', 'if-modified-since', 'if-range'] }
		],
		'/tiles/areas.json': [{ method: 'GET' }],
		'/tiles/areas/[z]/[x]/[y].mvt': [
			{ method: 'GET', headers: ['if-none-match'], base: { z: '12', x: '2102', y: '1351' } }
		],
		'/tiles/items.json': [{ method: 'GET', query: FILTERS }],
		'/tiles/items/[z]/[x]/[y].mvt': [
			{
				method: 'GET',
				query: FILTERS,
				headers: ['accept-encoding', 'if-none-match'],
				base: { z: '14', x: '8418', y: '5385' }
			}
		],
		'/volg/[token]': [
			{ method: 'GET', query: ['nieuw'] },
			{
				method: 'POST',
				action: 'opgelost',
				body: 'form',
				fields: ['opgelost'],
				base: { opgelost: 'ja' }
			}
		],
		'/volg/[token]/foto/[id]': [{ method: 'GET', base: { id: '1' } }],
		// No valid e-mail address among the payloads: no subscription is stored.
		'/volgen': [
			{ method: 'GET', query: ['soort', 'code', 'lat', 'lon', 'r'], base: { soort: 'wijk' } },
			{
				method: 'POST',
				action: 'default',
				body: 'form',
				fields: ['soort', 'code', 'lat', 'lon', 'r', 'email'],
				base: { soort: 'wijk', email: 'geen-adres' }
			}
		],
		'/volgen/bevestig/[token]': [
			{ method: 'GET' },
			{ method: 'POST', action: 'default', body: 'form' }
		],
		'/afmelden/[token]': [{ method: 'GET' }, { method: 'POST', action: 'default', body: 'form' }],
		'/voorstel': [
			{ method: 'GET', query: ['lat', 'lon'] },
			{
				method: 'POST',
				action: 'default',
				body: 'form',
				fields: INITIATIVE,
				base: { ...initiative, pinMoved: '1' },
				creates: true,
				stores: STORED_INITIATIVE
			}
		],
		'/api/[...rest]': [{ method: 'GET' }],
		'/api/openapi.json': [{ method: 'GET' }],
		// Open311 GeoReport v2 (src/lib/server/open311): the reads, and a POST through the residents' path.
		'/open311/[...rest]': [{ method: 'GET' }],
		'/open311/v2/[file]': [
			{
				method: 'GET',
				query: [
					'service_request_id',
					'service_code',
					'start_date',
					'end_date',
					'status',
					'lat',
					'long',
					'radius'
				],
				base: { file: 'requests.json' }
			},
			{
				method: 'POST',
				body: 'form',
				fields: ['service_code', 'description', 'lat', 'long', 'address_string', 'email'],
				base: {
					file: 'requests.json',
					service_code: 'straatverlichting',
					description: 'Lamp brandt niet',
					long: s.lon
				},
				creates: true,
				stores: ['description']
			}
		],
		'/open311/v2/requests/[file]': [{ method: 'GET', base: { file: `${seed.target}.json` } }],
		'/open311/v2/services/[file]': [{ method: 'GET', base: { file: 'straatverlichting.xml' } }],
		'/ogc': [{ method: 'GET', query: ['f'] }],
		'/ogc/[...rest]': [{ method: 'GET' }],
		'/ogc/api': [{ method: 'GET', query: ['f'] }],
		'/ogc/conformance': [{ method: 'GET', query: ['f'] }],
		'/ogc/collections': [{ method: 'GET', query: ['f'] }],
		'/ogc/collections/[id]': [{ method: 'GET', query: ['f'], base: { id: 'meldingen' } }],
		'/ogc/collections/[id]/queryables': [{ method: 'GET', base: { id: 'meldingen' } }],
		'/ogc/collections/[id]/items': [
			{ method: 'GET', query: OGC_ITEMS, base: { id: 'meldingen', limit: '5' } }
		],
		'/ogc/collections/[id]/items/[featureId]': [
			{
				method: 'GET',
				query: ['crs', 'f'],
				base: { id: 'meldingen', featureId: String(seed.target) }
			}
		],
		'/wijk/[code]': [{ method: 'GET', query: ['sinds'] }],
		'/wijk/[code]/overleg': [{ method: 'GET', query: ['sinds'] }]
	};
}

/** Names a route's source reads from the query, the headers or a form: each must have cases. */
function namesRead(source: string): string[] {
	const names = new Set<string>();
	for (const m of source.matchAll(
		/\b(?:get|getAll|has|str|optNum|optDate|q)\((?:\w+, )?'([^']+)'\)/g
	))
		names.add(m[1]);
	for (const m of source.matchAll(/\b(?:v|values|b)\.([a-zA-Z]+)\b(?!\()/g)) names.add(m[1]);
	return [...names];
}

const key = (e: Endpoint) => (e.action ? `POST ?/${e.action}` : e.method);

interface Case {
	route: string;
	endpoint: Endpoint;
	slot: string;
	payload: string | null;
}

function cases(route: string, e: Endpoint): Case[] {
	const params = [...route.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
	const slots = [
		...params.map((p) => `path:${p}`),
		...(e.query ?? []).map((q) => `query:${q}`),
		...(e.headers ?? []).map((h) => `header:${h}`),
		...(e.cookies ?? []).map((c) => `cookie:${c}`),
		...(e.fields ?? []).map((f) => `field:${f}`)
	];
	const out: Case[] = [];
	// With nothing to fill in, the endpoint is still asked once (and a write is still refused or harmless).
	if (!slots.length) out.push({ route, endpoint: e, slot: '-', payload: null });
	for (const slot of slots)
		for (const p of PAYLOADS) out.push({ route, endpoint: e, slot, payload: p });
	return out;
}

interface Sent {
	status: number;
	text: string;
	location: string | null;
}

async function send(base: string, c: Case, cookie: string | null, version: string): Promise<Sent> {
	const e = c.endpoint;
	const values: Record<string, string> = { ...S(), ...(e.base ?? {}) };
	if ('version' in values && values.version === '') values.version = version;
	const [kind, name] = c.slot.split(':');
	const pathname = c.route.replace(/\[(\w+)\]/g, (_, p: string) =>
		encodeURIComponent(kind === 'path' && name === p ? c.payload! : (values[p] ?? ''))
	);
	const url = new URL(pathname, base);
	if (e.action && e.action !== 'default') url.search = `?/${e.action}`;
	for (const q of e.query ?? []) {
		const v = kind === 'query' && name === q ? c.payload! : values[q];
		if (v) url.searchParams.set(q, v);
	}
	const headers: Record<string, string> = {
		origin: new URL(base).origin,
		accept: e.action ? 'text/html' : '*/*'
	};
	for (const h of e.headers ?? []) if (kind === 'header' && name === h) headers[h] = c.payload!;
	const jar: string[] = cookie ? [cookie] : [];
	if (kind === 'cookie') {
		const rest = jar.filter((j) => !j.startsWith(`${name}=`));
		jar.splice(0, jar.length, ...rest, `${name}=${encodeURIComponent(c.payload!)}`);
	}
	if (jar.length) headers.cookie = jar.join('; ');
	let body: BodyInit | undefined;
	if (e.body) {
		const fields: Record<string, string> = {};
		for (const f of e.fields ?? []) {
			const v = kind === 'field' && name === f ? c.payload! : values[f];
			if (v !== undefined && v !== '') fields[f] = v;
		}
		if (e.body === 'json') {
			headers['content-type'] = 'application/json';
			const obj: Record<string, unknown> = { ...fields };
			if (c.route === '/api/items' && !('geometry' in fields))
				obj.geometry = { type: 'Point', coordinates: [Number(seed.lon), Number(seed.lat)] };
			body = JSON.stringify(obj);
		} else if (e.body === 'form') {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams(fields).toString();
		} else {
			const form = new FormData();
			for (const [k, v] of Object.entries(fields)) form.set(k, v);
			body = form;
		}
	}
	const res = await fetch(url, { method: e.method, headers, body, redirect: 'manual' });
	return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

/** The current version of what an edit case changes (the seeded item, or the agenda's one action), as its staff form shows it. */
async function versionOf(base: string, route: string, cookie: string): Promise<string> {
	const page = route.startsWith('/beheer/agenda/')
		? `/beheer/agenda/${seed.wijk}`
		: `/beheer/items/${seed.target}`;
	const html = await (await fetch(`${base}${page}`, { headers: { cookie } })).text();
	const m = /name="version" value="(\d+)"/.exec(html);
	if (!m) throw new Error(`geen versie op ${page}`);
	return m[1];
}

describe(`SQL injection in every parameter of every route (${storeName})`, () => {
	let h: HostileServer;
	let cookie: string;
	let logoutCookie: string;
	let baseline: Record<string, string>;
	const created: {
		id: number | null;
		token: string | null;
		payload: string;
		verbatim: boolean;
		where: string;
	}[] = [];
	const originals = new Set<string | null>([null, '', ...PAYLOADS]);
	const counts = { cases: 0, anonymousStaff: 0, staff: 0, public: 0, created: 0, storeChecks: 0 };
	/** Per staff write, how many payload cases the handler accepted: proof the payloads reached the store's writes. */
	const accepted: Record<string, number> = {};

	const changedRows = () => [seed.target, seed.submission];
	/** The wijkagenda's tables: staff edit them legitimately; checked value by value instead of by hash. */
	const AGENDA = ['agenda', 'ambition', 'goal', 'action', 'action_item', 'action_update'];
	/** The wijkagenda's rows before the cases: edits may add rows and change texts, never remove one. */
	const agendaRows: Record<string, string[]> = {};
	const hashOpts = () => ({
		items: changedRows(),
		newerThan: seed.maxId,
		skip: AGENDA,
		skipAuditOf: AGENDA
	});
	/** Every text a user typed into the wijkagenda: only originals, valid values of the cases, and payloads may be there. */
	async function agendaTexts(db: Db): Promise<string[]> {
		const out: string[] = [];
		for (const t of AGENDA) {
			const rows = await db.query<{ v: string }>(
				`SELECT e.value AS v FROM "${t}" x, jsonb_each_text(to_jsonb(x) - ARRAY['geom', 'at', 'created_at', 'updated_at', 'updated_by', 'planned_start', 'planned_end', 'actual_start', 'actual_end', 'deadline', 'buurten', 'contacts', 'status_from', 'status_to']) e
				 WHERE jsonb_typeof(to_jsonb(x) -> e.key) = 'string'`
			);
			out.push(...rows.map((r) => r.v));
		}
		return out;
	}
	async function checkpoint(label: string) {
		counts.storeChecks++;
		const found = await h.withStore(async (db) => {
			const now = await tableHashes(db, hashOpts());
			const problems: string[] = changedTables(baseline, now).map(
				(t) => `${label}: tabel ${t} veranderd`
			);
			problems.push(...(await legitimateChanges(db)));
			return problems;
		});
		expect(found).toEqual([]);
	}

	/** New items: exactly the created ones, each holding its payload verbatim; the two editable ones hold originals or payloads. */
	async function legitimateChanges(db: Db): Promise<string[]> {
		const problems: string[] = [];
		const fresh = await db.query<{ id: string }>(`SELECT id FROM item WHERE id > $1 ORDER BY id`, [
			seed.maxId
		]);
		if (fresh.length !== created.length)
			problems.push(`${fresh.length} nieuwe items, ${created.length} verwacht`);
		for (const c of created) {
			let id = c.id;
			if (id === null && c.token)
				[{ item_id: id }] = (
					await db.query<{ item_id: number }>(
						`SELECT item_id::int FROM tracking WHERE token_hash = $1`,
						[hashToken(c.token)]
					)
				).concat([{ item_id: -1 }]);
			const [row] = await db.query<{ hit: boolean }>(
				`SELECT jsonb_path_exists(to_jsonb(i) || jsonb_build_object('contact', (SELECT to_jsonb(m) FROM melding_contact m WHERE m.item_id = i.id)), '$.** ? (@ == $p)', jsonb_build_object('p', $2::text)) AS hit
				 FROM item i WHERE id = $1`,
				[id, c.payload]
			);
			if (!row) problems.push(`${c.where}: item ${id} bestaat niet`);
			else if (c.verbatim && !row.hit)
				problems.push(`${c.where}: item ${id} bevat de tekst niet letterlijk`);
		}
		const texts = await db.query<{
			id: string;
			title: string;
			description: string;
			reason: string | null;
		}>(
			`SELECT id, title, description, moderation_reason AS reason FROM item WHERE id = ANY($1::bigint[])`,
			[changedRows()]
		);
		if (texts.length !== 2)
			problems.push(`de twee bewerkbare items zijn er niet meer allebei (${texts.length})`);
		for (const [t, before] of Object.entries(agendaRows)) {
			const ids = new Set(
				(await db.query<{ id: string }>(`SELECT id::text FROM "${t}"`)).map((r) => r.id)
			);
			for (const id of before)
				if (!ids.has(id)) problems.push(`wijkagenda: ${t} ${id} is verdwenen`);
		}
		for (const t of texts)
			for (const v of [t.title, t.description, t.reason])
				if (!originals.has(v))
					problems.push(`item ${t.id}: onverwachte tekst ${JSON.stringify(v).slice(0, 80)}`);
		const updates = await db.query<{ public_text: string }>(
			`SELECT public_text FROM item_update WHERE item_id = ANY($1::bigint[])`,
			[changedRows()]
		);
		for (const u of updates)
			if (!originals.has(u.public_text))
				problems.push(`tijdlijn: onverwachte tekst ${u.public_text.slice(0, 80)}`);
		for (const v of await agendaTexts(db))
			if (!originals.has(v)) problems.push(`wijkagenda: onverwachte tekst ${v.slice(0, 80)}`);
		return problems;
	}

	beforeAll(async () => {
		h = await hostileServer(async (db) => {
			const { itemId, point } = await seedAccounts(db);
			seed.target = itemId;
			[seed.lon, seed.lat] = point.map(String);
			const out = await submitMelding(
				db,
				{
					fields: {
						category: 'straatverlichting',
						description: 'Lamp brandt niet',
						email: 'melder@voorbeeld.invalid',
						lat: seed.lat,
						lon: seed.lon
					},
					photo: null
				},
				'seed'
			);
			if (!out.ok) throw new Error(JSON.stringify(out));
			seed.submission = out.itemId;
			seed.token = out.token;
			({
				buurt: seed.buurt,
				action: seed.action,
				ambition: seed.ambition,
				goal: seed.goal
			} = await seedAgenda(db, seed.wijk));
			[{ m: seed.maxId }] = await db.query<{ m: number }>(`SELECT max(id)::int AS m FROM item`);
			baseline = await tableHashes(db, hashOpts());
			for (const v of await agendaTexts(db)) originals.add(v);
			for (const t of AGENDA.filter((t) => t !== 'action_item'))
				agendaRows[t] = (await db.query<{ id: string }>(`SELECT id::text FROM "${t}"`)).map(
					(r) => r.id
				);
			// What the two editable items may hold afterwards: what they held, what the cases send as valid values, or a payload.
			const before = await db.query<{ t: string | null }>(
				`SELECT unnest(ARRAY[title, description, moderation_reason]) AS t FROM item WHERE id = ANY($1::bigint[])
				 UNION SELECT public_text FROM item_update WHERE item_id = ANY($1::bigint[])`,
				[[seed.target, seed.submission]]
			);
			for (const b of before) originals.add(b.t);
		});
		for (const e of Object.values(spec()).flat())
			for (const v of Object.values(e.base ?? {})) originals.add(v);
		originals.add('Actie toegevoegd aan de wijkagenda.');
		const beheerder = PERSONAS.find((p) => p.role === 'beheerder')!;
		cookie = (await login(h.base, beheerder.email)).cookie!;
		logoutCookie = (await login(h.base, beheerder.email)).cookie!;
		expect(cookie).toBeTruthy();
		expect(logoutCookie).toBeTruthy();
	}, 300_000);
	afterAll(async () => {
		console.log(`sql-injection: ${JSON.stringify(counts)}`);
		await h?.close();
	});

	it('has cases for every endpoint of the route table and every parameter its source reads', () => {
		const table = routeTable();
		const s = spec();
		const missing: string[] = [];
		for (const [route, { endpoints, source }] of table) {
			const declared = s[route];
			if (!declared) {
				missing.push(`${route}: geen cases`);
				continue;
			}
			for (const ep of endpoints)
				if (!declared.some((e) => key(e) === ep)) missing.push(`${route} ${ep}: geen cases`);
			const covered = new Set(
				declared.flatMap((e) => [
					...(e.query ?? []),
					...(e.headers ?? []),
					...(e.fields ?? []),
					...(e.cookies ?? [])
				])
			);
			for (const n of namesRead(source))
				if (!covered.has(n) && !['length', 'split'].includes(n))
					missing.push(`${route}: leest "${n}" zonder cases`);
		}
		for (const route of Object.keys(s))
			if (!table.has(route)) missing.push(`${route}: staat niet (meer) in de routetabel`);
		expect(missing).toEqual([]);
		// hooks.server.ts reads ?lang and the lang and session cookies on every request.
		const hooks = readFileSync(path.join(ROOT, 'src/hooks.server.ts'), 'utf8');
		expect(hooks).toMatch(/searchParams\.get\('lang'\)/);
		expect(s['/beheer'][0].cookies).toEqual(['wijkkaart_sessie', 'lang']);
	});

	function staffOnly(route: string, e: Endpoint): boolean {
		const url = new URL(`http://x${e.action && e.action !== 'default' ? `?/${e.action}` : ''}`);
		const rule = findRule(route, ruleKey(e.method, url));
		if (route === '/beheer' || route.startsWith('/beheer/')) return true;
		return !!rule && rule.allow !== 'public';
	}

	async function run(
		route: string,
		e: Endpoint,
		as: 'anonymous' | 'beheerder',
		failures: string[]
	) {
		const staff = staffOnly(route, e);
		const own =
			route === '/logout' && as === 'beheerder' ? logoutCookie : as === 'beheerder' ? cookie : null;
		for (const c of cases(route, e)) {
			const version =
				as === 'beheerder' && e.base?.version === '' ? await versionOf(h.base, route, cookie) : '1';
			const r = await send(h.base, c, own, version);
			counts.cases++;
			counts[as === 'anonymous' && staff ? 'anonymousStaff' : staff ? 'staff' : 'public']++;
			const what = `${as} ${e.action ? `POST ${route}?/${e.action}` : `${e.method} ${route}`} ${c.slot}=${JSON.stringify(c.payload)}`;
			if (
				as === 'beheerder' &&
				e.method !== 'GET' &&
				c.payload !== null &&
				(r.status < 300 || (r.status === 303 && !(r.location ?? '').startsWith('/login')))
			)
				accepted[`${key(e)} ${route}`] = (accepted[`${key(e)} ${route}`] ?? 0) + 1;
			if (r.status >= 500) failures.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
			const leak = leakIn(r.text);
			if (leak) failures.push(`${what}: lekt ${leak}`);
			if (as === 'anonymous' && staff) {
				const toLogin = r.status === 303 && (r.location ?? '').startsWith('/login');
				if (![401, 403].includes(r.status) && !toLogin)
					failures.push(`${what}: anoniem kreeg ${r.status} ${r.location ?? ''}`);
			}
			if (
				e.creates &&
				c.payload !== null &&
				(r.status === 201 ||
					(r.status === 303 && /^\/(volg|beheer\/items)\//.test(r.location ?? '')))
			) {
				const token = /^\/volg\/([^?/]+)/.exec(r.location ?? '')?.[1] ?? null;
				// /api answers {id} or a Feature; Open311 a list of [{service_request_id}].
				const body =
					r.status === 201
						? (JSON.parse(r.text) as { id?: number; properties?: { id?: number } } & {
								service_request_id?: string;
							}[])
						: null;
				const id = body
					? Number(body.id ?? body.properties?.id ?? body[0]?.service_request_id)
					: Number(/^\/beheer\/items\/(\d+)/.exec(r.location ?? '')?.[1]) || null;
				created.push({
					id: token ? null : id,
					token,
					payload: c.payload,
					verbatim: (e.stores ?? []).includes(c.slot.slice('field:'.length)),
					where: what
				});
				counts.created++;
			}
		}
	}

	const phases: {
		name: string;
		as: 'anonymous' | 'beheerder';
		pick: (route: string, e: Endpoint) => boolean;
	}[] = [
		{ name: 'openbare routes', as: 'anonymous', pick: (r, e) => !staffOnly(r, e) },
		{ name: 'beheerroutes zonder sessie', as: 'anonymous', pick: (r, e) => staffOnly(r, e) },
		{
			name: 'beheerroutes als beheerder',
			as: 'beheerder',
			pick: (r, e) => staffOnly(r, e) || r === '/logout'
		}
	];

	for (const phase of phases) {
		it(`${phase.name}: no 5xx, no stack or SQL text, store unchanged but for the payload stored as text`, async () => {
			const failures: string[] = [];
			for (const [route, endpoints] of Object.entries(spec())) {
				for (const e of endpoints) {
					if (!phase.pick(route, e)) continue;
					await run(route, e, phase.as, failures);
					// PostgreSQL can be read beside the server: check after every endpoint. PGlite needs a restart per look.
					if (h.store.db.kind !== 'pglite') await checkpoint(`${phase.name} ${key(e)} ${route}`);
				}
			}
			expect(failures).toEqual([]);
			await checkpoint(phase.name);
			if (phase.as === 'beheerder') {
				// The session held to the end: the staff cases reached the handlers, not the login page.
				const res = await fetch(`${h.base}/beheer`, { headers: { cookie }, redirect: 'manual' });
				expect(res.status).toBe(200);
				console.log(`sql-injection: accepted staff writes ${JSON.stringify(accepted)}`);
				for (const w of [
					'PATCH /api/items/[id]',
					'POST /api/items/[id]/status',
					'POST /api/items',
					'POST ?/save /beheer/items/[id]',
					'POST ?/reject /beheer/moderatie',
					'POST ?/action /beheer/agenda/[wijk]',
					'POST ?/newAmbition /beheer/agenda/[wijk]'
				]) {
					expect(accepted[w] ?? 0, w).toBeGreaterThan(0);
				}
			}
		}, 1_200_000);
	}

	it('stored the payloads of legitimate submissions as text', () => {
		// Residents' meldingen and proposals, and staff creating items, must have been accepted with a payload.
		expect(created.length).toBeGreaterThan(10);
	});
});
