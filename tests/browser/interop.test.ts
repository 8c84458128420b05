import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import proj4 from 'proj4';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeUtrechtFixtures } from '../../src/lib/server/demo/fixtures-utrecht.ts';
import { buildAreaTiles } from '../../src/lib/server/tiles/build.ts';
import { insertUtrechtAreas } from '../integration/items-setup.ts';
import { storeName } from '../helpers/db.ts';
import { openPortal, type Portal } from '../helpers/portal.ts';
import { freePort } from '../helpers/server.ts';

/**
 * Other programs reading Wijkkaart over HTTP, against the production build: GDAL's OAPIF driver
 * (Debian gdal-bin) on /ogc, the OGC API Features requirements we declare, the OpenAPI
 * document against the real answers, and chromium on another origin (CORS).
 */

const run = promisify(execFile);
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const RD = 'http://www.opengis.net/def/crs/EPSG/0/28992';
// EPSG:28992 as published on epsg.io, written out here so the check does not use the portal's own definition.
const RD_PROJ4 =
	'+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel ' +
	'+towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';
const toRd = (lonLat: number[]) => proj4('WGS84', RD_PROJ4, lonLat as [number, number]);
const CLASSES = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
	'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs'
];

interface Feat {
	id: number | string;
	geometry: { type: string; coordinates: number[] } | null;
	properties: Record<string, any>;
	links?: { rel: string; href: string; type?: string }[];
}
interface Page {
	type: string;
	features: Feat[];
	numberMatched: number;
	numberReturned: number;
	links: { rel: string; href: string; type?: string }[];
	next?: string | null;
}

describe(`interoperability (GDAL OAPIF, OGC API Features, CORS) on ${storeName}`, () => {
	let portal: Portal;
	let base = '';
	let tmp = '';
	/** Meldingen that exist but must never be served: unpublished, deleted, sensitive. */
	const hidden = new Set<number>();
	let publicMeldingen: Feat[] = [];
	const gdalEnv = { ...process.env, NO_PROXY: '*', no_proxy: '*', GDAL_HTTP_TIMEOUT: '60' };
	const gdal = (cmd: string, args: string[], env: Record<string, string> = {}) =>
		run(cmd, args, { env: { ...gdalEnv, ...env }, maxBuffer: 64 * 1024 * 1024 });
	const get = (u: string, headers: Record<string, string> = {}) =>
		fetch(new URL(u, base), { headers });
	async function getJson<T = any>(
		u: string,
		headers: Record<string, string> = {}
	): Promise<{ res: Response; body: T }> {
		const res = await get(u, headers);
		return { res, body: (await res.json()) as T };
	}

	beforeAll(async () => {
		tmp = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-interop-'));
		portal = await openPortal(async (store, env) => {
			env.WIJKKAART_ATTRIBUTION = '© Gemeente Utrecht (test)';
			env.WIJKKAART_LICENSE = 'CC0-1.0';
			const db = store.db;
			await insertUtrechtAreas(db);
			// More meldingen than one page of GDAL (10) or of this test (50), few of the rest.
			await writeUtrechtFixtures(db, {
				meldingen: 230,
				initiatieven: 16,
				projecten: 10,
				bijeenkomsten: 10
			});
			const ids = (
				await db.query<{ id: string }>(
					`SELECT id FROM item WHERE layer = 'meldingen' AND NOT sensitive ORDER BY id LIMIT 4`
				)
			).map((r) => Number(r.id));
			await db.query(`UPDATE item SET published = false WHERE id = ANY($1::bigint[])`, [
				ids.slice(0, 2)
			]);
			await db.query(`UPDATE item SET deleted_at = now() WHERE id = ANY($1::bigint[])`, [
				ids.slice(2, 4)
			]);
			const sensitive = (await db.query<{ id: string }>(`SELECT id FROM item WHERE sensitive`)).map(
				(r) => Number(r.id)
			);
			expect(sensitive.length).toBeGreaterThan(5);
			for (const id of [...ids, ...sensitive]) hidden.add(id);
			await buildAreaTiles(db, path.join(env.WIJKKAART_TILES_DIR, 'areas.pmtiles'));
		});
		base = portal.server.url;
		// What /api/items serves, page by page: the reference every /ogc answer is held to.
		let cursor: string | null = null;
		do {
			const { body }: { body: Page } = await getJson<Page>(
				`/api/items?layer=meldingen&limit=100${cursor ? `&cursor=${cursor}` : ''}`
			);
			publicMeldingen.push(...body.features);
			cursor = body.next ?? null;
		} while (cursor);
	}, 300_000);
	afterAll(async () => {
		await portal?.close();
		if (tmp) rmSync(tmp, { recursive: true, force: true });
	});

	it('the reference set is the public meldingen, more than a page of them, without the hidden ones', () => {
		expect(publicMeldingen.length).toBeGreaterThan(200);
		expect(publicMeldingen.filter((f) => hidden.has(Number(f.id)))).toEqual([]);
	});

	describe('GDAL ogrinfo / ogr2ogr (OAPIF driver)', () => {
		it('ogrinfo lists every collection', async () => {
			const { stdout } = await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${base}/ogc`]);
			const layers = [...stdout.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
			const { body } = await getJson<{ collections: { id: string }[] }>('/ogc/collections');
			expect(layers.sort()).toEqual(body.collections.map((c) => c.id).sort());
			expect(layers).toEqual(
				expect.arrayContaining([
					'meldingen',
					'initiatieven',
					'projecten',
					'bijeenkomsten',
					'gebied-wijk',
					'gebied-buurt',
					'wijkagenda-acties'
				])
			);
			console.log(`GDAL ogrinfo: ${layers.length} collecties: ${layers.join(', ')}`);
		});

		it('ogr2ogr fetches every public melding through the next links, as many as the API counts', async () => {
			const out = path.join(tmp, 'meldingen.geojson');
			const { stderr } = await gdal(
				'ogr2ogr',
				['-f', 'GeoJSON', out, `OAPIF:${base}/ogc`, 'meldingen'],
				{ CPL_CURL_VERBOSE: 'YES' }
			);
			const pages = [...stderr.matchAll(/^> GET \/ogc\/collections\/meldingen\/items\?\S*/gm)]
				.length;
			const got = JSON.parse(readFileSync(out, 'utf8')).features as Feat[];
			const { body: counted } = await getJson<Page>(
				'/api/items?layer=meldingen&count=true&limit=1'
			);
			expect(got.length).toBe(counted.numberMatched);
			expect(new Set(got.map((f) => f.properties.id))).toEqual(
				new Set(publicMeldingen.map((f) => f.id))
			);
			expect(got.filter((f) => hidden.has(f.properties.id))).toEqual([]);
			// GDAL asks 10 at a time: the whole set cannot have come in one answer.
			expect(pages).toBeGreaterThanOrEqual(Math.ceil(got.length / 10));
			const { stdout } = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}/ogc`, 'meldingen']);
			expect(stdout).toContain(`Feature Count: ${counted.numberMatched}`);
			console.log(
				`GDAL ogr2ogr: ${got.length} meldingen in ${pages} verzoeken (API: ${counted.numberMatched})`
			);
		});

		it('ogr2ogr reads the layer in RD New (EPSG:28992) with coordinates that match proj4', async () => {
			const { stdout } = await gdal('ogr2ogr', [
				'-f',
				'CSV',
				'/vsistdout/',
				`OAPIF:${base}/ogc?crs=${RD}`,
				'meldingen',
				'-a_srs',
				'EPSG:28992',
				'-lco',
				'GEOMETRY=AS_XY',
				'-select',
				'id'
			]);
			const rows = stdout
				.trim()
				.split('\n')
				.slice(1)
				.map((l) =>
					l
						.split(',')
						.slice(0, 3)
						.map((v) => Number(v.replaceAll('"', '')))
				);
			expect(rows.length).toBe(publicMeldingen.length);
			const wgs = new Map(publicMeldingen.map((f) => [Number(f.id), f.geometry!.coordinates]));
			let worst = 0;
			for (const [x, y, id] of rows) {
				const [ex, ey] = toRd(wgs.get(id)!);
				worst = Math.max(worst, Math.hypot(x - ex, y - ey));
			}
			// The server rounds to centimetres; its PROJ and proj4 agree to the millimetre.
			expect(worst).toBeLessThan(0.05);
			console.log(
				`GDAL RD New: ${rows.length} meldingen, grootste afwijking van proj4 ${worst.toFixed(3)} m`
			);
		});

		it('ogr2ogr filters on status (queryable) and bbox on the server, like the API', async () => {
			const where = await gdal(
				'ogr2ogr',
				[
					'-f',
					'CSV',
					'/vsistdout/',
					`OAPIF:${base}/ogc`,
					'meldingen',
					'-where',
					"status = 'gemeld'",
					'-select',
					'id'
				],
				{ CPL_CURL_VERBOSE: 'YES' }
			);
			expect(where.stderr).toMatch(/items\?\S*status=gemeld/);
			const gemeld = publicMeldingen.filter((f) => f.properties.status === 'gemeld');
			expect(gemeld.length).toBeGreaterThan(0);
			expect(where.stdout.trim().split('\n').length - 1).toBe(gemeld.length);
			const box = [5.1, 52.08, 5.13, 52.1];
			const spat = await gdal(
				'ogr2ogr',
				[
					'-f',
					'CSV',
					'/vsistdout/',
					`OAPIF:${base}/ogc`,
					'meldingen',
					'-spat',
					...box.map(String),
					'-select',
					'id'
				],
				{ CPL_CURL_VERBOSE: 'YES' }
			);
			expect(spat.stderr).toMatch(/items\?\S*bbox=/);
			const inside = publicMeldingen.filter(
				({ geometry: g }) =>
					g!.coordinates[0] >= box[0] &&
					g!.coordinates[0] <= box[2] &&
					g!.coordinates[1] >= box[1] &&
					g!.coordinates[1] <= box[3]
			);
			expect(inside.length).toBeGreaterThan(0);
			expect(spat.stdout.trim().split('\n').length - 1).toBe(inside.length);
		});

		it('ogr2ogr reads the areas and the wijkagenda actions', async () => {
			const wijken = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}/ogc`, 'gebied-wijk']);
			expect(wijken.stdout).toContain('Feature Count: 10');
			const buurten = await gdal('ogr2ogr', [
				'-f',
				'CSV',
				'/vsistdout/',
				`OAPIF:${base}/ogc`,
				'gebied-buurt',
				'-select',
				'code,parent'
			]);
			expect(buurten.stdout.trim().split('\n').length - 1).toBe(111);
			const acties = await gdal('ogr2ogr', [
				'-f',
				'GeoJSON',
				'/vsistdout/',
				`OAPIF:${base}/ogc`,
				'wijkagenda-acties'
			]);
			const actions = JSON.parse(acties.stdout).features as Feat[];
			expect(actions.length).toBeGreaterThan(10);
			expect(actions.every((a) => a.geometry && a.properties.wijk && a.properties.owner)).toBe(
				true
			);
			console.log(`GDAL: 10 wijken, 111 buurten, ${actions.length} acties`);
		});
	});

	describe('OGC API Features requirements', () => {
		it('/req/core/root-success, /req/oas30/oas-definition, /req/core/conformance-success', async () => {
			const { res, body } = await getJson('/ogc');
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^application\/json/);
			const rel = (r: string) => body.links.filter((l: { rel: string }) => l.rel === r);
			for (const r of ['self', 'service-desc', 'conformance', 'data'])
				expect(rel(r).length, r).toBeGreaterThan(0);
			expect(rel('service-desc')[0].type).toBe('application/vnd.oai.openapi+json;version=3.0');
			const api = await get(rel('service-desc')[0].href);
			expect(api.headers.get('content-type')).toBe('application/vnd.oai.openapi+json;version=3.0');
			const validity = await new Validator().validate(await api.json());
			expect(validity.valid, JSON.stringify(validity.errors)).toBe(true);
			const conf = await getJson(rel('conformance')[0].href);
			expect(conf.body.conformsTo).toEqual(expect.arrayContaining(CLASSES));
			expect((await get('/ogc', { accept: 'text/html' })).headers.get('content-type')).toMatch(
				/^text\/html/
			);
		});

		it('/req/core/fc-md-success, fc-md-links, fc-md-extent, sfc-md-success, /req/crs/crs-list', async () => {
			const { body } = await getJson('/ogc/collections');
			expect(body.links.some((l: { rel: string }) => l.rel === 'self')).toBe(true);
			for (const c of body.collections) {
				const items = c.links.find(
					(l: { rel: string; type: string }) =>
						l.rel === 'items' && l.type === 'application/geo+json'
				);
				expect(items?.href, c.id).toBe(`${base}/ogc/collections/${c.id}/items`);
				const [w, s, e, n] = c.extent.spatial.bbox[0];
				expect(w < e && s < n && w > 3 && e < 8 && s > 50 && n < 54, c.id).toBe(true);
				expect(c.crs).toEqual(expect.arrayContaining([CRS84, RD]));
				expect(c.storageCrs).toBe(CRS84);
				expect((await getJson(`/ogc/collections/${c.id}`)).body).toEqual(c);
			}
			const missing = await getJson('/ogc/collections/bestaat-niet');
			expect(missing.res.status).toBe(404);
			expect(missing.body.code).toBe('NotFound');
		});

		it('/req/core/fc-response, fc-limit-response, fc-links, fc-numberMatched, /req/geojson/content, /req/crs/ogc-crs-header', async () => {
			const { res, body } = await getJson<Page>('/ogc/collections/meldingen/items?limit=50');
			expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
			expect(res.headers.get('content-crs')).toBe(`<${CRS84}>`);
			expect(body.type).toBe('FeatureCollection');
			expect(body.numberReturned).toBe(50);
			expect(body.features.length).toBe(50);
			expect(body.numberMatched).toBe(publicMeldingen.length);
			expect(body.links.find((l) => l.rel === 'self')?.type).toBe('application/geo+json');
			expect(body.links.find((l) => l.rel === 'next')?.type).toBe('application/geo+json');
			for (const f of body.features)
				expect(Object.keys(f).sort()).toEqual(['geometry', 'id', 'properties', 'type']);
			// A limit above the maximum is not an error (Part 1): the maximum applies.
			const big = await getJson<Page>('/ogc/collections/meldingen/items?limit=100000');
			expect(big.res.status).toBe(200);
			expect(big.body.numberReturned).toBe(publicMeldingen.length);
		});

		it('/req/core/query-param-unknown and -invalid: 400 with a JSON exception, in Dutch or English', async () => {
			for (const q of [
				'limit=0',
				'limit=tien',
				'bbox=1,2,3',
				'bbox=5,52,4,53',
				'datetime=gisteren',
				'status=kapot',
				'foo=bar',
				'crs=EPSG:3857',
				`bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4258')}&bbox=1,2,3,4`,
				'cursor=!!'
			]) {
				const { res, body } = await getJson(`/ogc/collections/meldingen/items?${q}`);
				expect(res.status, q).toBe(400);
				expect(body.code, q).toBe('InvalidParameterValue');
				expect(body.description, q).toMatch(/\w/);
			}
			const en = await getJson('/ogc/collections/meldingen/items?crs=EPSG:3857', {
				'accept-language': 'en'
			});
			expect(en.body.description).toMatch(/is not supported/);
			const nl = await getJson('/ogc/collections/meldingen/items?crs=EPSG:3857');
			expect(nl.body.description).toMatch(/wordt niet ondersteund/);
		});

		it('/req/core/fc-bbox-response and /req/crs/fc-bbox-crs-action: the same features as an independent filter', async () => {
			const box = [5.09, 52.07, 5.14, 52.1];
			const inBox = publicMeldingen.filter(
				({ geometry: g }) =>
					g!.coordinates[0] >= box[0] &&
					g!.coordinates[0] <= box[2] &&
					g!.coordinates[1] >= box[1] &&
					g!.coordinates[1] <= box[3]
			);
			const wgs = await getJson<Page>(`/ogc/collections/meldingen/items?limit=5000&bbox=${box}`);
			expect(new Set(wgs.body.features.map((f) => f.id))).toEqual(new Set(inBox.map((f) => f.id)));
			expect(inBox.length).toBeGreaterThan(0);
			const rdBox = [133000, 453000, 137000, 456500];
			const inRd = publicMeldingen.filter((f) => {
				const [x, y] = toRd(f.geometry!.coordinates);
				return x >= rdBox[0] && x <= rdBox[2] && y >= rdBox[1] && y <= rdBox[3];
			});
			expect(inRd.length).toBeGreaterThan(0);
			const rd = await getJson<Page>(
				`/ogc/collections/meldingen/items?limit=5000&bbox=${rdBox}&bbox-crs=${encodeURIComponent(RD)}&crs=${encodeURIComponent(RD)}`
			);
			expect(rd.res.headers.get('content-crs')).toBe(`<${RD}>`);
			expect(new Set(rd.body.features.map((f) => f.id))).toEqual(new Set(inRd.map((f) => f.id)));
			for (const f of rd.body.features) {
				const [ex, ey] = toRd(publicMeldingen.find((p) => p.id === f.id)!.geometry!.coordinates);
				expect(
					Math.hypot(f.geometry!.coordinates[0] - ex, f.geometry!.coordinates[1] - ey)
				).toBeLessThan(0.05);
			}
		});

		it('/req/core/fc-time-response: datetime instants and open or closed intervals', async () => {
			const dates = publicMeldingen.map((f) => Date.parse(f.properties.date)).sort((a, b) => a - b);
			const mid = new Date(dates[Math.floor(dates.length / 2)]).toISOString();
			const first = new Date(dates[0]).toISOString();
			const cases: [string, (t: number) => boolean][] = [
				[`../${mid}`, (t) => t <= Date.parse(mid)],
				[`${mid}/..`, (t) => t >= Date.parse(mid)],
				[`${first}/${mid}`, (t) => t >= Date.parse(first) && t <= Date.parse(mid)],
				[mid, (t) => t === Date.parse(mid)]
			];
			for (const [dt, keep] of cases) {
				const { res, body } = await getJson<Page>(
					`/ogc/collections/meldingen/items?limit=5000&datetime=${encodeURIComponent(dt)}`
				);
				expect(res.status, dt).toBe(200);
				const expected = publicMeldingen.filter((f) => keep(Date.parse(f.properties.date)));
				expect(expected.length, dt).toBeGreaterThan(0);
				expect(new Set(body.features.map((f) => f.id)), dt).toEqual(
					new Set(expected.map((f) => f.id))
				);
			}
		});

		it('pages forward with next and back with prev, numberMatched the same on every page', async () => {
			const seen: (number | string)[] = [];
			const pages: (number | string)[][] = [];
			let url: string | undefined =
				'/ogc/collections/meldingen/items?limit=50&status=gemeld,in_behandeling,afgehandeld,heropend,ingepland,geannuleerd';
			let last: Page | null = null;
			while (url) {
				const { body } = (await getJson<Page>(url)) as { body: Page };
				expect(body.numberMatched).toBe(publicMeldingen.length);
				pages.push(body.features.map((f) => f.id));
				seen.push(...body.features.map((f) => f.id));
				last = body;
				url = body.links.find((l) => l.rel === 'next')?.href;
			}
			expect(pages.length).toBe(Math.ceil(publicMeldingen.length / 50));
			expect(seen.length).toBe(new Set(seen).size);
			expect(new Set(seen)).toEqual(new Set(publicMeldingen.map((f) => f.id)));
			// Back from the last page, page by page, to the first.
			const back: (number | string)[][] = [];
			let prev = last!.links.find((l) => l.rel === 'prev')?.href;
			while (prev) {
				const { body } = (await getJson<Page>(prev)) as { body: Page };
				back.unshift(body.features.map((f) => f.id));
				prev = body.links.find((l) => l.rel === 'prev')?.href;
			}
			expect(back).toEqual(pages.slice(0, -1));
		});

		it('/req/core/f-success and privacy: one feature, and never a hidden one', async () => {
			const f = publicMeldingen[0];
			const { res, body } = await getJson<Feat>(`/ogc/collections/meldingen/items/${f.id}`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
			expect(body.id).toBe(f.id);
			expect(body.properties).toEqual(f.properties);
			expect(body.links!.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'collection']));
			const rd = await getJson<Feat>(`/ogc/collections/meldingen/items/${f.id}?crs=EPSG:28992`);
			expect(rd.res.headers.get('content-crs')).toBe(`<${RD}>`);
			expect(rd.body.geometry).not.toHaveProperty('crs');
			for (const id of hidden) {
				const r = await get(`/ogc/collections/meldingen/items/${id}`);
				expect(r.status, String(id)).toBe(404);
				expect(r.headers.get('content-type')).toMatch(/^application\/json/);
			}
			// An item of another layer is not a feature of this collection.
			const project = (await getJson<Page>('/api/items?layer=projecten&limit=1')).body.features[0];
			expect((await get(`/ogc/collections/meldingen/items/${project.id}`)).status).toBe(404);
		});

		it('the answers validate against the OpenAPI document', async () => {
			const doc = await (await get('/ogc/api')).json();
			const ajv = new Ajv({ strict: false, allErrors: true });
			addFormats(ajv);
			ajv.addSchema({ components: doc.components }, 'api');
			const check = (name: string, value: unknown) => {
				const ok = ajv.validate({ $ref: `api#/components/schemas/${name}` }, value);
				expect(ok, `${name}: ${ajv.errorsText()}`).toBe(true);
			};
			check('LandingPage', (await getJson('/ogc')).body);
			check('ConfClasses', (await getJson('/ogc/conformance')).body);
			check('Collections', (await getJson('/ogc/collections')).body);
			check('Queryables', (await getJson('/ogc/collections/meldingen/queryables')).body);
			for (const c of ['meldingen', 'projecten', 'gebied-buurt', 'wijkagenda-acties'])
				check('OgcFeatureCollection', (await getJson(`/ogc/collections/${c}/items?limit=20`)).body);
			check('Error', (await getJson('/ogc/collections/meldingen/items?crs=x')).body);
			const api = await (await get('/api/openapi.json')).json();
			expect((await new Validator().validate(api)).valid).toBe(true);
			check('ItemPage', (await getJson('/api/items?limit=20&count=true')).body);
			check('Areas', (await getJson('/api/areas?level=buurt')).body);
			check('Error', (await getJson('/api/bestaat-niet')).body);
		});

		it('unknown /api and /ogc addresses answer JSON 404s', async () => {
			for (const u of [
				'/api/bestaat-niet',
				'/api/items/1/nee/nee',
				'/ogc/bestaat-niet',
				'/ogc/collections/meldingen/nee/nee'
			]) {
				const { res, body } = await getJson(u);
				expect(res.status, u).toBe(404);
				expect(res.headers.get('content-type'), u).toMatch(/^application\/json/);
				expect(body.error, u).toMatch(/bestaat niet/);
			}
			expect((await getJson('/api/bestaat-niet', { 'accept-language': 'en' })).body.error).toMatch(
				/does not exist/
			);
		});
	});

	describe('TileJSON', () => {
		const tileOf = (lon: number, lat: number, z: number) => [
			Math.floor(((lon + 180) / 360) * 2 ** z),
			Math.floor(
				((1 -
					Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) /
						Math.PI) /
					2) *
					2 ** z
			)
		];
		const fill = (template: string, z: number, [x, y]: number[]) =>
			template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

		it('describes the item tiles, with the configured attribution and licence, and its URL gives tiles', async () => {
			const { body } = await getJson('/tiles/items.json?theme=openbare-ruimte');
			expect(body.tilejson).toBe('3.0.0');
			expect(body.attribution).toContain('© Gemeente Utrecht (test)');
			expect(body.attribution).toContain('CC0-1.0');
			expect(body.license).toBe('CC0-1.0');
			expect(body.vector_layers.map((l: { id: string }) => l.id)).toEqual(['items']);
			expect(body.tiles[0]).toBe(`${base}/tiles/items/{z}/{x}/{y}.mvt?theme=openbare-ruimte`);
			const m = publicMeldingen.find((f) => f.properties.theme === 'openbare-ruimte')!;
			const tile = await get(
				fill(body.tiles[0], 14, tileOf(m.geometry!.coordinates[0], m.geometry!.coordinates[1], 14))
			);
			expect(tile.status).toBe(200);
			const [w, s, e, n] = body.bounds;
			expect(
				w <= m.geometry!.coordinates[0] &&
					m.geometry!.coordinates[0] <= e &&
					s <= m.geometry!.coordinates[1] &&
					m.geometry!.coordinates[1] <= n
			).toBe(true);
			expect((await getJson('/tiles/items.json?theme=bestaat-niet')).res.status).toBe(400);
		});

		it("describes the area archive; its tile URL serves the archive's tiles", async () => {
			const { body } = await getJson('/tiles/areas.json');
			expect(body.tilejson).toBe('3.0.0');
			expect(body.license).toBe('CC0-1.0');
			expect(body.vector_layers.map((l: { id: string }) => l.id)).toEqual(
				expect.arrayContaining(['wijk', 'buurt'])
			);
			expect(body.tiles[0]).toBe(`${base}/tiles/areas/{z}/{x}/{y}.mvt`);
			const res = await get(fill(body.tiles[0], 13, tileOf(5.1214, 52.0907, 13)));
			expect(res.status).toBe(200);
			const vt = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
			expect(vt.layers.buurt?.length).toBeGreaterThan(0);
			const names = Array.from(
				{ length: vt.layers.buurt.length },
				(_, i) => vt.layers.buurt.feature(i).properties.level
			);
			expect(new Set(names)).toEqual(new Set(['buurt']));
			// Below the archive's lowest zoom (6) there is nothing: an empty answer, not an error.
			expect((await get('/tiles/areas/0/0/0.mvt')).status).toBe(204);
		});
	});

	describe('CORS', () => {
		let other: http.Server;
		let otherOrigin = '';
		beforeAll(async () => {
			const port = await freePort();
			other = http.createServer((_req, res) =>
				res
					.writeHead(200, { 'content-type': 'text/html' })
					.end('<!doctype html><title>Andere site</title><p>andere site</p>')
			);
			await new Promise<void>((r) => other.listen(port, '127.0.0.1', r));
			otherOrigin = `http://127.0.0.1:${port}`;
		});
		afterAll(() => new Promise<void>((r) => other?.close(() => r())));

		it('a page on another origin reads items, tiles, a PMTiles range and /ogc; it cannot send cookies or write', async () => {
			const [lon, lat] = publicMeldingen[0].geometry!.coordinates;
			const z = 14;
			const x = Math.floor(((lon + 180) / 360) * 2 ** z);
			const y = Math.floor(
				((1 -
					Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) /
						Math.PI) /
					2) *
					2 ** z
			);
			const page = portal.page;
			await page.goto(otherOrigin);
			const result = await page.evaluate(
				async ({ base, tile, rd }) => {
					const attempt = async (f: () => Promise<unknown>) => {
						try {
							return await f();
						} catch (e) {
							return `geweigerd: ${(e as Error).name}`;
						}
					};
					return {
						items: await attempt(
							async () => (await (await fetch(`${base}/api/items?limit=3`)).json()).numberReturned
						),
						tile: await attempt(async () => {
							const r = await fetch(`${base}/tiles/items/${tile}.mvt`);
							return [r.status, (await r.arrayBuffer()).byteLength];
						}),
						range: await attempt(async () => {
							const r = await fetch(`${base}/tiles/areas.pmtiles`, {
								headers: { range: 'bytes=0-126' }
							});
							return [
								r.status,
								r.headers.get('content-range'),
								r.headers.get('accept-ranges'),
								(await r.arrayBuffer()).byteLength
							];
						}),
						ogc: await attempt(async () => {
							const r = await fetch(
								`${base}/ogc/collections/meldingen/items?limit=2&crs=${encodeURIComponent(rd)}`
							);
							return [r.headers.get('content-crs'), (await r.json()).numberReturned];
						}),
						withCookies: await attempt(
							async () =>
								(await fetch(`${base}/api/items?limit=1`, { credentials: 'include' })).status
						),
						write: await attempt(
							async () =>
								(
									await fetch(`${base}/api/meldingen`, {
										method: 'POST',
										headers: { 'content-type': 'application/json' },
										body: JSON.stringify({ category: 'straatverlichting' })
									})
								).status
						),
						simpleWrite: await attempt(
							async () =>
								(await fetch(`${base}/api/meldingen`, { method: 'POST', body: 'category=x' }))
									.status
						)
					};
				},
				{ base, tile: `${z}/${x}/${y}`, rd: RD }
			);
			expect(result.items).toBe(3);
			expect(result.tile).toEqual([200, expect.any(Number)]);
			expect((result.tile as number[])[1]).toBeGreaterThan(0);
			expect(result.range).toEqual([
				206,
				expect.stringMatching(/^bytes 0-126\/\d+$/),
				'bytes',
				127
			]);
			expect(result.ogc).toEqual([`<${RD}>`, 2]);
			expect(result.withCookies).toMatch(/^geweigerd/);
			expect(result.write).toMatch(/^geweigerd/);
			expect(result.simpleWrite).toMatch(/^geweigerd/);
		});

		it('preflights: GET answered, writes and unknown headers refused; a cross-origin write is a 403 before any route', async () => {
			const pre = (method: string, u: string, headers = '') =>
				fetch(new URL(u, base), {
					method: 'OPTIONS',
					headers: {
						origin: otherOrigin,
						'access-control-request-method': method,
						...(headers ? { 'access-control-request-headers': headers } : {})
					}
				});
			const ok = await pre('GET', '/tiles/areas.pmtiles', 'range,if-none-match');
			expect(ok.status).toBe(204);
			expect(ok.headers.get('access-control-allow-origin')).toBe('*');
			expect(ok.headers.get('access-control-allow-headers')).toBe('range, if-none-match');
			expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
			expect((await pre('POST', '/api/meldingen')).status).toBe(403);
			expect((await pre('DELETE', '/api/items/1')).status).toBe(403);
			expect((await pre('GET', '/api/items', 'authorization')).status).toBe(403);
			expect((await pre('GET', '/beheer')).status).toBe(403);
			const write = await fetch(new URL('/api/meldingen', base), {
				method: 'POST',
				headers: { origin: otherOrigin, 'content-type': 'application/json' },
				body: '{}'
			});
			expect(write.status).toBe(403);
			expect(write.headers.get('access-control-allow-origin')).toBeNull();
			// Same-origin reads get no CORS headers they do not need; staff pages never get them.
			const page = await fetch(new URL('/', base), { headers: { origin: otherOrigin } });
			expect(page.headers.get('access-control-allow-origin')).toBeNull();
		});
	});
});
