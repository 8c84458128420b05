import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { parseAtomFeed } from 'feedsmith';
import ical from 'node-ical';
import { GET as searchGET } from '../../src/routes/api/adressen/+server.ts';
import { GET as nearGET } from '../../src/routes/api/nabij/+server.ts';
import { GET as dupGET } from '../../src/routes/api/meldingen/dubbel/+server.ts';
import { POST as meldingPOST } from '../../src/routes/api/meldingen/+server.ts';
import { POST as initiativePOST } from '../../src/routes/api/initiatieven/+server.ts';
import { GET as itemsGET } from '../../src/routes/api/items/+server.ts';
import { GET as photoGET } from '../../src/routes/foto/[id]/+server.ts';
import { GET as ownPhotoGET } from '../../src/routes/volg/[token]/foto/[id]/+server.ts';
import { GET as areaFeedGET } from '../../src/routes/feeds/[kind]/[file]/+server.ts';
import { GET as pointFeedGET } from '../../src/routes/feeds/[file]/+server.ts';
import { answerSolved, trackView } from '../../src/lib/server/residents/track.ts';
import { hashToken } from '../../src/lib/server/residents/tracking.ts';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';
import { freshStore, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import { startFakeLocatieserver } from '../helpers/fake-locatieserver.ts';
import { insertUtrechtAreas } from './items-setup.ts';
import { event, importUtrechtStreets, publicItemsNear } from './residents-setup.ts';

// Rate-limit counters change with every request; "nothing saved" is about everything else.
const contentHash = async (db: TestStore['db']) =>
	(await storeHash(db)).replace(/rate_limit:[0-9a-f]+;/, '');

describe(`residents on Utrecht (${storeName})`, () => {
	let store: TestStore;
	let home: [number, number];
	let ids: number[];
	let client = 0;
	// Each test its own client, so the rate limit only bites where a test wants it to.
	const next = () => `10.1.0.${++client}`;

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const summary = await importUtrechtStreets(store.db);
		expect(summary.inserted).toBe(9793);
		const body = await (
			await searchGET(event(store.db, '/api/adressen?q=Vleutenseweg', { client: next() }))
		).json();
		home = [body.results[0].lon, body.results[0].lat];
		ids = await publicItemsNear(store.db, home);
	}, 120_000);
	afterAll(() => store?.dispose());

	const search = async (q: string) =>
		(
			await (
				await searchGET(
					event(store.db, `/api/adressen?q=${encodeURIComponent(q)}`, { client: next() })
				)
			).json()
		).results as {
			label: string;
			kind: string;
			source: string;
		}[];

	it('imports the street index atomically with an audit entry, read as Windows-1252', async () => {
		const [audit] = await store.db.query<{ actor: string; action: string }>(
			`SELECT actor, action FROM audit_log WHERE entity = 'address'`
		);
		expect(audit).toEqual({ actor: 'import:addresses', action: 'import' });
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM address WHERE street = 'Thomas à Kempisweg'`
		);
		expect(n).toBeGreaterThan(0);
	});

	it('finds real Utrecht streets by prefix, typo, accent and wijk name', async () => {
		expect((await search('vleutensew'))[0].label).toBe('Vleutenseweg');
		expect((await search('Waterlinieweeg'))[0].label).toBe('Waterlinieweg');
		expect((await search('thomas a kempisw'))[0].label).toBe('Thomas à Kempisweg');
		const wijk = await search('Vleuten');
		expect(wijk.some((h) => h.kind === 'gebied' && h.label === 'VLEUTEN - DE MEERN (wijk)')).toBe(
			true
		);
		const short = await searchGET(event(store.db, '/api/adressen?q=a', { client: next() }));
		expect(short.status).toBe(400);
		expect((await short.json()).error).toBe('Typ minstens 2 tekens om te zoeken.');
	});

	it('asks PDOK Locatieserver only when configured, and merges its hits', async () => {
		const fake = await startFakeLocatieserver();
		try {
			expect((await search('Domplein 29')).some((h) => h.source === 'pdok')).toBe(false);
			expect(fake.requests).toHaveLength(0);
			process.env.WIJKKAART_LOCATIESERVER_URL = fake.baseUrl;
			const hits = await search('Domplein 29');
			expect(hits.find((h) => h.label === 'Domplein 29, 3512JE Utrecht')).toMatchObject({
				kind: 'adres',
				source: 'pdok'
			});
			expect(fake.requests[0]).toMatch(/^\/search\/v3_1\/free\?q=Domplein\+29/);
		} finally {
			delete process.env.WIJKKAART_LOCATIESERVER_URL;
			await fake.close();
		}
	});

	it('lists public items within the radius by distance, with the buurt and wijk', async () => {
		const res = await nearGET(event(store.db, `/api/nabij?lat=${home[1]}&lon=${home[0]}&r=250`));
		const body = await res.json();
		expect(body.features.map((f: { id: number }) => f.id)).toEqual([ids[0], ids[2]]);
		const d = body.features.map((f: { properties: { distance: number } }) => f.properties.distance);
		expect(d[0]).toBeLessThan(d[1]);
		expect(d[1]).toBeLessThanOrEqual(250);
		expect(body.areas.map((a: { level: string }) => a.level)).toEqual(['wijk', 'buurt']);
		const wide = await (
			await nearGET(
				event(store.db, `/api/nabij?lat=${home[1]}&lon=${home[0]}&r=1000&layer=projecten`)
			)
		).json();
		expect(wide.features.map((f: { id: number }) => f.id)).toEqual([ids[1]]);
		const bad = await nearGET(event(store.db, `/api/nabij?lat=${home[1]}&lon=${home[0]}&r=300`));
		expect(bad.status).toBe(400);
		expect((await bad.json()).error).toBe('Kies een straal van 250 m, 500 m of 1 km.');
	});

	it('offers an open melding of the same category within 50 m as a duplicate', async () => {
		const url = (cat: string) =>
			`/api/meldingen/dubbel?lat=${home[1]}&lon=${home[0]}&category=${cat}`;
		const same = await (await dupGET(event(store.db, url('straatverlichting')))).json();
		expect(same.items.map((i: { id: number }) => i.id)).toEqual([ids[0]]);
		const other = await (await dupGET(event(store.db, url('afval')))).json();
		expect(other.items).toEqual([]);
	});

	const post = async (
		handler: (e: never) => Response | Promise<Response>,
		path: string,
		body: FormData | object,
		c = next()
	) =>
		handler(
			event(store.db, path, {
				method: 'POST',
				client: c,
				body: body instanceof FormData ? body : JSON.stringify(body),
				headers: body instanceof FormData ? {} : { 'content-type': 'application/json' }
			})
		);

	it('takes a melding in RD coordinates: unpublished, moderated, tracked by hash, contact kept apart, audited', async () => {
		const [x, y] = wgs84ToRd(home);
		const res = await post(meldingPOST, '/api/meldingen', {
			x: x.toFixed(1),
			y: y.toFixed(1),
			category: 'afval',
			description: 'Zakken naast de container',
			email: 'bewoner@example.nl'
		});
		expect(res.status).toBe(201);
		const body = await res.json();
		expect(body.trackingNumber).toMatch(/^M-\d{4}-\d{6}$/);
		const token = body.trackingUrl.split('/volg/')[1];
		const [row] = await store.db.query<Record<string, unknown>>(
			`SELECT i.published, i.moderation, i.status, i.areas, t.token_hash, c.email,
			        ST_Distance(i.geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography)::float8 AS off
			 FROM item i JOIN tracking t ON t.item_id = i.id JOIN melding_contact c ON c.item_id = i.id WHERE i.id = $1`,
			[body.id, home[0], home[1]]
		);
		expect(row).toMatchObject({
			published: false,
			moderation: 'te_beoordelen',
			status: 'gemeld',
			token_hash: hashToken(token),
			email: 'bewoner@example.nl'
		});
		expect(row.off as number).toBeLessThan(2);
		const [audit] = await store.db.query<{ actor: string; after: unknown }>(
			`SELECT actor, after FROM audit_log WHERE entity = 'item' AND entity_id = $1`,
			[String(body.id)]
		);
		expect(audit.actor).toBe('resident');
		expect(JSON.stringify(audit.after)).not.toMatch(/bewoner@example|token/);
		const list = await (await itemsGET(event(store.db, '/api/items'))).text();
		expect(list).not.toContain('Zakken naast de container');
	});

	it('refuses bad meldingen with a Dutch message at the field and saves nothing', async () => {
		const before = await contentHash(store.db);
		const cases: [object, string, string][] = [
			[
				{ lat: home[1], lon: home[0], category: 'afval', description: '   ' },
				'description',
				'Beschrijf wat er aan de hand is.'
			],
			[
				{ lat: home[1], lon: home[0], category: 'kapotte-fiets', description: 'x' },
				'category',
				'Kies een categorie uit de lijst.'
			],
			[
				{ lat: 52.37, lon: 4.89, category: 'afval', description: 'In Amsterdam' },
				'location',
				'Deze plek ligt buiten de gemeente. Kies een plek binnen de gemeente.'
			],
			[
				{ category: 'afval', description: 'Waar?' },
				'location',
				'Kies een plek op de kaart of vul een adres in.'
			],
			[
				{ lat: home[1], lon: home[0], category: 'afval', description: 'x', email: 'geen-adres' },
				'email',
				'Dit e-mailadres klopt niet. Vul een geldig adres in of laat het veld leeg.'
			],
			[
				{ lat: home[1], lon: home[0], category: 'afval', description: 'x', website: 'http://spam' },
				'form',
				'Uw bericht kon niet worden verwerkt. Laat het veld "Website" leeg en probeer het opnieuw.'
			]
		];
		for (const [body, field, message] of cases) {
			const res = await post(meldingPOST, '/api/meldingen', body);
			expect(res.status, field).toBe(400);
			expect((await res.json()).errors[field], field).toBe(message);
		}
		expect(await contentHash(store.db)).toBe(before);
	});

	it('re-encodes a photo without EXIF, refuses an oversized photo and a non-image named .jpg', async () => {
		const gps = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
			.jpeg()
			.withExif({ IFD0: { Artist: 'Bewoner', ImageDescription: 'GPS 52.09 5.12' } })
			.toBuffer();
		expect((await sharp(gps).metadata()).exif).toBeDefined();
		const form = (photo: Blob, name: string) => {
			const f = new FormData();
			f.set('lat', String(home[1]));
			f.set('lon', String(home[0]));
			f.set('category', 'graffiti');
			f.set('description', 'Tekening op de muur');
			f.set('photo', photo, name);
			return f;
		};
		const ok = await post(
			meldingPOST,
			'/api/meldingen',
			form(new Blob([gps], { type: 'image/jpeg' }), 'muur.jpg')
		);
		expect(ok.status).toBe(201);
		const { id, trackingUrl } = await ok.json();
		const [photo] = await store.db.query<{
			id: number;
			bytes: Uint8Array;
			mime: string;
			public: boolean;
		}>('SELECT id, bytes, mime, public FROM item_photo WHERE item_id = $1', [id]);
		expect(photo.mime).toBe('image/jpeg');
		const meta = await sharp(Buffer.from(photo.bytes)).metadata();
		expect(meta.exif).toBeUndefined();
		expect(Buffer.from(photo.bytes).includes('Bewoner')).toBe(false);
		// The public cannot see it; the submitter can, through the link.
		expect(
			(await photoGET(event(store.db, `/foto/${photo.id}`, { params: { id: String(photo.id) } })))
				.status
		).toBe(404);
		const token = trackingUrl.split('/volg/')[1];
		const own = await ownPhotoGET(
			event(store.db, `/volg/${token}/foto/${photo.id}`, {
				params: { token, id: String(photo.id) }
			})
		);
		expect(own.status).toBe(200);
		expect(own.headers.get('content-type')).toBe('image/jpeg');
		// Staff publish item and photo: now everyone can.
		await store.db.query(
			`UPDATE item SET published = true, moderation = 'goedgekeurd' WHERE id = $1`,
			[id]
		);
		await store.db.query(`UPDATE item_photo SET public = true WHERE id = $1`, [photo.id]);
		expect(
			(await photoGET(event(store.db, `/foto/${photo.id}`, { params: { id: String(photo.id) } })))
				.status
		).toBe(200);

		const before = await contentHash(store.db);
		const big = new Uint8Array(10 * 1024 * 1024 + 1);
		big.set(gps);
		const tooBig = await post(
			meldingPOST,
			'/api/meldingen',
			form(new Blob([big], { type: 'image/jpeg' }), 'groot.jpg')
		);
		expect(tooBig.status).toBe(413);
		expect((await tooBig.json()).errors.photo).toBe(
			'De foto is groter dan 10 MB. Kies een kleinere foto.'
		);
		const fake = await post(
			meldingPOST,
			'/api/meldingen',
			form(new Blob(['<script>alert(1)</script>'], { type: 'image/jpeg' }), 'foto.jpg')
		);
		expect(fake.status).toBe(400);
		expect((await fake.json()).errors.photo).toBe(
			'Dit bestand is geen JPEG-, PNG- of WebP-foto. Kies een foto in een van die vormen.'
		);
		expect(await contentHash(store.db)).toBe(before);
	});

	it('follows a melding: staff afgehandeld, resident says "nee", it is heropend with a public note', async () => {
		const res = await post(meldingPOST, '/api/meldingen', {
			lat: home[1],
			lon: home[0],
			category: 'wegen',
			description: 'Gat in de weg'
		});
		const { id, trackingUrl } = await res.json();
		const token = trackingUrl.split('/volg/')[1];
		expect((await trackView(store.db, token))!.askSolved).toBe(false);
		// The staff API is another helper's; a staff change is an item row plus its public update.
		await store.db.query(
			`UPDATE item SET status = 'afgehandeld', published = true, moderation = 'goedgekeurd' WHERE id = $1`,
			[id]
		);
		await store.db.query(
			`INSERT INTO item_update (item_id, status_from, status_to, public_text) VALUES ($1, 'gemeld', 'afgehandeld', 'Gat gedicht.')`,
			[id]
		);
		const view = await trackView(store.db, token);
		expect(view!.askSolved).toBe(true);
		expect(view!.timeline.at(-1)!.text).toBe('Gat gedicht.');
		expect(await answerSolved(store.db, token, false, '10.9.9.9')).toBe('ok');
		const after = await trackView(store.db, token);
		expect(after!.item.status).toBe('heropend');
		expect(after!.timeline.at(-1)).toMatchObject({ from: 'afgehandeld', to: 'heropend' });
		expect(after!.askSolved).toBe(false);
		expect(await answerSolved(store.db, token, false, null)).toBe('not-asked');
		expect(await trackView(store.db, 'x'.repeat(43))).toBeNull();
	});

	it('follows a merge to the target and shows a rejection reason', async () => {
		const a = await (
			await post(meldingPOST, '/api/meldingen', {
				lat: home[1],
				lon: home[0],
				category: 'straatverlichting',
				description: 'Lamp uit'
			})
		).json();
		await store.db.query(
			`UPDATE item SET moderation = 'samengevoegd', merged_into = $2 WHERE id = $1`,
			[a.id, ids[0]]
		);
		const merged = await trackView(store.db, a.trackingUrl.split('/volg/')[1]);
		expect(merged!.mergedInto).toMatchObject({ id: ids[0], title: 'Lamp kapot' });
		const b = await (
			await post(initiativePOST, '/api/initiatieven', {
				title: 'Moestuin',
				description: 'Samen tuinieren',
				theme: 'groen-water',
				lat: home[1],
				lon: home[0],
				group: 'Buren',
				budget: '1500'
			})
		).json();
		expect(b.trackingNumber).toMatch(/^I-/);
		const [init] = await store.db.query<Record<string, unknown>>(
			`SELECT status, published, moderation, details FROM item WHERE id = $1`,
			[b.id]
		);
		expect(init).toMatchObject({
			status: 'idee',
			published: false,
			moderation: 'te_beoordelen',
			details: { initiator: 'Buren', budgetRequested: 1500 }
		});
		await store.db.query(
			`UPDATE item SET moderation = 'afgewezen', moderation_reason = 'Valt buiten het fonds.' WHERE id = $1`,
			[b.id]
		);
		expect(
			(await trackView(store.db, b.trackingUrl.split('/volg/')[1]))!.item.moderationReason
		).toBe('Valt buiten het fonds.');
		const bad = await post(initiativePOST, '/api/initiatieven', {
			title: '',
			description: 'x',
			theme: 'onbekend',
			lat: home[1],
			lon: home[0],
			group: 'B',
			budget: 'veel'
		});
		expect((await bad.json()).errors).toEqual({
			title: 'Geef uw voorstel een titel.',
			budget: 'Vul het gevraagde bedrag in euro’s in, bijvoorbeeld 1.500 of 1.500,50.'
		});
	});

	it('limits submissions per client with a Dutch 429', async () => {
		process.env.WIJKKAART_RATE_SUBMIT = '2';
		try {
			const c = next();
			const codes = [];
			for (let i = 0; i < 3; i++)
				codes.push(
					(await post(meldingPOST, '/api/meldingen', { category: 'afval', description: '' }, c))
						.status
				);
			expect(codes).toEqual([400, 400, 429]);
			const res = await post(meldingPOST, '/api/meldingen', {}, c);
			expect((await res.json()).error).toBe(
				'U heeft in korte tijd te veel meldingen of voorstellen verstuurd. Probeer het over een uur opnieuw.'
			);
			expect(
				(await post(meldingPOST, '/api/meldingen', { category: 'afval', description: '' })).status
			).toBe(400);
		} finally {
			delete process.env.WIJKKAART_RATE_SUBMIT;
		}
	});

	it('limits searches per client with a Dutch 429', async () => {
		process.env.WIJKKAART_RATE_SEARCH = '1';
		try {
			const c = next();
			expect(
				(await searchGET(event(store.db, '/api/adressen?q=vleuten', { client: c }))).status
			).toBe(200);
			const res = await searchGET(event(store.db, '/api/adressen?q=vleuten', { client: c }));
			expect(res.status).toBe(429);
			expect((await res.json()).error).toBe(
				'U heeft in korte tijd te vaak gezocht. Wacht een minuut en probeer het opnieuw.'
			);
		} finally {
			delete process.env.WIJKKAART_RATE_SEARCH;
		}
	});

	it('serves valid Atom and iCal feeds of public items only, without contact data or tokens', async () => {
		const [{ wijk, buurt }] = await store.db.query<{ wijk: string; buurt: string }>(
			`SELECT areas->>'wijk' AS wijk, areas->>'buurt' AS buurt FROM item WHERE id = $1`,
			[ids[0]]
		);
		await store.db.query(
			`INSERT INTO item_update (item_id, status_from, status_to, public_text) VALUES ($1, 'gemeld', 'in_behandeling', 'Monteur komt dinsdag.')`,
			[ids[0]]
		);
		const get = (kind: string, file: string) =>
			areaFeedGET(event(store.db, `/feeds/${kind}/${file}`, { params: { kind, file } }));
		const atomRes = await get('wijk', `${wijk}.atom`);
		expect(atomRes.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
		const xml = await atomRes.text();
		const feed = parseAtomFeed(xml);
		// Titles are type="html": escaped, so readers show typed markup as text.
		const titles = feed.entries!.map((e) => (e.title as { value: string }).value);
		expect(titles).toContain('Lamp kapot: gemeld → in behandeling');
		expect(titles).toContain('Bijeenkomst: Buurtavond &lt;b&gt;groen&lt;/b&gt;');
		expect(xml).not.toMatch(/bewoner@example|Zakken naast de container|\/volg\//);
		const ics = await (await get('buurt', `${buurt}.ics`)).text();
		const events = Object.values(ical.sync.parseICS(ics)).filter((c) => c?.type === 'VEVENT');
		expect(events.map((e) => (e as { summary: string }).summary)).toEqual([
			'Buurtavond <b>groen</b>'
		]);
		const [{ starts_at }] = await store.db.query<{ starts_at: Date }>(
			`SELECT starts_at FROM item WHERE id = $1`,
			[ids[2]]
		);
		// iCal counts whole seconds; the instant must be exact, not shifted by a time zone.
		expect((events[0] as { start: Date }).start.getTime()).toBe(
			Math.floor(new Date(starts_at).getTime() / 1000) * 1000
		);
		const point = await pointFeedGET(
			event(store.db, `/feeds/punt.atom?lat=${home[1]}&lon=${home[0]}&r=250`, {
				params: { file: 'punt.atom' }
			})
		);
		expect(
			parseAtomFeed(await point.text()).entries!.some(
				(e) => (e.title as { value: string }).value === 'Nieuw (meldingen): Lamp kapot'
			)
		).toBe(true);
		const theme = await get('thema', 'groen-water.atom');
		expect(parseAtomFeed(await theme.text()).entries!.length).toBeGreaterThan(0);
		expect((await get('wijk', 'bestaat-niet.atom')).status).toBe(404);
	});
});
