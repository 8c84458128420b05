import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { SHARED_UTRECHT, storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { runScript } from '../helpers/server.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import { openPostgres } from '../../src/lib/server/db/postgres.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { importAreasFromGeoJSON } from '../../src/lib/server/import/areas.ts';
import { hashToken } from '../../src/lib/server/residents/tracking.ts';
import { searchAddresses } from '../../src/lib/server/residents/addresses.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { importUtrechtStreets, publicItemsNear } from '../integration/residents-setup.ts';

const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8'));
const ROOT = path.resolve(import.meta.dirname, '../..');

const EMAIL = 'geheim-melder-7Q@voorbeeld.invalid';
const PHONE = '+31 6 7777 1234';
const NAME = 'Marker Naam';
const RESIDENT_EMAIL = 'bewoner-marker-9Z@voorbeeld.invalid';
const SENSITIVE_TITLE = 'Gevoelig-marker-titel-K3';
const SENSITIVE_TEXT = 'Gevoelig-marker-tekst-P8 over de buren op nummer 12';
const STAFF = 'medewerker-marker@voorbeeld.invalid';
const PASSWORD = 'Wachtwoord-Marker-55-geheim';

/** The route table as URL patterns: every public page and endpoint the build serves. */
function routePatterns(): string[] {
	const files = readdirSync(path.join(ROOT, 'src/routes'), {
		recursive: true,
		encoding: 'utf8'
	}).filter((f) => /(^|\/)\+(page\.svelte|server\.ts)$/.test(f));
	return [
		...new Set(
			files
				.map((f) => '/' + path.dirname(f).split(path.sep).join('/'))
				.map((p) => (p === '/.' ? '/' : p))
		)
	];
}

describe(`no private value reaches a public response (${storeName})`, () => {
	let portal: Portal;
	let base: string;
	let wijk: { code: string };
	let home: { lon: number; lat: number };
	let markers: string[];
	let photoSlice: Buffer;
	let photoId: number;
	let privateIds: number[] = [];

	async function withStore<T>(fn: (db: Db) => Promise<T>): Promise<T> {
		// The server holds the PGlite directory; PostgreSQL can be read alongside it.
		if (portal.store.db.kind === 'pglite') {
			await portal.server.stop();
			const db = await openPglite(portal.env.WIJKKAART_DATA_DIR);
			try {
				return await fn(db);
			} finally {
				await db.close();
				const { startServer } = await import('../helpers/server.ts');
				portal.server = await startServer(portal.env);
				base = portal.server.url;
			}
		}
		const db = await openPostgres(portal.env.DATABASE_URL);
		try {
			return await fn(db);
		} finally {
			await db.close();
		}
	}

	beforeAll(async () => {
		portal = await openPortal(async (store, env, release) => {
			const db = store.db;
			await importAreasFromGeoJSON(db, read('wijk.geojson'), { level: 'wijk' });
			await importAreasFromGeoJSON(db, read('buurt.geojson'), {
				level: 'buurt',
				parentLevel: 'wijk'
			});
			await importUtrechtStreets(db);
			[home] = await searchAddresses(db, 'Vleutenseweg');
			await publicItemsNear(db, [home.lon, home.lat]);
			[wijk] = await db.query<{ code: string }>(
				`SELECT code FROM area WHERE level = 'wijk' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
				[home.lon, home.lat]
			);
			privateIds = await db.transaction(async (tx) => {
				await syncTaxonomy(tx);
				const at = { type: 'Point' as const, coordinates: [home.lon + 0.0003, home.lat] };
				const { ids } = await insertItems(tx, [
					// Published, with a reporter's full contact: the public sees the melding, never who reported it.
					{
						layer: 'meldingen',
						title: 'Losliggende stoeptegel',
						description: 'Bij de bushalte',
						theme: 'openbare-ruimte',
						status: 'gemeld',
						category: 'afval',
						geometry: at,
						contact: { email: EMAIL, phone: PHONE, name: NAME }
					},
					// A sensitive category: only ever counted in aggregate.
					{
						layer: 'meldingen',
						title: SENSITIVE_TITLE,
						description: SENSITIVE_TEXT,
						theme: 'veiligheid',
						status: 'gemeld',
						category: 'woonoverlast',
						sensitive: true,
						geometry: at,
						contact: { email: EMAIL }
					}
				] as never);
				return ids as number[];
			});
			await db.query(`UPDATE item SET sensitive = true WHERE id = $1`, [privateIds[1]]);
			await release();
			const r = await runScript(
				'scripts/user.ts',
				['add', STAFF, '--role', 'medewerker', '--name', 'Mede Werker'],
				{ ...env, WIJKKAART_PASSWORD: PASSWORD }
			);
			expect(r.code, r.stderr).toBe(0);
		});
		base = portal.server.url;
	}, 240_000);
	afterAll(async () => {
		await portal?.close();
	});

	it('seeds every kind of private value through the real paths, and the store holds them', async () => {
		// A resident's melding with a photo through the public API: the tracking token is private.
		const png = await sharp({
			create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 90 } }
		})
			.png()
			.toBuffer();
		const form = new FormData();
		form.set('category', 'straatverlichting');
		form.set('description', 'Lamp brandt niet bij nummer 3');
		form.set('email', RESIDENT_EMAIL);
		form.set('lat', String(home.lat));
		form.set('lon', String(home.lon));
		form.set('photo', new Blob([png], { type: 'image/png' }), 'lamp.png');
		const res = await fetch(`${base}/api/meldingen`, {
			method: 'POST',
			body: form,
			headers: { origin: new URL(base).origin }
		});
		expect(res.status).toBe(201);
		const body = (await res.json()) as { id: number; trackingUrl: string };
		const token = body.trackingUrl.split('/').pop()!;
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		privateIds.push(body.id);
		markers = [
			EMAIL,
			PHONE,
			NAME,
			RESIDENT_EMAIL,
			SENSITIVE_TITLE,
			SENSITIVE_TEXT,
			token,
			PASSWORD,
			hashToken(token),
			`/volg/${token}`
		];

		await withStore(async (db) => {
			const contacts = await db.query<{ email: string; phone: string | null; name: string | null }>(
				`SELECT email, phone, name FROM melding_contact ORDER BY item_id`
			);
			expect(contacts).toEqual(
				expect.arrayContaining([
					{ email: EMAIL, phone: PHONE, name: NAME },
					expect.objectContaining({ email: RESIDENT_EMAIL })
				])
			);
			const [t] = await db.query<{ item_id: string }>(
				`SELECT item_id FROM tracking WHERE token_hash = $1`,
				[hashToken(token)]
			);
			expect(Number(t.item_id)).toBe(body.id);
			const [p] = await db.query<{ id: string; bytes: Uint8Array; public: boolean }>(
				`SELECT id, bytes, public FROM item_photo WHERE item_id = $1`,
				[body.id]
			);
			expect(p.public).toBe(false);
			photoId = Number(p.id);
			const bytes = Buffer.from(p.bytes);
			photoSlice = bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 24);
			const [s] = await db.query<{ sensitive: boolean; published: boolean }>(
				`SELECT sensitive, published FROM item WHERE id = $1`,
				[privateIds[1]]
			);
			expect(s).toEqual({ sensitive: true, published: true });
			const [u] = await db.query<{ password_hash: string }>(
				`SELECT password_hash FROM staff_user WHERE email = $1`,
				[STAFF]
			);
			expect(u.password_hash).not.toContain(PASSWORD);
			markers.push(u.password_hash);
		});
	}, 120_000);

	it('crawls every public page, feed, export and API response: no marker in any body or header', async () => {
		expect(markers?.length).toBeGreaterThan(5);
		const { wijken, buurten, items, themes } = await withStore(async (db) => ({
			wijken: (
				await db.query<{ code: string }>(`SELECT code FROM area WHERE level = 'wijk' ORDER BY code`)
			).map((r) => r.code),
			buurten: (
				await db.query<{ code: string }>(
					`SELECT code FROM area WHERE level = 'buurt' ORDER BY code LIMIT 12`
				)
			).map((r) => r.code),
			items: (await db.query<{ id: string }>(`SELECT id FROM item ORDER BY id`)).map((r) =>
				Number(r.id)
			),
			themes: (await db.query<{ id: string }>(`SELECT id FROM theme ORDER BY id`)).map((r) => r.id)
		}));
		expect(items).toEqual(expect.arrayContaining(privateIds));
		const fill: Record<string, string[]> = {
			'/wijk/[code]': wijken.map((c) => `/wijk/${c}`),
			'/wijk/[code]/overleg': wijken.map((c) => `/wijk/${c}/overleg`),
			'/gebied/[level]/[code]': [
				...wijken.map((c) => `/gebied/wijk/${c}`),
				...buurten.map((c) => `/gebied/buurt/${c}`)
			],
			'/item/[id]': items.map((i) => `/item/${i}`),
			'/api/items/[id]': items.map((i) => `/api/items/${i}`),
			'/api/areas/[code]': [...wijken, ...buurten.slice(0, 3)].map((c) => `/api/areas/${c}`),
			'/api/areas/[code]/summary': wijken.map((c) => `/api/areas/${c}/summary`),
			'/api/wijken/[code]/[file]': [
				`/api/wijken/${wijk.code}/agenda.json`,
				`/api/wijken/${wijk.code}/agenda.csv`
			],
			'/feeds/[kind]/[file]': [
				...wijken.map((c) => `/feeds/wijk/${c}.atom`),
				`/feeds/wijk/${wijk.code}.ics`,
				...themes.map((t) => `/feeds/thema/${t}.atom`)
			],
			'/feeds/[file]': [`/feeds/punt.atom?lat=${home.lat}&lon=${home.lon}&r=1000`],
			'/foto/[id]': [`/foto/${photoId}`],
			'/api/items': [
				'/api/items',
				'/api/items?format=csv&limit=5000',
				`/api/items?area=${wijk.code}&format=geojson`,
				'/api/items?layer=meldingen'
			],
			'/api/adressen': ['/api/adressen?q=Vleutenseweg'],
			'/api/nabij': [`/api/nabij?lat=${home.lat}&lon=${home.lon}&r=1000`],
			'/api/meldingen/dubbel': [
				`/api/meldingen/dubbel?lat=${home.lat}&lon=${home.lon}&category=straatverlichting`
			],
			'/api/analyse/*': [],
			'/api/[...rest]': ['/api/bestaat-niet'],
			// A token no one was given: the pages answer as for any stale link, with nothing of anyone's.
			'/afmelden/[token]': ['/afmelden/onbekend-token'],
			'/volgen/bevestig/[token]': ['/volgen/bevestig/onbekend-token'],
			'/ogc/[...rest]': ['/ogc/bestaat-niet'],
			'/open311/[...rest]': ['/open311/bestaat-niet'],
			'/open311/v2/[file]': ['discovery', 'services', 'requests', 'requests', 'requests'].flatMap(
				(n, i) =>
					['json', 'xml'].map(
						(f) =>
							`/open311/v2/${n}.${f}${i >= 3 ? (i === 3 ? '?start_date=2000-01-01' : '?status=closed&start_date=2000-01-01') : ''}`
					)
			),
			'/open311/v2/requests/[file]': [...new Set([...privateIds, ...items.slice(0, 3)])].flatMap(
				(i) => [`/open311/v2/requests/${i}.json`, `/open311/v2/requests/${i}.xml`]
			),
			'/open311/v2/services/[file]': [
				'/open311/v2/services/straatverlichting.xml',
				'/open311/v2/services/woonoverlast.json'
			],
			'/ogc/collections/[id]': ['meldingen', 'gebied-buurt', 'wijkagenda-acties'].map(
				(c) => `/ogc/collections/${c}?f=html`
			),
			'/ogc/collections/[id]/queryables': ['/ogc/collections/meldingen/queryables'],
			'/ogc/collections/[id]/items': [
				'meldingen',
				'initiatieven',
				'projecten',
				'bijeenkomsten',
				'gebied-wijk',
				'wijkagenda-acties'
			].flatMap((c) => [
				`/ogc/collections/${c}/items?limit=5000`,
				`/ogc/collections/${c}/items?limit=5000&crs=EPSG:28992`,
				`/ogc/collections/${c}/items?limit=20&f=html`
			]),
			'/ogc/collections/[id]/items/[featureId]': [
				...new Set([...privateIds, ...items.slice(0, 3)])
			].map((i) => `/ogc/collections/meldingen/items/${i}`)
		};
		const seeds: string[] = [];
		const skipped: string[] = [];
		for (const pattern of routePatterns()) {
			if (
				/^\/(beheer|logout|volg)(\/|$)/.test(pattern) ||
				pattern.startsWith('/tiles/') ||
				/\/(restore|status)$/.test(pattern)
			) {
				skipped.push(pattern);
				continue;
			}
			if (pattern.startsWith('/api/analyse/')) {
				seeds.push(pattern, `${pattern}?format=csv`, `${pattern}?area=${wijk.code}`);
				continue;
			}
			if (fill[pattern]) seeds.push(...fill[pattern]);
			else if (!pattern.includes('[')) seeds.push(pattern);
			else throw new Error(`Geen waarden voor route ${pattern}: vul ze aan in de test`);
		}
		seeds.push('/tiles/items/14/8410/5405.mvt', '/tiles/items/12/2102/1351.mvt');
		// Public-facing means anonymous: no cookie, one client.
		const seen = new Set<string>();
		const queue: string[] = ['/', ...seeds];
		const leaks: string[] = [];
		const statuses: Record<number, number> = {};
		const origin = new URL(base).origin;
		const check = async (u: string) => {
			const res = await fetch(new URL(u, base), { redirect: 'manual' });
			statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			const buf = Buffer.from(await res.arrayBuffer());
			const text = buf.toString('utf8');
			const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
			for (const m of markers) {
				if (text.includes(m) || headers.includes(m)) leaks.push(`${u}: ${m}`);
			}
			if (photoSlice.length && buf.indexOf(photoSlice) >= 0) leaks.push(`${u}: fotobytes`);
			if (u === `/foto/${photoId}`) expect(res.status).toBe(404);
			const loc = res.headers.get('location');
			const links = loc ? [loc] : [];
			if ((res.headers.get('content-type') ?? '').includes('text/html')) {
				for (const m of text.matchAll(/\shref="([^"#]+)/g))
					links.push(m[1].replaceAll('&amp;', '&'));
			}
			for (const l of links) {
				const abs = new URL(l, new URL(u, base));
				if (abs.origin !== origin) continue;
				const rel = abs.pathname + abs.search;
				if (
					/^\/(beheer|logout|volg)(\/|$)/.test(abs.pathname) ||
					abs.pathname.startsWith('/_app/') ||
					abs.pathname === '/tiles/areas.pmtiles'
				)
					continue;
				if (!seen.has(rel)) queue.push(rel);
			}
		};
		const MAX = 300;
		while (queue.length && seen.size < MAX) {
			const batch: string[] = [];
			while (queue.length && batch.length < 4) {
				const u = queue.shift()!;
				if (seen.has(u)) continue;
				seen.add(u);
				batch.push(u);
			}
			await Promise.all(batch.map(check));
		}
		expect(leaks).toEqual([]);
		expect(seen.size).toBeGreaterThanOrEqual(40);
		expect(statuses[500] ?? 0).toBe(0);
		// Sanity: the crawl reached the pages that show the seeded meldingen.
		expect([...seen]).toEqual(
			expect.arrayContaining([
				'/',
				`/wijk/${wijk.code}`,
				`/item/${privateIds[0]}`,
				'/api/items?format=csv&limit=5000'
			])
		);
		console.log(
			`privacy crawl: ${seen.size} URLs, statuses ${JSON.stringify(statuses)}, skipped routes ${skipped.join(' ')}`
		);
	}, 180_000);
});
