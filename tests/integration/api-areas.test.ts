import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection, Polygon } from 'geojson';
import { GET as listGET } from '../../src/routes/api/areas/+server.ts';
import { GET as detailGET } from '../../src/routes/api/areas/[code]/+server.ts';
import {
	areaTree,
	childrenOf,
	getArea,
	listAreas,
	listLevels,
	municipalityBounds,
	parentOf
} from '../../src/lib/server/areas.ts';
import { freshStore, SHARED_UTRECHT, storeName, type TestStore } from '../helpers/db.ts';

type Props = { KODE: string; NAAM: string; WIJKKODE?: string };
const read = (f: string) =>
	JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8')) as FeatureCollection<
		Polygon,
		Props
	>;

describe(`areas API on ${storeName}`, () => {
	let store: TestStore;
	const wijken = read('wijk.geojson');
	const buurten = read('buurt.geojson');

	beforeAll(async () => {
		store = await freshStore();
		await store.db.exec(`INSERT INTO area_level (name, depth) VALUES ('wijk', 0), ('buurt', 1)`);
		const insert = `INSERT INTO area (level, code, name, parent, geom)
			VALUES ($1, $2, $3, $4, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)))`;
		await store.db.transaction(async (tx) => {
			for (const f of wijken.features) {
				await tx.query(insert, [
					'wijk',
					f.properties.KODE,
					f.properties.NAAM,
					null,
					JSON.stringify(f.geometry)
				]);
			}
			for (const f of buurten.features) {
				await tx.query(insert, [
					'buurt',
					f.properties.KODE,
					f.properties.NAAM,
					f.properties.WIJKKODE,
					JSON.stringify(f.geometry)
				]);
			}
		});
	}, 60_000);
	afterAll(() => store?.dispose());

	async function call(
		handler: (event: never) => Promise<Response> | Response,
		p: string,
		params: Record<string, string> = {},
		lang: 'nl' | 'en' = 'nl'
	) {
		const url = new URL(p, 'http://wijkkaart.test');
		const res = await handler({
			url,
			params,
			locals: { db: store.db, lang },
			request: new Request(url)
		} as never);
		return { res, body: JSON.parse(await res.text()) };
	}

	it('reads the levels coarsest first and every area of a level', async () => {
		expect(await listLevels(store.db)).toEqual([
			{ name: 'wijk', depth: 0 },
			{ name: 'buurt', depth: 1 }
		]);
		const w = await listAreas(store.db, 'wijk');
		expect(w.features).toHaveLength(10);
		const b = await listAreas(store.db, 'buurt');
		expect(b.features).toHaveLength(111);
		for (const f of b.features) {
			expect(f.geometry.type).toBe('MultiPolygon');
			expect(wijken.features.map((x) => x.properties.KODE)).toContain(f.properties.parent);
		}
	});

	it('finds all buurten of a wijk and the wijk of a buurt', async () => {
		const expected = buurten.features
			.filter((f) => f.properties.WIJKKODE === '06')
			.map((f) => f.properties.NAAM)
			.sort();
		const kids = await childrenOf(store.db, 'wijk', '06');
		expect(kids.map((k) => k.name).sort()).toEqual(expected);
		expect(kids.every((k) => k.level === 'buurt')).toBe(true);

		const some = buurten.features.find((f) => f.properties.WIJKKODE === '06')!;
		const wijk06 = wijken.features.find((f) => f.properties.KODE === '06')!;
		expect(await parentOf(store.db, 'buurt', some.properties.KODE)).toEqual({
			level: 'wijk',
			code: '06',
			name: wijk06.properties.NAAM
		});
		expect(await parentOf(store.db, 'wijk', '06')).toBeNull();
		expect(await childrenOf(store.db, 'buurt', some.properties.KODE)).toEqual([]);
	});

	it('gives an area with its children, its breadcrumb and bounds', async () => {
		const wijk = await getArea(store.db, '06');
		expect(wijk?.feature.properties.level).toBe('wijk');
		expect(wijk?.feature.properties.children).toHaveLength(
			buurten.features.filter((f) => f.properties.WIJKKODE === '06').length
		);
		expect(wijk?.ancestors).toEqual([]);

		const buurt = buurten.features.find((f) => f.properties.WIJKKODE === '06')!;
		const detail = await getArea(store.db, buurt.properties.KODE, 'buurt');
		expect(detail?.ancestors.map((a) => a.code)).toEqual(['06']);
		const [[w, s], [e, n]] = detail!.bounds;
		const [[mw, ms], [me, mn]] = (await municipalityBounds(store.db))!;
		expect(w).toBeGreaterThanOrEqual(mw);
		expect(s).toBeGreaterThanOrEqual(ms);
		expect(e).toBeLessThanOrEqual(me);
		expect(n).toBeLessThanOrEqual(mn);
		expect(mw).toBeGreaterThan(4.9);
		expect(me).toBeLessThan(5.3);
		expect(await getArea(store.db, 'zzz')).toBeNull();
	});

	it('lists wijken with their buurten for the side list, sorted by name', async () => {
		const tree = await areaTree(store.db);
		expect(tree).toHaveLength(10);
		const names = tree.map((t) => t.name);
		expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
		expect(tree.reduce((n, t) => n + t.children.length, 0)).toBe(111);
	});

	it('GET /api/areas?level= answers GeoJSON, the coarsest level by default', async () => {
		const { res, body } = await call(listGET, '/api/areas?level=buurt');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
		expect(body.type).toBe('FeatureCollection');
		expect(body.features).toHaveLength(111);
		expect(Object.keys(body.features[0].properties).sort()).toEqual([
			'code',
			'level',
			'name',
			'parent',
			'population'
		]);

		const dflt = await call(listGET, '/api/areas');
		expect(dflt.body.features).toHaveLength(10);
	});

	it('GET /api/areas with an unknown level is a 400 naming the known levels, in Dutch or English', async () => {
		const { res, body } = await call(listGET, '/api/areas?level=x');
		expect(res.status).toBe(400);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const refusal = { code: 'errors.area.level', field: 'level' };
		expect(body).toEqual({
			error: 'Onbekend niveau "x". Bekende niveaus: wijk, buurt.',
			...refusal
		});
		const en = await call(listGET, '/api/areas?level=x', {}, 'en');
		expect(en.res.status).toBe(400);
		expect(en.body).toEqual({ error: 'Unknown level "x". Known levels: wijk, buurt.', ...refusal });
		const missing = await call(detailGET, '/api/areas/NOPE', { code: 'NOPE' }, 'en');
		expect([missing.res.status, missing.body]).toEqual([
			404,
			{ error: 'No area with code "NOPE".', code: 'errors.area.code' }
		]);
	});

	it('GET /api/areas/<code> answers one Feature with children, 404 JSON when unknown', async () => {
		const { res, body } = await call(detailGET, '/api/areas/06', { code: '06' });
		expect(res.status).toBe(200);
		expect(body.type).toBe('Feature');
		expect(body.properties.code).toBe('06');
		expect(body.properties.children.length).toBeGreaterThan(0);

		const buurt = buurten.features[0].properties;
		const b = await call(detailGET, `/api/areas/${buurt.KODE}?level=buurt`, { code: buurt.KODE });
		expect(b.body.properties).toMatchObject({
			code: buurt.KODE,
			level: 'buurt',
			parent: buurt.WIJKKODE,
			children: []
		});

		const missing = await call(detailGET, '/api/areas/99', { code: '99' });
		expect(missing.res.status).toBe(404);
		expect(missing.res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(missing.body.error).toMatch(/99/);
		const wrongLevel = await call(detailGET, '/api/areas/06?level=buurt', { code: '06' });
		expect(wrongLevel.res.status).toBe(404);
	});
});
