import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import distance from '@turf/distance';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { freshStore, SHARED_UTRECHT, storeHash, storeName, type TestStore } from '../helpers/db.ts';
import {
	importAreasFromGeoJSON,
	ImportError,
	parseFeatureCollection
} from '../../src/lib/server/import/areas.ts';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';
import { messageText } from '../../src/lib/i18n/localize.ts';

const read = (f: string) =>
	JSON.parse(readFileSync(path.join(SHARED_UTRECHT, f), 'utf8')) as FeatureCollection<
		Polygon | MultiPolygon
	>;
const wijken = read('wijk.geojson');
const buurten = read('buurt.geojson');
const clone = <T>(x: T): T => structuredClone(x);

describe(`area import on ${storeName}`, () => {
	let store: TestStore;
	beforeAll(async () => {
		store = await freshStore();
		await importAreasFromGeoJSON(store.db, wijken, { level: 'wijk', source: 'test' });
		await importAreasFromGeoJSON(store.db, buurten, {
			level: 'buurt',
			parentLevel: 'wijk',
			source: 'test'
		});
	});
	afterAll(() => store?.dispose());

	it('imports Utrecht: 10 wijken, 111 buurten, each buurt under one of the 10 wijken', async () => {
		const rows = await store.db.query<{ level: string; n: number }>(
			'SELECT level, count(*)::int AS n FROM area GROUP BY level ORDER BY level'
		);
		expect(rows).toEqual([
			{ level: 'buurt', n: 111 },
			{ level: 'wijk', n: 10 }
		]);
		const [{ bad }] = await store.db.query<{ bad: number }>(
			`SELECT count(*)::int AS bad FROM area b WHERE b.level = 'buurt'
			 AND NOT EXISTS (SELECT 1 FROM area w WHERE w.level = 'wijk' AND w.code = b.parent)`
		);
		expect(bad).toBe(0);
		const [binnenstad] = await store.db.query<{ name: string }>(
			`SELECT name FROM area WHERE level = 'wijk' AND code = '06'`
		);
		expect(binnenstad.name).toBe('BINNENSTAD');
	});

	it('finds parents spatially when the file has no parent codes', async () => {
		const withoutParent = clone(buurten);
		for (const f of withoutParent.features) delete f.properties!.WIJKKODE;
		const summary = await importAreasFromGeoJSON(store.db, withoutParent, {
			level: 'buurt',
			parentLevel: 'wijk'
		});
		expect(summary.parents.spatial).toBe(111);
		const rows = await store.db.query<{ code: string; parent: string }>(
			`SELECT code, parent FROM area WHERE level = 'buurt'`
		);
		const byCode = new Map(rows.map((r) => [r.code, r.parent]));
		const matches = buurten.features.filter(
			(f) => byCode.get(f.properties!.KODE) === f.properties!.WIJKKODE
		).length;
		expect(matches).toBeGreaterThanOrEqual(105);
		console.log(`ruimtelijke ouders gelijk aan WIJKKODE: ${matches}/111`);
		// Put the file's own parents back for the other tests.
		await importAreasFromGeoJSON(store.db, buurten, { level: 'buurt', parentLevel: 'wijk' });
	});

	it('reads RD New coordinates and lands within 1 m of the WGS84 original', async () => {
		const rd = clone(wijken);
		for (const f of rd.features) {
			const g = f.geometry;
			const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
			for (const poly of polys)
				for (const ring of poly) ring.forEach((p, i) => (ring[i] = wgs84ToRd(p)));
		}
		const summary = await importAreasFromGeoJSON(store.db, rd, { level: 'wijk' });
		expect(summary.crs).toBe('rd');
		const rows = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT code, ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y FROM area WHERE level = 'wijk' ORDER BY code`
		);
		await importAreasFromGeoJSON(store.db, wijken, { level: 'wijk' });
		const orig = await store.db.query<{ code: string; x: number; y: number }>(
			`SELECT code, ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y FROM area WHERE level = 'wijk' ORDER BY code`
		);
		expect(rows.map((r) => r.code)).toEqual(orig.map((r) => r.code));
		rows.forEach((r, i) =>
			expect(distance([r.x, r.y], [orig[i].x, orig[i].y], { units: 'meters' })).toBeLessThan(1)
		);
	});

	it('derives stable codes for files that carry only a name (Amsterdam style)', async () => {
		const named = clone(wijken);
		for (const f of named.features)
			f.properties = { name: String(f.properties!.NAAM).toLowerCase() };
		const s = await importAreasFromGeoJSON(store.db, named, { level: 'stadsdeel' }).catch((e) => e);
		// A new top level cannot slide above existing ones silently; as its own tree it can:
		expect(s).toBeInstanceOf(ImportError);
		const other = await freshStore();
		try {
			await importAreasFromGeoJSON(other.db, named, { level: 'stadsdeel' });
			await importAreasFromGeoJSON(other.db, named, { level: 'stadsdeel' });
			const rows = await other.db.query<{ code: string }>(`SELECT code FROM area ORDER BY code`);
			expect(rows.map((r) => r.code)).toContain('vleuten-de-meern');
			expect(rows).toHaveLength(10);
		} finally {
			await other.dispose();
		}
	});

	describe('refuses bad input and writes nothing', () => {
		const point = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { KODE: 'x', NAAM: 'x' },
					geometry: { type: 'Point', coordinates: [5.1, 52.1] }
				}
			]
		};
		const bowtie = clone(wijken);
		bowtie.features[2].geometry = {
			type: 'Polygon',
			coordinates: [
				[
					[5.1, 52.1],
					[5.12, 52.12],
					[5.12, 52.1],
					[5.1, 52.12],
					[5.1, 52.1]
				]
			]
		};
		const dup = clone(wijken);
		dup.features[3].properties!.KODE = dup.features[4].properties!.KODE;
		const nan = clone(wijken);
		(nan.features[1].geometry as Polygon).coordinates[0][1] = [NaN, 52];
		const swapped = clone(wijken);
		for (const f of swapped.features) {
			const g = f.geometry;
			const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
			for (const poly of polys)
				for (const ring of poly) ring.forEach((p, i) => (ring[i] = [p[1], p[0]]));
		}
		const rdInWgs = clone(wijken);
		(rdInWgs.features[5].geometry as Polygon).coordinates[0] = (
			rdInWgs.features[5].geometry as Polygon
		).coordinates[0].map(wgs84ToRd);
		const unknownParent = clone(buurten);
		unknownParent.features[7].properties!.WIJKKODE = '99';

		const cases: [string, () => Promise<unknown>, RegExp][] = [
			['empty file', async () => parseFeatureCollection(''), /leeg/],
			['not JSON', async () => parseFeatureCollection('{"type": "FeatureCo'), /geen geldige JSON/],
			[
				'not a FeatureCollection',
				async () => importAreasFromGeoJSON(store.db, { type: 'Feature' }, { level: 'wijk' }),
				/FeatureCollection/
			],
			[
				'points instead of polygons',
				async () => importAreasFromGeoJSON(store.db, point, { level: 'wijk' }),
				/feature 1 \(x\).*Point/
			],
			[
				'self-intersecting ring, strict',
				async () => importAreasFromGeoJSON(store.db, bowtie, { level: 'wijk', strict: true }),
				/gebied 03.*(Self-intersection|ongeldige)/i
			],
			[
				'duplicate codes',
				async () => importAreasFromGeoJSON(store.db, dup, { level: 'wijk' }),
				/dubbel/
			],
			[
				'NaN coordinate',
				async () => importAreasFromGeoJSON(store.db, nan, { level: 'wijk' }),
				/feature 2 .*eindig/
			],
			[
				'lat/lon swapped',
				async () => importAreasFromGeoJSON(store.db, swapped, { level: 'wijk' }),
				/omgedraaid/
			],
			[
				'RD coordinates inside a WGS84 file',
				async () => importAreasFromGeoJSON(store.db, rdInWgs, { level: 'wijk' }),
				/feature 6 .*RD/
			],
			[
				'unknown parent code',
				async () =>
					importAreasFromGeoJSON(store.db, unknownParent, { level: 'buurt', parentLevel: 'wijk' }),
				/"99"/
			],
			[
				'unknown parent level',
				async () =>
					importAreasFromGeoJSON(store.db, buurten, { level: 'buurt', parentLevel: 'stadsdeel' }),
				/onbekend ouderniveau/
			]
		];
		for (const [name, run, message] of cases) {
			it(name, async () => {
				const before = await storeHash(store.db);
				await expect(run()).rejects.toThrow(message);
				expect(await storeHash(store.db)).toBe(before);
			});
		}
	});

	it('repairs a self-intersecting ring by default, keeping its polygons and saying so; strict refuses', async () => {
		const bowtie = clone(wijken);
		bowtie.features[2].geometry = {
			type: 'Polygon',
			coordinates: [
				[
					[5.1, 52.1],
					[5.12, 52.12],
					[5.12, 52.1],
					[5.1, 52.12],
					[5.1, 52.1]
				]
			]
		};
		const before = await storeHash(store.db);
		await expect(
			importAreasFromGeoJSON(store.db, bowtie, { level: 'wijk', strict: true })
		).rejects.toThrow(/gebied 03 \(.*\): ongeldige geometrie: Self-intersection.*zonder --strict/);
		expect(await storeHash(store.db)).toBe(before);
		const s = await importAreasFromGeoJSON(store.db, bowtie, { level: 'wijk' });
		expect(s.repaired.map((m) => messageText('nl', m.code, m.params))).toEqual([
			expect.stringMatching(/^gebied 03 \(.*\): Self-intersection.*; hersteld met ST_MakeValid$/)
		]);
		// Both triangles of the bowtie stay, as one valid MultiPolygon of their area.
		const [g] = await store.db.query<{ valid: boolean; parts: number; area: number }>(
			`SELECT ST_IsValid(geom) AS valid, ST_NumGeometries(geom)::int AS parts, ST_Area(geom)::float8 AS area FROM area WHERE level = 'wijk' AND code = '03'`
		);
		expect(g.valid).toBe(true);
		expect(g.parts).toBe(2);
		expect(g.area).toBeCloseTo((2 * (0.02 * 0.01)) / 2, 8);
		await importAreasFromGeoJSON(store.db, wijken, { level: 'wijk' });
	});

	it('re-imports a level atomically: replaced whole, children keep their codes, logged', async () => {
		const logged = async () =>
			(
				await store.db.query<{ n: number }>(
					`SELECT count(*)::int AS n FROM import_log WHERE kind = 'areas'`
				)
			)[0].n;
		const before = await logged();

		const fewer = clone(buurten);
		fewer.features = fewer.features.slice(0, 100);
		const s1 = await importAreasFromGeoJSON(store.db, fewer, {
			level: 'buurt',
			parentLevel: 'wijk',
			source: 'minder.geojson'
		});
		expect(s1).toMatchObject({ imported: 100, replaced: 111, depth: 1 });
		const [{ n }] = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM area WHERE level = 'buurt'`
		);
		expect(n).toBe(100);

		// Without --parent a re-imported level keeps its parent level.
		const s2 = await importAreasFromGeoJSON(store.db, buurten, { level: 'buurt' });
		expect(s2).toMatchObject({
			parentLevel: 'wijk',
			depth: 1,
			imported: 111,
			replaced: 100,
			parents: { fromProperty: 111, spatial: 0, none: 0 }
		});

		// Dropping a wijk leaves its buurten pointing at the old code, and says so.
		const underTen = buurten.features.filter((f) => f.properties!.WIJKKODE === '10').length;
		const nine = clone(wijken);
		nine.features = nine.features.filter((f) => f.properties!.KODE !== '10');
		const s3 = await importAreasFromGeoJSON(store.db, nine, { level: 'wijk' });
		expect(s3).toMatchObject({ imported: 9, replaced: 10, depth: 0, orphanedChildren: underTen });
		expect(underTen).toBeGreaterThan(0);
		const kept = await store.db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM area WHERE level = 'buurt' AND parent = '10'`
		);
		expect(kept[0].n).toBe(underTen);
		await importAreasFromGeoJSON(store.db, wijken, { level: 'wijk' });

		expect(await logged()).toBe(before + 4);
		const [last] = await store.db.query<{
			target: string;
			source: string | null;
			summary: { imported: number };
		}>(
			`SELECT target, source, summary FROM import_log WHERE kind = 'areas' ORDER BY id DESC LIMIT 1 OFFSET 3`
		);
		expect(last).toMatchObject({
			target: 'buurt',
			source: 'minder.geojson',
			summary: { imported: 100 }
		});
		const levels = await store.db.query<{ name: string; depth: number }>(
			'SELECT name, depth FROM area_level ORDER BY depth'
		);
		expect(levels).toEqual([
			{ name: 'wijk', depth: 0 },
			{ name: 'buurt', depth: 1 }
		]);
	});
});
