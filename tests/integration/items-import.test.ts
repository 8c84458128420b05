import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';
import { runItemsImport } from '../../src/lib/server/import/items.ts';
import { openPglite } from '../../src/lib/server/db/pglite.ts';
import {
	SHARED_UTRECHT,
	freshStore,
	onPostgres,
	storeHash,
	storeName,
	type TestStore
} from '../helpers/db.ts';
import { runScript } from '../helpers/server.ts';
import { insertUtrechtAreas } from './items-setup.ts';

/** Lamp posts well inside their buurt (over 100 m from its border), checked by hand on the map. */
const MASTS = [
	['Teun de Jagerdreef', '1'],
	['Tolsteegplantsoen', '113'],
	['Tussen de rails', '703'],
	['Wevelaan', '4'],
	['Zevenwouden', '18'],
	['Wim Sonneveldlaan', '331']
];

describe(`items import on ${storeName}`, () => {
	let store: TestStore;
	let dir: string;
	const masts: { straat: string; buurt: string; lon: number; lat: number }[] = [];

	/** Runs the handler as the CLI does, capturing what it prints. */
	async function run(...argv: string[]) {
		const out: string[] = [];
		const log = vi.spyOn(console, 'log').mockImplementation((m) => void out.push(String(m)));
		const err = vi.spyOn(console, 'error').mockImplementation((m) => void out.push(String(m)));
		try {
			const code = await runItemsImport(argv, { db: store.db });
			return { code, output: out.join('\n') };
		} finally {
			log.mockRestore();
			err.mockRestore();
		}
	}
	function file(name: string, content: string): string {
		const p = path.join(dir, name);
		writeFileSync(p, content);
		return p;
	}
	async function itemsFrom(source: string) {
		return store.db.query<{
			title: string;
			layer: string;
			theme: string;
			status: string;
			areas: Record<string, string>;
			lon: number;
			lat: number;
			details: Record<string, unknown>;
		}>(
			`SELECT title, layer, theme, status, areas, details, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM item WHERE source = $1 ORDER BY id`,
			[source]
		);
	}

	beforeAll(async () => {
		store = await freshStore();
		await insertUtrechtAreas(store.db);
		dir = mkdtempSync(path.join(os.tmpdir(), 'wijkkaart-items-'));
		const all = JSON.parse(
			readFileSync(path.join(SHARED_UTRECHT, 'lichtmasten.geojson'), 'utf8')
		).features;
		for (const [straat, nr] of MASTS) {
			const f = all.find(
				(x: { properties: { STRAAT: string; MASTNUMMER: string } }) =>
					x.properties.STRAAT === straat && x.properties.MASTNUMMER === nr
			);
			masts.push({
				straat,
				buurt: f.properties.BUURT,
				lon: f.geometry.coordinates[0],
				lat: f.geometry.coordinates[1]
			});
		}
	});
	afterAll(async () => {
		await store?.dispose();
		rmSync(dir, { recursive: true, force: true });
	});

	it('imports GeoJSON meldingen into the buurt their lamp post stands in, and reports per wijk', async () => {
		const fc = {
			type: 'FeatureCollection',
			features: masts.map((m, i) => ({
				type: 'Feature',
				properties: {
					titel: `Lantaarnpaal kapot, ${m.straat}`,
					categorie: 'Straatverlichting kapot',
					status: i % 2 ? 'in behandeling' : 'gemeld',
					datum: '2025-03-01',
					wijk: '99',
					buurt: '9999'
				},
				geometry: { type: 'Point', coordinates: [m.lon, m.lat] }
			}))
		};
		const { code, output } = await run(
			'--layer',
			'meldingen',
			file('masten.geojson', JSON.stringify(fc))
		);
		expect(code, output).toBe(0);
		expect(output).toMatch(/^6 meldingen geïmporteerd uit masten.geojson \(6 gelezen\)/);
		expect(output).toMatch(
			/\n  03 +OVERVECHT +1\n  04 +NOORDOOST +1\n  05 +OOST +2\n  07 +ZUID +2$/
		);
		const rows = await itemsFrom('masten.geojson');
		expect(rows).toHaveLength(6);
		rows.forEach((r, i) => {
			// "03.11" in the lamp post file is buurt 0311 of wijk 03; the file's own wijk/buurt are ignored.
			expect(r.areas).toEqual({
				wijk: masts[i].buurt.slice(0, 2),
				buurt: masts[i].buurt.replace('.', '')
			});
			expect(r).toMatchObject({
				theme: 'openbare-ruimte',
				status: i % 2 ? 'in_behandeling' : 'gemeld'
			});
		});
		const [log] = await store.db.query<{ summary: { inserted: number } }>(
			`SELECT summary FROM import_log WHERE kind = 'items' AND source = 'masten.geojson'`
		);
		expect(log.summary.inserted).toBe(6);
	});

	it('reads a CSV with BOM, semicolons, RD coordinates and Dutch dates, and skips what lies outside', async () => {
		const rows = masts.slice(0, 3).map((m, i) => {
			const [x, y] = wgs84ToRd([m.lon, m.lat]);
			return `Herinrichting ${m.straat};"Meer groen; minder blik";${['verkenning', 'Ontwerp', 'uitvoering'][i]};${x.toFixed(2).replace('.', ',')};${y.toFixed(2).replace('.', ',')};01-0${i + 1}-2026;"€ 125.000"`;
		});
		// Amsterdam Dam square, in RD: outside Utrecht.
		rows.push('Buiten de stad;;verkenning;121400;487400;;');
		const csv =
			'\uFEFFnaam;omschrijving;fase;x;y;start_gepland;budget\r\n' + rows.join('\r\n') + '\r\n';
		const { code, output } = await run(
			'--layer',
			'projecten',
			'--theme',
			'groen-water',
			file('projecten.csv', csv)
		);
		expect(code, output).toBe(0);
		expect(output).toMatch(/^3 projecten geïmporteerd uit projecten.csv \(4 gelezen\)/);
		expect(output).toMatch(/1 buiten de gemeente overgeslagen: regel 5/);
		const items = await itemsFrom('projecten.csv');
		expect(items.map((r) => r.status)).toEqual(['verkenning', 'ontwerp', 'uitvoering']);
		items.forEach((r, i) => {
			expect(r.areas.buurt).toBe(masts[i].buurt.replace('.', ''));
			expect(r.lon).toBeCloseTo(masts[i].lon, 5);
			expect(r.lat).toBeCloseTo(masts[i].lat, 5);
			expect(r.theme).toBe('groen-water');
			expect(r.details).toMatchObject({ plannedStart: `2026-0${i + 1}-01`, budget: 125000 });
		});
		expect((await itemsFrom('projecten.csv'))[0].title).toBe(`Herinrichting ${masts[0].straat}`);
	});

	it('maps columns with --field', async () => {
		const csv = 'kop,lat,lon,wanneer\nWijkschouw,52.1,5.12,2026-05-04 19:30\n';
		const { code, output } = await run(
			'--layer',
			'bijeenkomsten',
			'--theme',
			'openbare-ruimte',
			'--field',
			'title=kop',
			'--field',
			'startsAt=wanneer',
			file('agenda.csv', csv)
		);
		expect(code, output).toBe(0);
		const [row] = await store.db.query<{ starts_at: Date; status: string }>(
			`SELECT starts_at, status FROM item WHERE source = 'agenda.csv'`
		);
		expect(new Date(row.starts_at).toISOString()).toBe('2026-05-04T17:30:00.000Z');
		expect(row.status).toBe('gepland');
	});

	it('changes nothing and names the fault on bad input', async () => {
		const before = await storeHash(store.db);
		const m = masts[0];
		const good = `titel,lat,lon,status\nA,${m.lat},${m.lon},idee\n`;
		const cases: [string[], RegExp][] = [
			[
				['--layer', 'initiatieven', '--theme', 'sport', file('a.csv', good)],
				/^Fout: onbekend thema "sport"; toegestaan: openbare-ruimte, groen-water, verkeer/
			],
			[
				[
					'--layer',
					'initiatieven',
					file(
						'b.csv',
						`titel,thema,lat,lon\nA,groen-water,${m.lat},${m.lon}\nB,kunst,${m.lat},${m.lon}\n`
					)
				],
				/^Fout: b.csv regel 3: onbekend thema "kunst"; toegestaan: openbare-ruimte/
			],
			[
				[
					'--layer',
					'initiatieven',
					'--theme',
					'economie',
					file(
						'c.csv',
						`titel,lat,lon,status\nA,${m.lat},${m.lon},idee\nB,${m.lat},${m.lon},klaar\n`
					)
				],
				/^Fout: c.csv regel 3: onbekende status "klaar" voor initiatieven; toegestaan: idee, aangevraagd, toegekend, in_uitvoering, afgerond, afgewezen/
			],
			[
				[
					'--layer',
					'meldingen',
					file('d.csv', `titel;categorie;lat;lon\nA;hondenpoep;${m.lat};${m.lon}\n`)
				],
				/^Fout: d.csv regel 2: onbekende categorie "hondenpoep"; toegestaan: straatverlichting/
			],
			[
				['--layer', 'wegen', file('e.csv', good)],
				/^Fout: onbekende layer "wegen"; toegestaan: initiatieven, projecten, meldingen, bijeenkomsten/
			],
			[
				[
					'--layer',
					'initiatieven',
					'--theme',
					'economie',
					file('f.csv', 'titel,lat,lon\nA,52.37,4.89\n')
				],
				/^Fout: geen enkel item ligt binnen de gebieden/
			],
			[
				['--layer', 'initiatieven', '--theme', 'economie', file('h.geojson', '{"type":"Feature"}')],
				/^Fout: h.geojson is geen GeoJSON FeatureCollection/
			],
			[
				['--layer', 'initiatieven', '--theme', 'economie', path.join(dir, 'bestaat-niet.csv')],
				/^Fout: kan .*bestaat-niet.csv niet lezen: ENOENT/
			],
			[
				['--layer', 'initiatieven', '--theme', 'economie', file('i.xlsx', 'x')],
				/^Fout: onbekend bestandstype .xlsx/
			],
			[
				[
					'--layer',
					'initiatieven',
					'--theme',
					'economie',
					file('j.csv', `titel,lat,lon,status\nA,${m.lat},${m.lon},afgewezen\n`)
				],
				/^Fout: j.csv regel 2: een afgewezen initiatief heeft een openbare reden van afwijzing nodig/
			]
		];
		for (const [argv, message] of cases) {
			const { code, output } = await run(...argv);
			expect(code, output).toBe(1);
			expect(output).toMatch(message);
			expect(output.split('\n')[0].length).toBeLessThan(400);
		}
		expect(await storeHash(store.db)).toBe(before);
	});

	it('is reachable as `npm run import -- items` and refuses a bad layer there too', async () => {
		// The CLI is its own process: on PGlite it may only open a store no one else holds (the store lock).
		if (!onPostgres) await store.db.close();
		const res = await runScript(
			'scripts/import.ts',
			['items', '--layer', 'wegen', file('k.csv', 'titel,lat,lon\nA,52.1,5.1\n')],
			store.env
		);
		if (!onPostgres) store.db = await openPglite(store.env.WIJKKAART_DATA_DIR);
		expect(res.code).toBe(1);
		expect(res.stderr).toMatch(
			/onbekende layer "wegen"; toegestaan: initiatieven, projecten, meldingen, bijeenkomsten/
		);
	});
});
