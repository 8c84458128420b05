import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as root from '../../src/routes/open311/v2/[file]/+server.ts';
import * as one from '../../src/routes/open311/v2/requests/[file]/+server.ts';
import * as service from '../../src/routes/open311/v2/services/[file]/+server.ts';
import * as rest from '../../src/routes/open311/[...rest]/+server.ts';
import * as melden from '../../src/routes/melden/+page.server.ts';
import { queue } from '../../src/lib/server/moderation.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';
import { event } from './residents-setup.ts';

/**
 * Open311 GeoReport v2 read by an independent client: Python's json and xml.etree (Debian's
 * /usr/bin/python3), checked against the element names of the spec
 * (https://wiki.open311.org/GeoReport_v2), and a POST that must become a melding exactly as
 * one from the /melden form does.
 */
const SPEC = {
	discovery: ['changeset', 'contact', 'key_service', 'endpoints'],
	endpoint: ['specification', 'url', 'changeset', 'type', 'formats'],
	service: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
	request: [
		'service_request_id',
		'status',
		'status_notes',
		'service_name',
		'service_code',
		'description',
		'agency_responsible',
		'service_notice',
		'requested_datetime',
		'updated_datetime',
		'expected_datetime',
		'address',
		'address_id',
		'zipcode',
		'lat',
		'long',
		'media_url'
	],
	posted: ['service_request_id', 'service_notice', 'account_id'],
	error: ['code', 'description']
};

/** Python reads the document and gives back what it saw: the root, its children's tags and texts. */
const PY_XML = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def node(e):
    kids = list(e)
    if not kids:
        return e.text or ''
    return {'tag': e.tag, 'children': [{'tag': k.tag, 'value': node(k)} for k in kids]}
print(json.dumps({'root': root.tag, 'children': [{'tag': k.tag, 'value': node(k)} for k in root]}))
`;
interface PyNode {
	tag: string;
	value: string | { tag: string; children: PyNode[] };
}
function pyXml(xml: string): { root: string; children: PyNode[] } {
	const res = spawnSync('/usr/bin/python3', ['-c', PY_XML], { input: xml, encoding: 'utf8' });
	if (res.status !== 0) throw new Error(`python: ${res.stderr}`);
	return JSON.parse(res.stdout);
}
function pyJson(text: string): unknown {
	const res = spawnSync(
		'/usr/bin/python3',
		['-c', 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())))'],
		{ input: text, encoding: 'utf8' }
	);
	if (res.status !== 0) throw new Error(`python: ${res.stderr}`);
	return JSON.parse(res.stdout);
}
const tags = (n: PyNode) => (typeof n.value === 'string' ? [] : n.value.children.map((c) => c.tag));
const textOf = (n: PyNode, tag: string) => {
	const c = typeof n.value === 'string' ? undefined : n.value.children.find((k) => k.tag === tag);
	return c && typeof c.value === 'string' ? c.value : undefined;
};

const THEMES = JSON.parse(
	readFileSync(
		path.resolve(import.meta.dirname, '../../src/lib/domain/themes.default.json'),
		'utf8'
	)
) as { categories: { id: string; nl: string }[] };
const SECRET_EMAIL = 'geheim.open311@voorbeeld.nl';

describe(`Open311 GeoReport v2 (${storeName})`, () => {
	let store: TestStore;
	let at: [number, number];
	const ids = { lamp: 0, afval: 0, old: 0, sensitive: 0, hidden: 0 };
	let client = 0;
	const next = () => `10.31.1.${++client}`;

	const get = async (
		handler: (e: never) => Promise<Response> | Response,
		url: string,
		params: Record<string, string>,
		lang: 'nl' | 'en' = 'nl'
	) => {
		const e = event(store.db, url, { params, client: next() }) as { locals: { lang: string } };
		e.locals.lang = lang;
		return handler(e as never);
	};
	const list = (q = '', format = 'json') =>
		get(root.GET, `/open311/v2/requests.${format}${q}`, { file: `requests.${format}` });
	const post = async (
		fields: Record<string, string>,
		opts: { format?: string; lang?: 'nl' | 'en'; client?: string; type?: string } = {}
	) => {
		const format = opts.format ?? 'json';
		const e = event(store.db, `/open311/v2/requests.${format}`, {
			method: 'POST',
			params: { file: `requests.${format}` },
			client: opts.client ?? next(),
			headers: { 'content-type': opts.type ?? 'application/x-www-form-urlencoded' },
			body:
				opts.type === 'application/json'
					? JSON.stringify(fields)
					: new URLSearchParams(fields).toString()
		}) as { locals: { lang: string } };
		e.locals.lang = opts.lang ?? 'nl';
		return root.POST(e as never);
	};

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const [p] = await store.db.query<{ lon: number; lat: number }>(
			`SELECT ST_X(c)::float8 AS lon, ST_Y(c)::float8 AS lat FROM (SELECT ST_PointOnSurface(geom) AS c FROM area WHERE level = 'buurt' ORDER BY code LIMIT 1) x`
		);
		at = [p.lon, p.lat];
		const pt = (dx: number) => ({ type: 'Point' as const, coordinates: [at[0] + dx, at[1]] });
		const old = new Date(Date.now() - 200 * 86_400_000);
		const made = await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			return (
				await insertItems(tx, [
					{
						layer: 'meldingen',
						title: 'Lamp kapot',
						description: 'Lantaarnpaal brandt niet',
						theme: 'openbare-ruimte',
						status: 'gemeld',
						category: 'straatverlichting',
						geometry: pt(0),
						contact: { email: SECRET_EMAIL }
					},
					{
						layer: 'meldingen',
						title: 'Afval',
						description: 'Zakken naast de container',
						theme: 'openbare-ruimte',
						status: 'gemeld',
						category: 'afval',
						geometry: pt(0.05)
					},
					{
						layer: 'meldingen',
						title: 'Oud',
						description: 'Van lang geleden',
						theme: 'openbare-ruimte',
						status: 'afgehandeld',
						category: 'graffiti',
						geometry: pt(0.0001),
						createdAt: old
					},
					{
						layer: 'meldingen',
						title: 'Buren',
						description: 'Gevoelige tekst',
						theme: 'veiligheid',
						status: 'gemeld',
						category: 'woonoverlast',
						geometry: pt(0.0002)
					},
					{
						layer: 'meldingen',
						title: 'Nog niet beoordeeld',
						description: 'Verborgen tekst',
						theme: 'openbare-ruimte',
						status: 'gemeld',
						category: 'afval',
						geometry: pt(0.0003)
					},
					{
						layer: 'projecten',
						title: 'Geen melding',
						description: 'Project',
						theme: 'verkeer',
						status: 'ontwerp',
						geometry: pt(0.0004)
					}
				])
			).ids as number[];
		});
		[ids.lamp, ids.afval, ids.old, ids.sensitive, ids.hidden] = made;
		await store.db.query(`UPDATE item SET published = false WHERE id = $1`, [ids.hidden]);
		await store.db.query(
			`INSERT INTO item_update (item_id, status_from, status_to, public_text) VALUES ($1, 'gemeld', 'gemeld', 'We kijken ernaar')`,
			[ids.lamp]
		);
		const [s] = await store.db.query<{ sensitive: boolean }>(
			`SELECT sensitive FROM item WHERE id = $1`,
			[ids.sensitive]
		);
		expect(s.sensitive).toBe(true);
	}, 120_000);
	afterAll(() => store?.dispose());

	it('serves discovery and services in JSON and in the XML of the spec', async () => {
		const dj = pyJson(
			await (await get(root.GET, '/open311/v2/discovery.json', { file: 'discovery.json' })).text()
		) as Record<string, unknown> & { endpoints: Record<string, unknown>[] };
		expect(Object.keys(dj)).toEqual(SPEC.discovery);
		expect(Object.keys(dj.endpoints[0])).toEqual(SPEC.endpoint);
		expect(dj.endpoints[0].url).toBe('http://wijkkaart.test/open311/v2');
		const dres = await get(root.GET, '/open311/v2/discovery.xml', { file: 'discovery.xml' });
		expect(dres.headers.get('content-type')).toMatch(/^text\/xml/);
		const dx = pyXml(await dres.text());
		expect(dx.root).toBe('discovery');
		expect(dx.children.map((c) => c.tag)).toEqual(SPEC.discovery);
		const endpoint = (dx.children[3].value as { children: PyNode[] }).children[0];
		expect(endpoint.tag).toBe('endpoint');
		expect(tags(endpoint)).toEqual(SPEC.endpoint);

		const sj = pyJson(
			await (await get(root.GET, '/open311/v2/services.json', { file: 'services.json' })).text()
		) as Record<string, unknown>[];
		expect(sj.map((s) => s.service_code)).toEqual(THEMES.categories.map((c) => c.id));
		expect(sj.map((s) => s.service_name)).toEqual(THEMES.categories.map((c) => c.nl));
		for (const s of sj) expect(Object.keys(s)).toEqual(SPEC.service);
		const sx = pyXml(
			await (await get(root.GET, '/open311/v2/services.xml', { file: 'services.xml' })).text()
		);
		expect(sx.root).toBe('services');
		expect(sx.children.every((c) => c.tag === 'service')).toBe(true);
		expect(sx.children.map((c) => textOf(c, 'service_code'))).toEqual(
			THEMES.categories.map((c) => c.id)
		);
		for (const c of sx.children) expect(tags(c)).toEqual(SPEC.service);
		// English on request, Dutch first.
		const en = (await (
			await get(root.GET, '/open311/v2/services.json', { file: 'services.json' }, 'en')
		).json()) as { service_name: string }[];
		expect(en[0].service_name).toBe('Street lighting broken');

		const def = pyXml(
			await (await get(service.GET, '/open311/v2/services/afval.xml', { file: 'afval.xml' })).text()
		);
		expect(def.root).toBe('service_definition');
		expect(def.children.map((c) => c.tag)).toEqual(['service_code', 'attributes']);
		const unknown = await get(service.GET, '/open311/v2/services/bestaat-niet.json', {
			file: 'bestaat-niet.json'
		});
		expect(unknown.status).toBe(404);
		expect(pyJson(await unknown.text())).toEqual([
			{ code: 404, description: expect.stringContaining('bestaat niet') }
		]);
	});

	it('lists only public meldingen, with the standard filters, never contact details or sensitive ones', async () => {
		const res = await list();
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const body = await res.text();
		expect(body).not.toContain(SECRET_EMAIL);
		expect(body).not.toContain('Gevoelige tekst');
		expect(body).not.toContain('Verborgen tekst');
		const all = pyJson(body) as Record<string, unknown>[];
		// The default window is the last 90 days: the 200-day-old one is out.
		expect(all.map((r) => Number(r.service_request_id)).sort()).toEqual(
			[ids.lamp, ids.afval].sort()
		);
		for (const r of all) expect(Object.keys(r)).toEqual(SPEC.request);
		const lamp = all.find((r) => Number(r.service_request_id) === ids.lamp)!;
		expect(lamp).toMatchObject({
			status: 'open',
			service_code: 'straatverlichting',
			service_name: 'Straatverlichting kapot',
			status_notes: 'We kijken ernaar',
			description: 'Lantaarnpaal brandt niet'
		});
		expect(Math.abs((lamp.lat as number) - at[1])).toBeLessThan(1e-6);
		expect(Math.abs((lamp.long as number) - at[0])).toBeLessThan(1e-6);

		const ofIds = async (q: string) =>
			((await (await list(q)).json()) as { service_request_id: string }[])
				.map((r) => Number(r.service_request_id))
				.sort();
		expect(await ofIds('?start_date=2000-01-01')).toEqual([ids.lamp, ids.afval, ids.old].sort());
		expect(await ofIds('?start_date=2000-01-01&status=closed')).toEqual([ids.old]);
		expect(await ofIds('?start_date=2000-01-01&status=open,closed')).toHaveLength(3);
		expect(await ofIds('?service_code=afval,graffiti')).toEqual([ids.afval]);
		const oldDay = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
		expect(await ofIds(`?start_date=${oldDay}&end_date=${oldDay}`)).toEqual([ids.old]);
		// service_request_id overrides the date window; a sensitive or unpublished id is simply not there.
		expect(
			await ofIds(`?service_request_id=${ids.old},${ids.sensitive},${ids.hidden},${ids.lamp}`)
		).toEqual([ids.lamp, ids.old].sort());
		expect(await ofIds(`?lat=${at[1]}&long=${at[0]}&radius=100&start_date=2000-01-01`)).toEqual(
			[ids.lamp, ids.old].sort()
		);

		const x = pyXml(await (await list('?start_date=2000-01-01', 'xml')).text());
		expect(x.root).toBe('service_requests');
		expect(x.children.map((c) => c.tag)).toEqual(['request', 'request', 'request']);
		for (const c of x.children) expect(tags(c)).toEqual(SPEC.request);
		expect(x.children.map((c) => Number(textOf(c, 'service_request_id'))).sort()).toEqual(
			[ids.lamp, ids.afval, ids.old].sort()
		);

		const oneRes = await get(one.GET, `/open311/v2/requests/${ids.lamp}.xml`, {
			file: `${ids.lamp}.xml`
		});
		const ox = pyXml(await oneRes.text());
		expect(ox.children.map((c) => textOf(c, 'service_request_id'))).toEqual([String(ids.lamp)]);
		for (const id of [ids.sensitive, ids.hidden, 999999]) {
			const r = await get(one.GET, `/open311/v2/requests/${id}.json`, { file: `${id}.json` });
			expect(r.status).toBe(404);
			const text = await r.text();
			expect(text).not.toContain('Gevoelige tekst');
			expect(pyJson(text)).toEqual([
				{ code: 404, description: expect.stringContaining(String(id)) }
			]);
		}
	});

	it('refuses bad parameters in the Open311 error format, in Dutch or English', async () => {
		const bad = await list('?status=dicht');
		expect(bad.status).toBe(400);
		expect(pyJson(await bad.text())).toEqual([
			{
				code: 400,
				description:
					'status moet open of closed zijn, of beide gescheiden door een komma (kreeg "dicht").'
			}
		]);
		const en = await get(
			root.GET,
			'/open311/v2/requests.xml?start_date=gisteren',
			{ file: 'requests.xml' },
			'en'
		);
		expect(en.status).toBe(400);
		const ex = pyXml(await en.text());
		expect(ex.root).toBe('errors');
		expect(ex.children.map((c) => c.tag)).toEqual(['error']);
		expect(tags(ex.children[0])).toEqual(SPEC.error);
		expect(textOf(ex.children[0], 'description')).toMatch(/^start_date is not a W3C date/);
		for (const q of [
			'?service_request_id=1;2',
			'?service_code=onbekend',
			'?lat=52',
			'?lat=52&long=5&radius=0',
			'?start_date=2026-02-01&end_date=2026-01-01'
		]) {
			const r = await list(q);
			expect(r.status, q).toBe(400);
		}
		const noFormat = await get(root.GET, '/open311/v2/services', { file: 'services' });
		expect(noFormat.status).toBe(404);
		const elsewhere = await get(rest.GET, '/open311/v3/x.xml', { rest: 'v3/x.xml' });
		expect(elsewhere.status).toBe(404);
		expect(pyXml(await elsewhere.text()).root).toBe('errors');
	});

	it('takes a POST through the same path as the /melden form: moderated, private, audited, mailed', async () => {
		const fields = {
			service_code: 'straatverlichting',
			description: 'Open311: lamp knippert',
			lat: String(at[1]),
			long: String(at[0]),
			email: 'melder.open311@voorbeeld.nl',
			first_name: 'Piet',
			phone: '0612345678',
			api_key: 'wat-dan-ook'
		};
		const res = await post(fields, { format: 'xml' });
		expect(res.status).toBe(201);
		const x = pyXml(await res.text());
		expect(x.root).toBe('service_requests');
		expect(x.children.map((c) => c.tag)).toEqual(['request']);
		for (const t of SPEC.posted) expect(tags(x.children[0])).toContain(t);
		const id = Number(textOf(x.children[0], 'service_request_id'));
		expect(textOf(x.children[0], 'service_notice')).toMatch(
			/^Uw melding is ontvangen onder nummer M-/
		);

		// The same melding through the form, for comparison.
		const form = event(store.db, '/melden', {
			method: 'POST',
			client: next(),
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				category: 'straatverlichting',
				description: 'Formulier: lamp knippert',
				lat: String(at[1]),
				lon: String(at[0]),
				email: 'melder.form@voorbeeld.nl',
				pinMoved: '1'
			}).toString()
		});
		const redirected = await Promise.resolve(melden.actions.default(form as never)).catch(
			(thrown: unknown) => thrown
		);
		expect(isRedirect(redirected)).toBe(true);
		const [{ id: formId }] = await store.db.query<{ id: number }>(
			`SELECT id::int AS id FROM item WHERE description = 'Formulier: lamp knippert'`
		);
		expect(formId).toBeGreaterThan(0);
		const row = (i: number) =>
			store.db.query(
				`SELECT layer, title, theme, status, category, published, moderation, sensitive, source,
				        (SELECT count(*)::int FROM melding_contact c WHERE c.item_id = i.id AND c.email IS NOT NULL) AS contacts,
				        (SELECT count(*)::int FROM tracking t WHERE t.item_id = i.id) AS trackings,
				        (SELECT array_agg(kind ORDER BY kind) FROM mail_outbox o WHERE o.item_id = i.id) AS mails,
				        (SELECT array_agg(action || ':' || actor ORDER BY id) FROM audit_log a WHERE a.entity = 'item' AND a.entity_id = i.id::text) AS audit
				 FROM item i WHERE i.id = $1`,
				[i]
			);
		const [viaOpen311] = await row(id);
		const [viaForm] = await row(formId);
		expect(viaOpen311).toEqual(viaForm);
		expect(viaOpen311).toMatchObject({
			layer: 'meldingen',
			published: false,
			moderation: 'te_beoordelen',
			contacts: 1,
			trackings: 1
		});
		// Only the e-mail address is kept, as the form asks; name and phone are not stored anywhere.
		const [{ dump }] = await store.db.query<{ dump: string }>(
			`SELECT (SELECT string_agg(c::text, ' ') FROM melding_contact c WHERE c.item_id = $1) AS dump`,
			[id]
		);
		expect(dump).toContain('melder.open311@voorbeeld.nl');
		expect(dump).not.toContain('Piet');
		expect(dump).not.toContain('0612345678');
		// In the moderators' queue like the form's, and not public until approved.
		expect((await queue(store.db)).map((q) => q.id)).toEqual(expect.arrayContaining([id, formId]));
		expect(
			(await get(one.GET, `/open311/v2/requests/${id}.json`, { file: `${id}.json` })).status
		).toBe(404);
		// Approval (moderation.approve) publishes it: then it is there.
		await store.db.query(
			`UPDATE item SET published = true, moderation = 'goedgekeurd' WHERE id = $1`,
			[id]
		);
		expect(
			(await get(one.GET, `/open311/v2/requests/${id}.json`, { file: `${id}.json` })).status
		).toBe(200);
	});

	it("refuses a bad POST with the form's checks, field by field, in Dutch or English, and writes nothing", async () => {
		const [{ n: before }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM item`
		);
		const missing = await post({
			service_code: 'straatverlichting',
			lat: String(at[1]),
			long: String(at[0])
		});
		expect(missing.status).toBe(400);
		expect(pyJson(await missing.text())).toEqual([
			{ code: 400, description: 'description: Beschrijf wat er aan de hand is.' }
		]);
		const en = await post(
			{ service_code: 'bestaat-niet', description: 'x', lat: '0', long: '0' },
			{ lang: 'en', format: 'xml' }
		);
		expect(en.status).toBe(400);
		const ex = pyXml(await en.text());
		expect(ex.children.map((c) => textOf(c, 'description')).sort()).toEqual([
			'lat/long: This place lies outside the municipality. Choose a place within the municipality.',
			'service_code: Choose a category from the list.'
		]);
		const json = await post(
			{ service_code: 'afval', description: 'x', lat: String(at[1]), long: String(at[0]) },
			{ type: 'application/json' }
		);
		expect(json.status).toBe(415);
		expect(((await json.json()) as { code: number }[])[0].code).toBe(415);
		// The form's rate limit per client holds here too.
		process.env.WIJKKAART_RATE_SUBMIT = '1';
		try {
			const c = next();
			const first = await post(
				{ service_code: 'afval', description: 'Eerste', lat: String(at[1]), long: String(at[0]) },
				{ client: c }
			);
			expect(first.status).toBe(201);
			const second = await post(
				{ service_code: 'afval', description: 'Tweede', lat: String(at[1]), long: String(at[0]) },
				{ client: c }
			);
			expect(second.status).toBe(429);
			expect(second.headers.get('retry-after')).toBe('3600');
		} finally {
			delete process.env.WIJKKAART_RATE_SUBMIT;
		}
		const [{ n: after }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM item`
		);
		expect(after).toBe(before + 1);
	});
});
