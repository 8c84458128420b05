import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import area from '@turf/area';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import {
	planAreaImport,
	runAreaPlan,
	type AreaImportRequest
} from '../../src/lib/server/import/area-plan.ts';
import { readSpatialFile } from '../../src/lib/server/import/formats/index.ts';
import {
	cbsLayers,
	cbsName,
	cbsPopulation,
	DISTRACTOR,
	writeCbsGeoPackage,
	writeCbsShapeZip
} from '../helpers/cbs-fixtures.ts';
import {
	freshStore,
	onPostgres,
	SHARED_UTRECHT,
	storeHash,
	storeName,
	type TestStore
} from '../helpers/db.ts';
import { runScript } from '../helpers/server.ts';

type Fc = FeatureCollection<Polygon | MultiPolygon, Record<string, string>>;
const read = (f: string) => JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8')) as Fc;
const wijken = read('wijk.geojson');
const buurten = read('buurt.geojson');

/** What the import must write, computed from the Utrecht source files, not from the importer. */
const expected = {
	wijk: wijken.features
		.map((f) => ({
			code: `WK0344${f.properties.KODE}`,
			name: f.properties.NAAM,
			parent: null,
			population: pop(f.properties.KODE)
		}))
		.sort((a, b) => a.code.localeCompare(b.code)),
	buurt: buurten.features
		.map((f) => ({
			code: `BU0344${f.properties.KODE}`,
			name: cbsName(f.properties.NAAM, f.properties.KODE),
			parent: `WK0344${f.properties.WIJKKODE}`,
			population: pop(f.properties.KODE)
		}))
		.sort((a, b) => a.code.localeCompare(b.code))
};
function pop(kode: string): number | null {
	const n = cbsPopulation(kode);
	return n < 0 ? null : n;
}

describe(`CBS Wijk- en Buurtkaart import (GeoPackage, shapefile zip) on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let gpkg: string;
	let zip: string;
	const env = () => ({ ...store.env, WIJKKAART_TILES_DIR: path.join(dir, 'tiles') });
	const cli = (...args: string[]) => runScript('scripts/import.ts', args, env());

	/** PGlite admits one process per data directory: the test opens it only between CLI runs. */
	async function inspect<T>(fn: (db: Db) => Promise<T>): Promise<T> {
		if (onPostgres) return fn(store.db);
		const db = await openPglite(store.env.WIJKKAART_DATA_DIR);
		try {
			return await fn(db);
		} finally {
			await db.close();
		}
	}
	const areas = (db: Db, level: string) =>
		db.query<{ code: string; name: string; parent: string | null; population: number | null }>(
			`SELECT code, name, parent, population FROM area WHERE level = $1 ORDER BY code`,
			[level]
		);

	/** The same path as the CLI and the staff page, on an open store. */
	async function importFile(db: Db, file: string, req: AreaImportRequest, dryRun = false) {
		const spatial = await readSpatialFile(readFileSync(file), file);
		try {
			const plan = await planAreaImport(spatial, req, file, 'test');
			return { plan, summaries: await runAreaPlan(db, plan, { dryRun }) };
		} finally {
			spatial.close();
		}
	}

	beforeAll(async () => {
		store = await freshStore();
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-cbs-'));
		const layers = cbsLayers({
			others: [{ code: DISTRACTOR, dx: 25_000, dy: 0 }],
			distractorWijken: 3
		});
		gpkg = writeCbsGeoPackage(dir, layers);
		zip = writeCbsShapeZip(dir, layers);
	});

	afterAll(async () => {
		if (onPostgres) await store?.dispose();
		else rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		rmSync(dir, { recursive: true, force: true });
	});

	it('the fixtures are what CBS publishes: layers, columns and RD New as GDAL reads them', () => {
		const info = execFileSync('ogrinfo', ['-so', '-al', gpkg], { encoding: 'utf8' });
		expect(info).toMatch(/Layer name: buurten[\s\S]*Feature Count: 146/);
		expect(info).toMatch(/buurtcode: String[\s\S]*aantal_inwoners: Integer/);
		expect(info).toMatch(/Amersfoort \/ RD New/);
	});

	it('imports one municipality from the GeoPackage with npm run import -- cbs: exact areas, parents by code, sentinels unknown, distractor left out', async () => {
		const res = await cli('cbs', '--gemeente', 'GM0344', gpkg);
		expect(res.code, res.stderr).toBe(0);
		expect(res.stdout).toMatch(/GeoPackage: buurten \(146\) ✓, gemeenten \(2\), wijken \(14\) ✓/);
		expect(res.stdout).toMatch(/gemeente GM0344 \(Utrecht\): 10 wijken, 111 buurten/);
		expect(res.stdout).toMatch(
			/ouders \(wijk\): 111 uit eigenschap, 0 ruimtelijk bepaald, 0 zonder ouder/
		);
		expect(res.stdout).toMatch(/kaarttegels bijgewerkt/);
		const got = await inspect(async (db) => ({
			wijk: await areas(db, 'wijk'),
			buurt: await areas(db, 'buurt'),
			other: await db.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM area WHERE code LIKE '%0307%'`
			),
			// The land part, not the 100 m water square under the same code.
			first: await db.query<{ m2: number }>(
				`SELECT ST_Area(geom::geography)::float8 AS m2 FROM area WHERE code = 'BU03440111'`
			),
			meta: await db.query<{ value: { code: string; name: string } }>(
				`SELECT value FROM meta WHERE key = 'gemeente'`
			)
		}));
		expect(got.wijk).toEqual(expected.wijk);
		expect(got.buurt).toEqual(expected.buurt);
		expect(got.buurt.filter((b) => b.population === null).length).toBeGreaterThan(10);
		expect(got.other[0].n).toBe(0);
		const land = area(buurten.features.find((f) => f.properties.KODE === '0111')!);
		expect(Math.abs(got.first[0].m2 - land) / land).toBeLessThan(0.01);
		expect(got.meta[0].value).toEqual({ code: 'GM0344', name: 'Utrecht' });
	}, 300_000);

	it('refuses an unknown gemeente in Dutch, naming codes that exist, and writes nothing', async () => {
		const before = await inspect(storeHash);
		const res = await cli('cbs', '--gemeente', 'GM0363', gpkg);
		expect(res.code).not.toBe(0);
		expect(res.stderr.trim()).toMatch(
			/^Fout: gemeente GM0363 komt niet voor in laag wijken \(2 gemeenten\); wel bijvoorbeeld: GM0307 \(Kopie 1\), GM0344 \(Utrecht\)$/
		);
		expect(res.stdout).not.toMatch(/geïmporteerd/);
		expect(await inspect(storeHash)).toBe(before);
	}, 300_000);

	describe('through the shared import path on an open store', () => {
		let db: Db;
		beforeAll(async () => {
			db = onPostgres ? store.db : await openPglite(store.env.WIJKKAART_DATA_DIR);
		});
		afterAll(async () => {
			if (!onPostgres) await db?.close();
		});

		it('reads the zip of shapefiles (older column names, .prj, .dbf in Windows-1252 by its .cpg) into the same areas', async () => {
			// A different municipality first, so the zip's import has something to replace.
			await importFile(db, gpkg, { kind: 'cbs', gemeente: DISTRACTOR });
			expect((await areas(db, 'buurt')).every((b) => b.code.startsWith('BU0307'))).toBe(true);
			const { plan, summaries } = await importFile(db, zip, { kind: 'cbs', gemeente: '344' });
			expect(plan.format).toBe('shapezip');
			expect(plan.levels.map((l) => l.layer)).toEqual(['wijk_2019_v3', 'buurt_2019_v3']);
			expect(
				summaries.map((s) => [s.level, s.crs, s.imported, s.fields.code, s.fields.parent])
			).toEqual([
				['wijk', 'rd', 10, 'WK_CODE', null],
				['buurt', 'rd', 111, 'BU_CODE', 'WK_CODE']
			]);
			expect(await areas(db, 'wijk')).toEqual(expected.wijk);
			expect(await areas(db, 'buurt')).toEqual(expected.buurt);
		});

		it('refuses a gemeente that is no code', async () => {
			const bad = await importFile(db, zip, { kind: 'cbs', gemeente: 'Utrecht' }).catch(
				(e: Error) => e
			);
			expect(String(bad)).toMatch(
				/gemeentecode "Utrecht" is ongeldig; gebruik GM gevolgd door 4 cijfers/
			);
		});

		it('a dry run reports what an import would do and leaves the store as it was', async () => {
			const before = await storeHash(db);
			const { summaries } = await importFile(db, gpkg, { kind: 'cbs', gemeente: DISTRACTOR }, true);
			expect(
				summaries.map((s) => [s.level, s.imported, s.replaced, s.parents.fromProperty])
			).toEqual([
				['wijk', 3, 10, 0],
				['buurt', expect.any(Number), 111, expect.any(Number)]
			]);
			expect(summaries[1].parents.fromProperty).toBe(summaries[1].imported);
			expect(await storeHash(db)).toBe(before);
		});

		it('the plain areas import reads a GeoPackage layer and a zipped shapefile too', async () => {
			writeFileSync(path.join(dir, 'wijk.geojson'), JSON.stringify(wijken));
			const wgpkg = path.join(dir, 'wijken-wgs84.gpkg');
			execFileSync('ogr2ogr', [
				'-f',
				'GPKG',
				wgpkg,
				path.join(dir, 'wijk.geojson'),
				'-nln',
				'wijken'
			]);
			const w = await importFile(db, wgpkg, { kind: 'areas', level: 'wijk' });
			expect(w.summaries[0]).toMatchObject({ level: 'wijk', crs: 'wgs84', imported: 10 });
			expect((await areas(db, 'wijk')).map((a) => a.code)).toEqual(
				wijken.features.map((f) => f.properties.KODE).sort()
			);
			// Utrecht's own buurt file as a zipped shapefile in RD, parents by WIJKKODE.
			const shpDir = path.join(dir, 'buurt-shp');
			mkdirSync(shpDir);
			execFileSync('ogr2ogr', [
				'-f',
				'ESRI Shapefile',
				path.join(shpDir, 'buurt.shp'),
				path.join(SHARED_UTRECHT, 'buurt.geojson'),
				'-t_srs',
				'EPSG:28992',
				'-lco',
				'ENCODING=UTF-8'
			]);
			const bzip = path.join(dir, 'buurt.zip');
			execFileSync('/usr/bin/python3', [
				'-c',
				'import sys, os, zipfile\nz = zipfile.ZipFile(sys.argv[1], "w")\nfor f in os.listdir(sys.argv[2]): z.write(os.path.join(sys.argv[2], f), f)\nz.close()',
				bzip,
				shpDir
			]);
			const b = await importFile(db, bzip, { kind: 'areas', level: 'buurt', parentLevel: 'wijk' });
			expect(b.summaries[0]).toMatchObject({
				level: 'buurt',
				crs: 'rd',
				imported: 111,
				parents: { fromProperty: 111, spatial: 0, none: 0 }
			});
			const rows = await areas(db, 'buurt');
			expect(rows.map((r) => [r.code, r.name, r.parent])).toEqual(
				buurten.features
					.map((f) => [f.properties.KODE, f.properties.NAAM, f.properties.WIJKKODE])
					.sort((x, y) => x[0].localeCompare(y[0]))
			);
			const many = await importFile(db, zip, { kind: 'areas', level: 'buurt' }).catch(
				(e: Error) => e
			);
			expect(String(many)).toMatch(
				/het bestand heeft 3 lagen; kies er één met --layer: buurt_2019_v3, gem_2019_v3, wijk_2019_v3/
			);
		});
	});
});
