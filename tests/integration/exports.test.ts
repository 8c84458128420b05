import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Feature, Geometry, Polygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTaxonomy } from '../../src/lib/server/items/taxonomy.ts';
import { insertItems } from '../../src/lib/server/items/write.ts';
import { GET as choroplethGET } from '../../src/routes/api/analyse/choropleth/+server.ts';
import { GET as listGET } from '../../src/routes/api/items/+server.ts';
import { freshStore, storeName, type TestStore } from '../helpers/db.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/** Python's csv module in QUOTE_NONNUMERIC mode: bare fields become numbers, quoted ones stay text. */
const READ_CSV = `
import sys, csv, json
sep = sys.argv[2]
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    rows = list(csv.reader(f, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC if sep == ',' else csv.QUOTE_MINIMAL))
print(json.dumps(rows))
`;

/** Twice the area of a ring by the shoelace formula: positive when counter-clockwise. */
const signedArea = (ring: Position[]) =>
	ring.slice(1).reduce((s, p, i) => s + (ring[i][0] * p[1] - p[0] * ring[i][1]), 0);

describe(`CSV, GeoPackage and GeoJSON exports on ${storeName}, read by Python csv and GDAL`, () => {
	let store: TestStore;
	let dir: string;
	let total: number;
	let wijk: string;
	const ids: Record<string, number> = {};

	async function get(handler: typeof listGET, qs: string): Promise<Response> {
		const url = new URL(`/api/x?${qs}`, 'http://wijkkaart.test');
		return handler({
			url,
			params: {},
			locals: { db: store.db, user: null },
			request: new Request(url)
		} as never);
	}
	const file = (name: string, body: string | Uint8Array) => {
		const p = path.join(dir, name);
		writeFileSync(p, body);
		return p;
	};
	const readCsv = (p: string, sep: string) => {
		const res = spawnSync('/usr/bin/python3', ['-c', READ_CSV, p, sep], {
			encoding: 'utf8',
			maxBuffer: 1 << 26
		});
		if (res.status !== 0) throw new Error(res.stderr);
		return JSON.parse(res.stdout) as (string | number)[][];
	};

	beforeAll(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-exports-'));
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		const [w] = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT a.code, ST_X(p)::float8 AS x, ST_Y(p)::float8 AS y FROM area a, ST_PointOnSurface(a.geom) p WHERE level = 'wijk' ORDER BY code LIMIT 1`
		);
		wijk = w.code;
		const [x, y] = [w.x, w.y];
		await store.db.transaction(async (tx) => {
			await syncTaxonomy(tx);
			const res = await insertItems(tx, [
				{
					layer: 'projecten',
					title: 'Fietspad',
					description: '',
					theme: 'verkeer',
					status: 'ontwerp',
					geometry: {
						type: 'LineString',
						coordinates: [
							[x, y],
							[x + 0.001, y + 0.0005],
							[x + 0.002, y]
						]
					}
				},
				{
					layer: 'projecten',
					title: 'Plein',
					description: '',
					theme: 'verkeer',
					status: 'ontwerp',
					geometry: {
						type: 'Polygon',
						coordinates: [
							[
								[x, y],
								[x, y + 0.002],
								[x + 0.002, y + 0.002],
								[x + 0.002, y],
								[x, y]
							],
							[
								[x + 0.0005, y + 0.0005],
								[x + 0.0015, y + 0.0005],
								[x + 0.0015, y + 0.0015],
								[x + 0.0005, y + 0.0015],
								[x + 0.0005, y + 0.0005]
							]
						]
					}
				},
				{
					layer: 'initiatieven',
					title: '=SOM(A1); "Buurt" tuin\nregel 2',
					description: '',
					theme: 'groen-water',
					status: 'idee',
					geometry: { type: 'Point', coordinates: [x + 0.0001, y] }
				},
				...Array.from({ length: 620 }, (_, i) => ({
					layer: 'meldingen' as const,
					title: `Melding ${i}`,
					description: '',
					theme: 'openbare-ruimte',
					status: 'gemeld',
					category: 'straatverlichting',
					geometry: {
						type: 'Point' as const,
						coordinates: [x + (i % 25) * 0.0001, y + Math.floor(i / 25) * 0.0001]
					}
				}))
			]);
			[ids.line, ids.polygon, ids.formula] = res.ids as number[];
		});
		// As a source file may have it: exterior ring clockwise, hole counter-clockwise.
		await store.db.query(`UPDATE item SET geom = ST_ForcePolygonCW(geom) WHERE id = $1`, [
			ids.polygon
		]);
		[{ n: total }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM item WHERE published AND NOT sensitive AND deleted_at IS NULL`
		);
	});

	afterAll(async () => {
		await store?.dispose();
		rmSync(dir, { recursive: true, force: true });
	});

	it('writes GeoJSON polygons with counter-clockwise exteriors and clockwise holes (RFC 7946)', async () => {
		const [{ cw }] = await store.db.query<{ cw: boolean }>(
			`SELECT ST_IsPolygonCW(geom) AS cw FROM item WHERE id = $1`,
			[ids.polygon]
		);
		expect(cw).toBe(true);
		const body = (await (await get(listGET, 'layer=projecten')).json()) as {
			features: Feature<Geometry>[];
		};
		const poly = body.features.find((f) => f.id === ids.polygon)!.geometry as Polygon;
		expect(signedArea(poly.coordinates[0])).toBeGreaterThan(0);
		expect(signedArea(poly.coordinates[1])).toBeLessThan(0);
	});

	it('downloads every row as CSV through the link, codes as text, numbers as numbers, shapes as WKT GDAL reads', async () => {
		expect(total).toBeGreaterThan(500);
		const res = await get(listGET, 'format=csv');
		expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
		const text = await res.text();
		const rows = readCsv(file('items.csv', text), ',');
		const [head, ...body] = rows;
		expect(head).toEqual([
			'id',
			'laag',
			'titel',
			'thema',
			'themas',
			'status',
			'categorie',
			'subcategorie',
			'wijk',
			'buurt',
			'datum',
			'aangemaakt',
			'bijgewerkt',
			'begin',
			'eind',
			'termijn',
			'te_laat',
			'lon',
			'lat',
			'geometrie_wkt'
		]);
		expect(body).toHaveLength(total);
		const col = (name: string) => head.indexOf(name);
		// Utrecht's codes start with 0: they come back as the same text, not as numbers.
		expect(body.every((r) => r[col('wijk')] === wijk)).toBe(true);
		expect(
			body.every(
				(r) => typeof r[col('buurt')] === 'string' && /^0\d{3}$/.test(r[col('buurt')] as string)
			)
		).toBe(true);
		expect(
			body.every((r) => typeof r[col('id')] === 'number' && typeof r[col('lon')] === 'number')
		).toBe(true);
		expect(
			new Set(body.filter((r) => r[col('laag')] === 'meldingen').map((r) => r[col('te_laat')]))
		).toEqual(new Set(['nee']));
		const evil = body.find((r) => r[col('id')] === ids.formula)!;
		expect(evil[col('titel')]).toBe(`'=SOM(A1); "Buurt" tuin\nregel 2`);
		// GDAL reads the WKT column back to the same shapes the GeoJSON API gives.
		const geo = JSON.parse(
			execFileSync(
				'ogr2ogr',
				[
					'-f',
					'GeoJSON',
					'/vsistdout/',
					'-oo',
					'GEOM_POSSIBLE_NAMES=geometrie_wkt',
					'-oo',
					'KEEP_GEOM_COLUMNS=NO',
					'-oo',
					'AUTODETECT_TYPE=NO',
					path.join(dir, 'items.csv')
				],
				{
					encoding: 'utf8',
					maxBuffer: 1 << 26
				}
			)
		) as { features: Feature<Geometry, Record<string, string>>[] };
		expect(geo.features).toHaveLength(total);
		const api = (await (await get(listGET, 'layer=projecten')).json()) as {
			features: Feature<Geometry>[];
		};
		for (const id of [ids.line, ids.polygon]) {
			const fromCsv = geo.features.find((f) => f.properties.id === String(id))!;
			expect(fromCsv.geometry).toEqual(api.features.find((f) => f.id === id)!.geometry);
		}
	});

	it('gives Excel with Dutch settings ; and decimal commas, and pages only when asked', async () => {
		const res = await get(listGET, 'format=csv&sep=%3B');
		expect(res.headers.get('content-disposition')).toContain('excel');
		const rows = readCsv(file('excel.csv', await res.text()), ';');
		expect(rows).toHaveLength(total + 1);
		const lon = rows[0].indexOf('lon');
		expect(rows.slice(1).every((r) => /^\d+,\d+$/.test(String(r[lon])))).toBe(true);
		expect(rows.slice(1).find((r) => r[0] === String(ids.formula))![2]).toBe(
			`'=SOM(A1); "Buurt" tuin\nregel 2`
		);
		const paged = await get(listGET, 'format=csv&limit=100');
		expect(paged.headers.get('link')).toMatch(/rel="next"/);
		expect((await paged.text()).trim().split('\r\n').length).toBe(101);
		expect((await get(listGET, 'format=csv&sep=x')).status).toBe(400);
	});

	it('downloads any filter as a GeoPackage that ogrinfo opens with the same count and shapes', async () => {
		for (const qs of ['format=gpkg', 'format=gpkg&layer=projecten']) {
			const res = await get(listGET, qs);
			expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
			const p = file(`items-${qs.length}.gpkg`, new Uint8Array(await res.arrayBuffer()));
			const info = execFileSync('ogrinfo', ['-ro', '-so', '-al', p], { encoding: 'utf8' });
			const expected = qs.includes('projecten') ? 2 : total;
			expect(info).toMatch(new RegExp(`Feature Count: ${expected}\\b`));
			expect(info).toMatch(/wijk: String/);
			expect(info).toMatch(/EPSG",?\s*"?4326|WGS 84/);
			const geo = JSON.parse(
				execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', p], {
					encoding: 'utf8',
					maxBuffer: 1 << 26
				})
			) as {
				features: Feature<Geometry, Record<string, unknown>>[];
			};
			expect(geo.features).toHaveLength(expected);
			const poly = geo.features.find((f) => f.properties.id === ids.polygon)!;
			expect(poly.properties.wijk).toBe(wijk);
			expect((poly.geometry as Polygon).coordinates.map((r) => r.length)).toEqual([5, 5]);
		}
	});

	it('writes analysis CSVs with the same cells: Dutch headers, codes quoted, ; on request', async () => {
		const csv = await (
			await get(choroplethGET as never, 'layer=meldingen&level=buurt&format=csv')
		).text();
		const rows = readCsv(file('choropleth.csv', csv), ',');
		expect(rows[0].slice(0, 4)).toEqual(['buurt', 'naam', 'inwoners', 'aantal']);
		expect(
			rows.slice(1).every((r) => typeof r[0] === 'string' && /^\d{4}$/.test(r[0] as string))
		).toBe(true);
		expect(rows.slice(1).some((r) => (r[0] as string).startsWith('0'))).toBe(true);
		const nl = readCsv(
			file(
				'choropleth-nl.csv',
				await (
					await get(choroplethGET as never, 'layer=meldingen&level=buurt&format=csv&sep=%3B')
				).text()
			),
			';'
		);
		expect(nl.map((r) => r[0])).toEqual(rows.map((r) => r[0]));
		const json = await get(choroplethGET as never, 'layer=meldingen&level=buurt');
		expect(json.headers.get('link')).toMatch(
			/format=geojson.*rel="alternate"; type="application\/geo\+json"/
		);
	});
});
