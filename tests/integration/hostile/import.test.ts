import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../src/lib/server/db/pglite.ts';
import { syncTaxonomy } from '../../../src/lib/server/items/taxonomy.ts';
import { freshStore, onPostgres, storeHash, storeName, type TestStore } from '../../helpers/db.ts';
import { runScript } from '../../helpers/server.ts';
import { insertUtrechtAreas } from '../items-setup.ts';

/**
 * Hostile files for `npm run import`: each case names the Dutch message it must end with. Every
 * case must exit non-zero with one "Fout:" line and no stack trace, and leave the store as it was.
 */
interface Case {
	name: string;
	args: (file: string) => string[];
	file: string;
	/** Content, or a function that writes the file itself (huge files). */
	content: string | Buffer | ((file: string) => void);
	expected: RegExp;
}

const point = (coordinates: unknown, props: Record<string, unknown> = {}) => ({
	type: 'Feature',
	properties: { titel: 'Bankje', ...props },
	geometry: { type: 'Point', coordinates }
});
const fc = (features: unknown[], extra: Record<string, unknown> = {}) =>
	JSON.stringify({ type: 'FeatureCollection', ...extra, features });
const items = (file: string) => ['items', '--layer', 'meldingen', '--theme', 'groen-water', file];
const areas =
	(level: string, ...more: string[]) =>
	(file: string) => ['areas', '--level', level, ...more, file];
const square = (x: number, y: number, d = 0.01) => [
	[
		[x, y],
		[x + d, y],
		[x + d, y + d],
		[x, y + d],
		[x, y]
	]
];
const areaFeature = (code: string, ring: unknown, props: Record<string, unknown> = {}) => ({
	type: 'Feature',
	properties: { code, naam: `Gebied ${code}`, ...props },
	geometry: { type: 'Polygon', coordinates: ring }
});

const CASES: Case[] = [
	{
		name: 'truncated GeoJSON',
		args: items,
		file: 'kapot.geojson',
		content: fc([point([5.12, 52.09])]).slice(0, 60),
		expected: /geen geldige JSON/
	},
	{
		name: '200 MB GeoJSON',
		args: items,
		file: 'groot.geojson',
		// Sparse: 200 MB on paper, a few bytes on disk.
		content: (f) => {
			const fd = openSync(f, 'w');
			writeSync(fd, '{"type":"FeatureCollection","features":[');
			writeSync(fd, ']}', 200 * 1024 * 1024);
			closeSync(fd);
		},
		expected: /is 201 MB; de grens is 100 MB \(WIJKKAART_MAX_IMPORT_MB\)/
	},
	{
		name: 'NaN coordinates',
		args: items,
		file: 'nan.geojson',
		content: fc([point([5.12, 52.09])]).replace('5.12', 'NaN'),
		expected: /geen geldige JSON/
	},
	{
		name: 'Infinity coordinates (1e999)',
		args: items,
		file: 'inf.geojson',
		content: fc([point([5.12, 52.09])]).replace('5.12', '1e999'),
		expected: /feature 1: .*(coördinat|getal)/i
	},
	{
		name: 'latitude and longitude swapped',
		args: items,
		file: 'omgedraaid.geojson',
		content: fc([point([52.09, 5.12])]),
		expected: /feature 1: .*omgedraaid/
	},
	{
		name: 'RD coordinates in a WGS84-declared file',
		args: items,
		file: 'rd-als-wgs84.geojson',
		content: fc([point([136000, 455000])], {
			crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }
		}),
		expected: /feature 1: coördinaat \(136000, 455000\) past niet bij het opgegeven stelsel WGS84/
	},
	{
		name: 'mixed geometry types including a GeometryCollection',
		args: items,
		file: 'gemengd.geojson',
		content: fc([
			point([5.12, 52.09]),
			{
				type: 'Feature',
				properties: { titel: 'x' },
				geometry: { type: 'GeometryCollection', geometries: [] }
			}
		]),
		expected: /feature 2: .*GeometryCollection/
	},
	{
		name: 'feature that is null',
		args: items,
		file: 'null.geojson',
		content: fc([point([5.12, 52.09]), null]),
		expected: /feature 2 is geen GeoJSON-object/
	},
	{
		name: 'one ring of 100,000 vertices',
		args: items,
		file: 'ring.geojson',
		content: (f) => {
			const n = 100_000;
			const ring = Array.from({ length: n }, (_, i) => [
				5.12 + 0.01 * Math.cos((2 * Math.PI * i) / n),
				52.09 + 0.01 * Math.sin((2 * Math.PI * i) / n)
			]);
			ring.push(ring[0]);
			// A valid ring with a status the layer does not know: the file is read whole and refused with a reason.
			writeFileSync(
				f,
				fc([
					{
						type: 'Feature',
						properties: { status: 'kapot' },
						geometry: { type: 'Polygon', coordinates: [ring] }
					}
				])
			);
		},
		expected: /feature 1: onbekende status "kapot"/
	},
	{
		name: 'CSV with BOM and semicolons, row too short',
		args: items,
		file: 'bom.csv',
		content: '\ufefftitel;lat;lon\nBankje;52.09;5.12\nKapot;52.1\n',
		expected: /CSV regel 3: 2 velden, de kopregel heeft er 3/
	},
	{
		name: 'CSV in Latin-1',
		args: items,
		file: 'latin1.csv',
		content: Buffer.from('titel;lat;lon\nCaf\xe9 de Wijk;52.09;5.12\n', 'latin1'),
		expected: /geen UTF-8 \(misschien Latin-1\/Windows-1252\)/
	},
	{
		name: 'CSV with duplicate column',
		args: items,
		file: 'dubbel.csv',
		content: 'titel,lat,lat\nA,52.09,52.09\n',
		expected: /kolom "lat" komt twee keer voor/
	},
	{
		name: 'CSV with an unclosed quote',
		args: items,
		file: 'quote.csv',
		content: 'titel,lat,lon\n"Bankje,52.09,5.12\n',
		expected: /aanhalingsteken wordt niet gesloten/
	},
	{
		name: 'duplicate external ids in one file',
		args: items,
		file: 'dubbel-id.geojson',
		content: fc([point([5.12, 52.09], { id: 'M-1' }), point([5.11, 52.08], { id: 'M-1' })]),
		expected: /feature 2: kenmerk "M-1" komt dubbel voor \(ook bij feature 1\)/
	},
	{
		name: 'unknown layer',
		args: (f) => ['items', '--layer', "meldingen'; DROP TABLE item;--", f],
		file: 'ok.geojson',
		content: fc([point([5.12, 52.09])]),
		expected: /onbekende layer/
	},
	{
		name: 'empty file',
		args: items,
		file: 'leeg.geojson',
		content: '',
		expected: /geen geldige JSON/
	},
	{
		name: 'a directory path',
		args: () => items(os.tmpdir()),
		file: 'x.geojson',
		content: '',
		expected: /onbekend bestandstype|kan .* niet lezen/
	},
	{
		name: 'areas: truncated GeoJSON',
		args: areas('wijk'),
		file: 'a-kapot.geojson',
		content: fc([areaFeature('A', square(5.1, 52.08))]).slice(0, 80),
		expected: /geen geldige JSON/
	},
	{
		name: 'areas: duplicate codes',
		args: areas('wijk'),
		file: 'a-dubbel.geojson',
		content: fc([areaFeature('X1', square(5.1, 52.08)), areaFeature('X1', square(5.2, 52.08))]),
		expected: /code "X1" komt dubbel voor/
	},
	{
		name: 'areas: cyclic parent codes (level its own parent)',
		args: areas('wijk', '--parent', 'wijk', '--parent-code', 'ouder'),
		file: 'a-kring.geojson',
		content: fc([
			areaFeature('P1', square(5.1, 52.08), { ouder: 'P2' }),
			areaFeature('P2', square(5.2, 52.08), { ouder: 'P1' })
		]),
		expected: /niveau "wijk" ligt niet direct onder "wijk"/
	},
	{
		name: 'areas: NaN-like coordinate strings',
		args: areas('wijk'),
		file: 'a-nan.geojson',
		content: fc([
			areaFeature('N1', [
				[
					['NaN', 52.08],
					[5.11, 52.08],
					[5.11, 52.09],
					[5.1, 52.08]
				]
			])
		]),
		expected: /feature 1/
	}
];

describe(`hostile import files on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	let before: string;

	async function hash(): Promise<string> {
		if (onPostgres) return storeHash(store.db);
		const db = await openPglite(store.env.WIJKKAART_DATA_DIR);
		try {
			return await storeHash(db);
		} finally {
			await db.close();
		}
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		await syncTaxonomy(store.db);
		before = await storeHash(store.db);
		if (!onPostgres) await store.db.close();
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-hostile-'));
	});

	afterAll(async () => {
		if (onPostgres) await store?.dispose();
		else if (store) rmSync(store.env.WIJKKAART_DATA_DIR, { recursive: true, force: true });
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it.each(CASES)('$name: refused with a Dutch message', async (c) => {
		const file = path.join(dir, c.file);
		if (typeof c.content === 'function') c.content(file);
		else writeFileSync(file, c.content);
		const out = await runScript('scripts/import.ts', c.args(file), store.env);
		rmSync(file, { force: true });
		expect(out.code, out.stdout + out.stderr).not.toBe(0);
		expect(out.stderr).toMatch(/^Fout: /);
		expect(out.stderr).toMatch(c.expected);
		expect(out.stderr + out.stdout).not.toMatch(/\n\s+at |TypeError|ReferenceError/);
		// On PostgreSQL every case is checked on its own; PGlite reopens slowly, so once at the end.
		if (onPostgres) expect(await hash()).toBe(before);
	});

	it('left the store exactly as it was', async () => {
		expect(await hash()).toBe(before);
	});
});
