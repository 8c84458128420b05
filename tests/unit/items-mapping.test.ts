import { describe, expect, it } from 'vitest';
import defaults from '../../src/lib/domain/themes.default.json' with { type: 'json' };
import { DETAIL_FIELDS, detailValue, parseMoney } from '../../src/lib/domain/items.ts';
import { parseTaxonomy } from '../../src/lib/domain/themes.ts';
import { parseCsv } from '../../src/lib/server/import/items-csv.ts';
import { fieldMapping, toItem, type MapOptions } from '../../src/lib/server/import/items-map.ts';
import { csvCell, csvLine } from '../../src/lib/server/items/csv.ts';

const tax = parseTaxonomy(defaults);

function mapCsv(text: string, opts: MapOptions) {
	const table = parseCsv(text);
	const mapping = fieldMapping(table.header, opts);
	return table.rows.map((r) =>
		toItem({ ref: `regel ${r.line}`, props: r.cells, geometry: null }, mapping, opts, tax)
	);
}

describe('CSV reader', () => {
	it('reads a BOM, semicolons, quoted fields with delimiters, quotes and line breaks', () => {
		const t = parseCsv(
			'\uFEFFtitel;omschrijving;lat;lon\r\n"Bank; kapot";"Zegt ""krak""\nen breekt";52,09;5,12\r\n'
		);
		expect(t.delimiter).toBe(';');
		expect(t.header).toEqual(['titel', 'omschrijving', 'lat', 'lon']);
		expect(t.rows).toEqual([
			{
				line: 2,
				cells: {
					titel: 'Bank; kapot',
					omschrijving: 'Zegt "krak"\nen breekt',
					lat: '52,09',
					lon: '5,12'
				}
			}
		]);
	});

	it('detects commas and tabs, and refuses ragged rows and open quotes with the line number', () => {
		expect(parseCsv('a,b\n1,2\n').delimiter).toBe(',');
		expect(parseCsv('a\tb\n1\t2').rows[0].cells).toEqual({ a: '1', b: '2' });
		expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(
			'CSV regel 3: 1 velden, de kopregel heeft er 2'
		);
		expect(() => parseCsv('a,b\n"1,2\n')).toThrow(/regel 2: aanhalingsteken/);
		expect(() => parseCsv('a,a\n1,2')).toThrow(/kolom "a" komt twee keer voor/);
		expect(() => parseCsv('')).toThrow(/CSV is leeg/);
	});
});

describe('field mapping', () => {
	it('detects Dutch and English column names, also with capitals and accents', () => {
		const m = fieldMapping(
			[
				'Titel',
				'Omschrijving',
				'Status',
				'Thema',
				'Datum',
				'LAT',
				'Lon',
				'Beïnvloedingsruimte',
				'Soort'
			],
			{ layer: 'bijeenkomsten' }
		);
		expect(m).toMatchObject({
			title: 'Titel',
			description: 'Omschrijving',
			status: 'Status',
			theme: 'Thema',
			startsAt: 'Datum',
			lat: 'LAT',
			lon: 'Lon',
			influence: 'Beïnvloedingsruimte',
			eventType: 'Soort'
		});
		expect(
			fieldMapping(['naam', 'categorie', 'x', 'y', 'created_at'], { layer: 'meldingen' })
		).toMatchObject({
			title: 'naam',
			category: 'categorie',
			x: 'x',
			y: 'y',
			createdAt: 'created_at'
		});
	});

	it('lets --field win and refuses unknown fields or columns, listing what exists', () => {
		expect(
			fieldMapping(['kop', 'titel'], { layer: 'projecten', fields: { title: 'kop' } }).title
		).toBe('kop');
		expect(() => fieldMapping(['a'], { layer: 'projecten', fields: { kleur: 'a' } })).toThrow(
			/--field kleur: onbekend veld voor projecten; toegestaan: title, /
		);
		expect(() => fieldMapping(['a', 'b'], { layer: 'projecten', fields: { title: 'c' } })).toThrow(
			'--field title=c: kolom "c" bestaat niet; beschikbaar: a, b'
		);
	});

	it('maps meldingen: category to theme and SLA, Dutch dates, status labels, RD coordinates', () => {
		const [m] = mapCsv(
			'titel;categorie;status;datum;x;y\nLamp kapot;Straatverlichting kapot;In behandeling;03-05-2025 14:15;136000;455800\n',
			{ layer: 'meldingen' }
		);
		expect(m).toMatchObject({
			layer: 'meldingen',
			title: 'Lamp kapot',
			category: 'straatverlichting',
			theme: 'openbare-ruimte',
			status: 'in_behandeling'
		});
		expect(m.createdAt!.toISOString()).toBe('2025-05-03T12:15:00.000Z');
		const [lon, lat] = (m.geometry as { coordinates: number[] }).coordinates;
		// RD 136000,455800 lies in Utrecht, west of the centre.
		expect(lon).toBeCloseTo(5.1102, 3);
		expect(lat).toBeCloseTo(52.0897, 3);
	});

	it('maps initiatives with budgets and a rejection reason, and a theme for all rows', () => {
		const rows = mapCsv(
			'naam,lat,lon,status,aangevraagd_bedrag,fonds,reden_afwijzing\n' +
				'Moestuin,52.09,5.12,afgewezen,"€ 1.250,50",wijkbudget,Past niet in het fonds\n' +
				'Bankjes,52.09,5.12,idee,,,\n',
			{ layer: 'initiatieven', theme: 'groen-water' }
		);
		expect(rows[0]).toMatchObject({
			theme: 'groen-water',
			status: 'afgewezen',
			details: {
				budgetRequested: 1250.5,
				fund: 'wijkbudget',
				rejectionReason: 'Past niet in het fonds'
			}
		});
		expect(rows[1]).toMatchObject({ status: 'idee', details: {} });
	});

	it('gives one-line Dutch errors for unknown theme, status, category and missing location', () => {
		const opts: MapOptions = { layer: 'projecten' };
		expect(() => mapCsv('titel,thema,lat,lon\nA,sport,52,5\n', opts)).toThrow(
			/^onbekend thema "sport"; toegestaan: openbare-ruimte, groen-water/
		);
		expect(() => mapCsv('titel,thema,status,lat,lon\nA,verkeer,klaar,52,5\n', opts)).toThrow(
			'onbekende status "klaar" voor projecten; toegestaan: verkenning, ontwerp, besluitvorming, uitvoering, opgeleverd'
		);
		expect(() =>
			mapCsv('titel,categorie,lat,lon\nA,hondenpoep,52,5\n', { layer: 'meldingen' })
		).toThrow(/^onbekende categorie "hondenpoep"; toegestaan: straatverlichting/);
		expect(() => mapCsv('titel,thema\nA,verkeer\n', opts)).toThrow(/geen locatie/);
		expect(() => mapCsv('titel,lat,lon\nA,52,5\n', opts)).toThrow(/thema ontbreekt: geef --theme/);
		expect(() =>
			mapCsv('titel,thema,lat,lon\nA,verkeer,52,5\n', {
				layer: 'initiatieven',
				fields: {},
				theme: null
			})
		).not.toThrow();
		expect(() =>
			mapCsv('titel,thema,status,lat,lon\nA,verkeer,afgewezen,52,5\n', { layer: 'initiatieven' })
		).toThrow(/reden van afwijzing/);
		expect(() => mapCsv('titel,thema,lat,lon\nA,verkeer,95,5\n', opts)).toThrow(/buiten lengte/);
	});

	it('takes GeoJSON geometry, also in RD New', () => {
		const opts: MapOptions = { layer: 'projecten', theme: 'verkeer' };
		const rec = (coords: number[][]) => ({
			ref: 'feature 1',
			props: { naam: 'Fietsstraat' },
			geometry: { type: 'LineString' as const, coordinates: coords }
		});
		const mapping = fieldMapping(['naam'], opts);
		expect(
			toItem(
				rec([
					[5.1, 52.1],
					[5.11, 52.1]
				]),
				mapping,
				opts,
				tax
			).geometry.coordinates
		).toEqual([
			[5.1, 52.1],
			[5.11, 52.1]
		]);
		const rd = toItem(
			rec([
				[136000, 455800],
				[136100, 455800]
			]),
			mapping,
			opts,
			tax
		).geometry.coordinates as number[][];
		expect(rd[0][0]).toBeCloseTo(5.1102, 3);
		expect(rd[1][0]).toBeGreaterThan(rd[0][0]);
	});
});

describe('amounts and dates in layer fields', () => {
	it('reads euro amounts as Dutch and English spreadsheets write them', () => {
		const cases: [string, number][] = [
			['€ 125.000', 125000],
			['€ 1.250,50', 1250.5],
			['1250.5', 1250.5],
			['1,25', 1.25],
			['€ 2.500,-', 2500]
		];
		for (const [text, euros] of cases) expect(parseMoney(text)).toBe(euros);
		expect(parseMoney('veel')).toBeNaN();
	});

	it('reads dates as YYYY-MM-DD or DD-MM-YYYY and refuses impossible ones', () => {
		const start = DETAIL_FIELDS.projecten.find((f) => f.key === 'plannedStart')!;
		expect(detailValue(start, '01-03-2026')).toBe('2026-03-01');
		expect(detailValue(start, '2026-03-01')).toBe('2026-03-01');
		expect(() => detailValue(start, '2026-02-30')).toThrow(
			/plannedStart: "2026-02-30" is geen datum/
		);
	});
});

describe('CSV output', () => {
	it('neutralises formulas and quotes what needs it', () => {
		expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
		for (const c of ['+31', '-1', '@SUM(A1)']) expect(csvCell(c)).toBe(`"'${c}"`);
		expect(csvCell('Kerkweg 3; achterom')).toBe('"Kerkweg 3; achterom"');
		expect(csvCell(null)).toBe('""');
		expect(csvLine(['a', 1, true])).toBe('"a",1,"ja"\r\n');
	});
});
