import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import distance from '@turf/distance';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import type { Db } from '../../src/lib/server/db/types.ts';
import { importAreaLevels } from '../../src/lib/server/import/areas.ts';
import { fetchAllFeatures, pdokUrls } from '../../src/lib/server/import/pdok.ts';
import { applyPopulation, readPopulationCsv } from '../../src/lib/server/import/population.ts';
import {
	freshStore,
	onPostgres,
	SHARED_UTRECHT,
	storeHash,
	storeName,
	type TestStore
} from '../helpers/db.ts';
import { fakePopulation, startFakePdok, type FakePdok } from '../helpers/fake-pdok.ts';
import { runScript } from '../helpers/server.ts';

const WIJK_FILE = path.join(SHARED_UTRECHT, 'wijk.geojson');
const BUURT_FILE = path.join(SHARED_UTRECHT, 'buurt.geojson');
const read = (f: string) =>
	JSON.parse(readFileSync(f, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
const wijken = read(WIJK_FILE);
const buurten = read(BUURT_FILE);

describe(`npm run import -- areas / pdok on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let tilesDir: string;
	let pdok: FakePdok;
	let env: Record<string, string>;

	/** PGlite admits one process per data directory: the test opens the store only between CLI runs. */
	async function inspect<T>(fn: (db: Db) => Promise<T>): Promise<T> {
		if (onPostgres) return fn(store.db);
		const db = await openPglite(store.env.WIJKKAART_DATA_DIR);
		try {
			return await fn(db);
		} finally {
			await db.close();
		}
	}
	const cli = (...args: string[]) => runScript('scripts/import.ts', args, env);
	function file(name: string, content: string | object): string {
		const p = path.join(dir, name);
		writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
		return p;
	}
	const centroids = (db: Db) =>
		db.query<{ code: string; x: number; y: number }>(
			`SELECT code, ST_X(ST_Centroid(geom)) AS x, ST_Y(ST_Centroid(geom)) AS y FROM area WHERE level = 'wijk' ORDER BY code`
		);

	beforeAll(async () => {
		store = await freshStore();
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-import-'));
		tilesDir = path.join(dir, 'tiles');
		pdok = await startFakePdok(25);
		env = { ...store.env, WIJKKAART_TILES_DIR: tilesDir, WIJKKAART_PDOK_URL: pdok.baseUrl };
	});

	afterAll(async () => {
		await pdok?.close();
		if (onPostgres) await store?.dispose();
		else rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		rmSync(dir, { recursive: true, force: true });
	});

	it('explains itself and names the kinds of import', async () => {
		const help = await cli('areas', '--help');
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/gebruik: npm run import -- areas --level/);
		expect(help.stdout).toMatch(/--strict/);
		const none = await cli();
		expect(none.code).not.toBe(0);
		expect(none.stderr).toMatch(/^Fout: geef een soort import op: .*areas.*pdok/);
	});

	it('imports the Utrecht wijken and buurten, then rebuilds the area tiles', async () => {
		const t0 = performance.now();
		const w = await cli('areas', '--level', 'wijk', WIJK_FILE);
		const t1 = performance.now();
		const b = await cli('areas', '--level', 'buurt', '--parent', 'wijk', BUURT_FILE);
		const t2 = performance.now();
		console.log(
			`CLI (${storeName}, incl. opstarten en tegels): wijk ${((t1 - t0) / 1000).toFixed(1)} s, buurt ${((t2 - t1) / 1000).toFixed(1)} s`
		);
		expect(w.code, w.stderr).toBe(0);
		expect(b.code, b.stderr).toBe(0);
		expect(w.stdout).toMatch(/^10 gebieden op niveau "wijk" geïmporteerd/);
		expect(b.stdout).toMatch(/^111 gebieden op niveau "buurt" geïmporteerd/);
		expect(b.stdout).toMatch(
			/ouders \(wijk\): 111 uit eigenschap, 0 ruimtelijk bepaald, 0 zonder ouder/
		);
		expect(b.stdout).toMatch(/kaarttegels bijgewerkt: \d+ tegels/);
		// Not a terminal: no progress bar in the output.
		expect(b.stdout).not.toMatch(/[░█]|\d+\/111/);
		expect(statSync(path.join(tilesDir, 'areas.pmtiles')).size).toBeGreaterThan(1000);

		const { levels, orphans } = await inspect(async (db) => ({
			levels: await db.query<{ level: string; n: number; codes: string[] }>(
				`SELECT level, count(*)::int AS n, array_agg(DISTINCT parent) FILTER (WHERE parent IS NOT NULL) AS codes
				 FROM area GROUP BY level ORDER BY level`
			),
			orphans: await db.query<{ code: string }>(
				`SELECT b.code FROM area b WHERE b.level = 'buurt'
				 AND NOT EXISTS (SELECT 1 FROM area w WHERE w.level = 'wijk' AND w.code = b.parent)`
			)
		}));
		expect(levels.map((l) => [l.level, l.n])).toEqual([
			['buurt', 111],
			['wijk', 10]
		]);
		expect(levels[0].codes.sort()).toEqual(wijken.features.map((f) => f.properties!.KODE).sort());
		expect(orphans).toEqual([]);
	});

	it('sets the Utrecht population from a CBS key-figures CSV, offline; sentinels are unknown; a bad file changes nothing', async () => {
		// A "Kerncijfers wijken en buurten" CSV as CBS publishes it (; separated, quoted, codes padded
		// with spaces), for Utrecht's own codes: WK0344<wijk>, BU0344<buurt>; plus the municipality,
		// another municipality, and CBS's ways of saying "unknown".
		const expected = new Map<string, number | null>();
		const lines = [
			'"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"AantalInwoners_5"',
			'0;"GM0344  ";"Utrecht";"Gemeente";"GM0344";"361924"'
		];
		const sentinel = ['.', '-99997', ''];
		[
			...wijken.features.map((f) => ['wijk', 'WK', f.properties!.KODE as string]),
			...buurten.features.map((f) => ['buurt', 'BU', f.properties!.KODE as string])
		].forEach(([level, prefix, code], i) => {
			const unknown = i % 17 === 5;
			const n = unknown ? null : 900 + ((i * 7919) % 30_000);
			expected.set(`${level} ${code}`, n);
			lines.push(
				`${i + 1};"${prefix}0344${code}  ";"Utrecht";"${level === 'wijk' ? 'Wijk' : 'Buurt'}";"${prefix}0344${code}";"${unknown ? sentinel[i % 3] : n}"`
			);
		});
		lines.push('999;"BU03630000  ";"Amsterdam";"Buurt";"BU03630000";"1234"');
		const csv = file('kwb.csv', `\ufeff${lines.join('\r\n')}\r\n`);

		// Refusals change nothing (checked on the functions the command runs: a CLI start costs a minute on a busy machine).
		const text = readFileSync(csv, 'utf8');
		expect(() => readPopulationCsv(text, { population: 'Inwoners' })).toThrow(
			/^kolom voor inwoners "Inwoners" niet gevonden; kolommen: ID, WijkenEnBuurten/
		);
		await inspect(async (db) => {
			const before = await storeHash(db);
			await expect(
				applyPopulation(db, readPopulationCsv(text), { gemeente: null, source: csv })
			).rejects.toThrow(/geen enkele code .* --gemeente/);
			const twice = readPopulationCsv(`${text}1000;"WK034401";"Utrecht";"Wijk";"WK034401";"5"\r\n`);
			await expect(applyPopulation(db, twice, { gemeente: 'GM0344', source: csv })).rejects.toThrow(
				/WK034401 noemt hetzelfde gebied \(wijk 01\)/
			);
			expect(await storeHash(db)).toBe(before);
		});

		const res = await cli('population', '--gemeente', 'GM0344', csv);
		expect(res.code, res.stderr).toBe(0);
		const unknown = [...expected.values()].filter((v) => v === null).length;
		expect(res.stdout).toContain(
			`inwonertal gezet: 10 wijk, 111 buurt (${unknown} onbekend); 2 regels zonder gebied op de kaart; 0 gebieden niet in het bestand`
		);
		expect(res.stdout).toMatch(/kaarttegels bijgewerkt/);
		const stored = await inspect((db) =>
			db.query<{ level: string; code: string; population: number | null }>(
				`SELECT level, code, population FROM area`
			)
		);
		expect(stored).toHaveLength(expected.size);
		for (const a of stored)
			expect(a.population, `${a.level} ${a.code}`).toBe(expected.get(`${a.level} ${a.code}`));
		expect(unknown).toBeGreaterThan(3);
	}, 600_000);

	it('finds the parents spatially when the buurt file has no WIJKKODE', async () => {
		const bare = structuredClone(buurten);
		for (const f of bare.features) delete f.properties!.WIJKKODE;
		const res = await cli('areas', '--level', 'buurt', file('buurt-zonder-wijk.geojson', bare));
		expect(res.code, res.stderr).toBe(0);
		expect(res.stdout).toMatch(
			/ouders \(wijk\): 0 uit eigenschap, 111 ruimtelijk bepaald, 0 zonder ouder/
		);
		const rows = await inspect((db) =>
			db.query<{ code: string; parent: string }>(
				`SELECT code, parent FROM area WHERE level = 'buurt'`
			)
		);
		const parent = new Map(rows.map((r) => [r.code, r.parent]));
		const same = buurten.features.filter(
			(f) => parent.get(f.properties!.KODE) === f.properties!.WIJKKODE
		).length;
		console.log(`CLI: ruimtelijke ouders gelijk aan WIJKKODE in ${same} van 111 buurten`);
		expect(same).toBeGreaterThanOrEqual(105);
	});

	it('reads wijk.geojson in RD New (crs member) into the same wijken, centroids within 1 m', async () => {
		const before = await inspect(centroids);
		const rd = structuredClone(wijken) as FeatureCollection<Polygon | MultiPolygon> & {
			crs?: unknown;
		};
		rd.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } };
		for (const f of rd.features) {
			const polys =
				f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
			for (const poly of polys)
				for (const ring of poly)
					ring.forEach((p, i) => (ring[i] = wgs84ToRd(p).map((v) => Math.round(v * 1000) / 1000)));
		}
		const res = await cli('areas', '--level', 'wijk', file('wijk-rd.geojson', rd));
		expect(res.code, res.stderr).toBe(0);
		expect(res.stdout).toMatch(/coördinaten: RD New \(EPSG:28992\), omgerekend naar WGS84/);
		const after = await inspect(centroids);
		expect(after.map((r) => r.code)).toEqual(before.map((r) => r.code));
		const worst = Math.max(
			...after.map((r, i) => distance([r.x, r.y], [before[i].x, before[i].y], { units: 'meters' }))
		);
		expect(worst).toBeLessThan(1);
	});

	describe('refuses bad files with one Dutch line, a non-zero exit and no change', () => {
		const ring = (coords: string) =>
			`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KODE":"01","NAAM":"West"},"geometry":{"type":"Polygon","coordinates":[[${coords}]]}}]}`;
		const bowtie = structuredClone(wijken);
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
		const dup = structuredClone(wijken);
		dup.features[3].properties!.KODE = dup.features[4].properties!.KODE;
		const swapped = structuredClone(wijken);
		for (const f of swapped.features) {
			const polys =
				f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
			for (const poly of polys) for (const r of poly) r.forEach((p, i) => (r[i] = [p[1], p[0]]));
		}
		const unknownParent = structuredClone(buurten);
		unknownParent.features[7].properties!.WIJKKODE = '99';

		const cases: [string, () => string[], RegExp][] = [
			['empty file', () => ['--level', 'wijk', file('leeg.geojson', '')], /het bestand is leeg/],
			[
				'not JSON',
				() => ['--level', 'wijk', file('kapot.geojson', '{"type": "FeatureCollection", "feat')],
				/geen geldige JSON/
			],
			[
				'not a FeatureCollection',
				() => ['--level', 'wijk', file('feature.geojson', '{"type":"Feature"}')],
				/verwacht een GeoJSON FeatureCollection, kreeg type "Feature"/
			],
			[
				'points',
				() => [
					'--level',
					'wijk',
					file(
						'punten.geojson',
						'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KODE":"01","NAAM":"West"},"geometry":{"type":"Point","coordinates":[5.1,52.1]}}]}'
					)
				],
				/feature 1 \(01\): geometrie is Point; verwacht Polygon of MultiPolygon/
			],
			[
				'infinite coordinate',
				() => [
					'--level',
					'wijk',
					file('oneindig.geojson', ring('[5.1,52.1],[5.2,1e999],[5.2,52.2],[5.1,52.1]'))
				],
				/feature 1 \(01\): coördinaat \[5.2, Infinity\] is geen eindig getal/
			],
			[
				'null coordinate',
				() => [
					'--level',
					'wijk',
					file('null.geojson', ring('[5.1,52.1],[5.2,null],[5.2,52.2],[5.1,52.1]'))
				],
				/feature 1 \(01\): .*geen eindig getal/
			],
			[
				'ring too short',
				() => ['--level', 'wijk', file('kort.geojson', ring('[5.1,52.1],[5.2,52.2],[5.1,52.1]'))],
				/feature 1 \(01\): ring met 3 punten/
			],
			[
				'self-intersecting ring with --strict',
				() => ['--level', 'wijk', '--strict', file('strik.geojson', bowtie)],
				/gebied 03 \(.*\): ongeldige geometrie: Self-intersection.*zonder --strict/
			],
			[
				'duplicate codes',
				() => ['--level', 'wijk', file('dubbel.geojson', dup)],
				/code "05" komt dubbel voor/
			],
			[
				'lat/lon swapped',
				() => ['--level', 'wijk', file('omgedraaid.geojson', swapped)],
				/feature 1 \(01\): coördinaten lijken breedte\/lengte omgedraaid/
			],
			[
				'unknown parent code',
				() => ['--level', 'buurt', '--parent', 'wijk', file('ouder.geojson', unknownParent)],
				/oudercode "99" \(eigenschap WIJKKODE\) bestaat niet op niveau "wijk"/
			],
			[
				'unknown parent level',
				() => ['--level', 'buurt', '--parent', 'stadsdeel', BUURT_FILE],
				/onbekend ouderniveau "stadsdeel"/
			],
			[
				'new level without --parent',
				() => ['--level', 'stadsdeel', WIJK_FILE],
				/niveau "stadsdeel" is nieuw; geef met --parent/
			],
			[
				'missing file',
				() => ['--level', 'wijk', path.join(dir, 'bestaat-niet.geojson')],
				/kan .*bestaat-niet.geojson niet lezen \(ENOENT\)/
			],
			['bad level name', () => ['--level', 'Wijk A', WIJK_FILE], /niveaunaam "Wijk A" is ongeldig/],
			[
				'unknown option',
				() => ['--level', 'wijk', '--kleur', 'rood', WIJK_FILE],
				/onbekende optie --kleur/
			]
		];
		let before: string;
		beforeAll(async () => {
			before = await inspect(storeHash);
		});
		for (const [name, args, message] of cases) {
			it(name, async () => {
				const res = await cli('areas', ...args());
				expect(res.code).not.toBe(0);
				const lines = res.stderr.trim().split('\n');
				expect(lines, res.stderr).toHaveLength(1);
				expect(lines[0]).toMatch(/^Fout: /);
				expect(lines[0]).toMatch(message);
				expect(res.stdout).not.toMatch(/geïmporteerd/);
			});
		}
		it('left the store exactly as it was', async () => {
			expect(await inspect(storeHash)).toBe(before);
		});
	});

	it('imports wijken and buurten with population from PDOK (OGC API Features, paged)', async () => {
		pdok.requests.length = 0;
		const res = await cli('pdok', '--gemeente', 'GM0344', '--jaar', '2024');
		expect(res.code, res.stderr).toBe(0);
		expect(res.stdout).toMatch(/opgehaald bij PDOK: 10 wijken, 111 buurten/);
		// 10 wijken fit one page of 25; 111 buurten take five, each reached through rel="next".
		const paths = pdok.requests.map((r) => new URL(r, 'http://x'));
		expect(paths.map((u) => u.pathname)).toEqual([
			'/cbs/wijken-en-buurten-2024/ogc/v1/collections/wijken/items',
			...Array(5).fill('/cbs/wijken-en-buurten-2024/ogc/v1/collections/buurten/items')
		]);
		for (const u of paths) {
			expect(u.searchParams.get('gemeentecode')).toBe('GM0344');
			expect(u.searchParams.get('f')).toBe('json');
		}
		expect(paths.at(-1)!.searchParams.get('offset')).toBe('100');

		const rows = await inspect((db) =>
			db.query<{
				level: string;
				code: string;
				name: string;
				parent: string | null;
				population: number | null;
			}>(`SELECT level, code, name, parent, population FROM area ORDER BY level, code`)
		);
		const wijk = rows.filter((r) => r.level === 'wijk');
		const buurt = rows.filter((r) => r.level === 'buurt');
		expect(wijk).toHaveLength(10);
		expect(buurt).toHaveLength(111);
		expect(wijk.map((r) => r.code)).toContain('WK034406');
		expect(wijk.find((r) => r.code === 'WK034406')!.name).toBe('BINNENSTAD');
		const wijkCodes = new Set(wijk.map((r) => r.code));
		for (const b of buurt) {
			expect(wijkCodes.has(b.parent!), b.code).toBe(true);
			expect(b.population).toBe(fakePopulation(b.code.slice(6)));
		}
		for (const w of wijk) expect(w.population).toBe(fakePopulation(w.code.slice(6)));
		expect(existsSync(path.join(tilesDir, 'areas.pmtiles'))).toBe(true);
	});

	it('refuses a PDOK answer without wijken, and imports wijken and buurten both or not at all', async () => {
		const before = await inspect(storeHash);
		const res = await cli('pdok', '--gemeente', 'GM9999');
		expect(res.code).not.toBe(0);
		expect(res.stderr.trim()).toBe('Fout: PDOK kent geen wijken voor GM9999 in 2024');

		const urls = pdokUrls(pdok.baseUrl, 'GM0344', '2023');
		const w = await fetchAllFeatures(urls.wijken);
		const b = (await fetchAllFeatures(urls.buurten)) as { properties: Record<string, unknown> }[];
		expect([w.length, b.length]).toEqual([10, 111]);
		// Had the wijken been written on their own, the new names would show in the store.
		for (const f of w as { properties: Record<string, unknown> }[])
			f.properties.wijknaam = `Nieuw ${f.properties.wijknaam}`;
		b[50].properties.wijkcode = 'WK034499';
		await inspect(async (db) => {
			await expect(
				importAreaLevels(db, [
					{ input: { type: 'FeatureCollection', features: w }, opts: { level: 'wijk' } },
					{
						input: { type: 'FeatureCollection', features: b },
						opts: { level: 'buurt', parentLevel: 'wijk' }
					}
				])
			).rejects.toThrow(/oudercode "WK034499"/);
		});
		expect(await inspect(storeHash)).toBe(before);
	});
});
