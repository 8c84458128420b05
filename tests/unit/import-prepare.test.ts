import { describe, expect, it } from 'vitest';
import distance from '@turf/distance';
import { prepareAreas } from '../../src/lib/server/import/areas.ts';
import { pdokUrls } from '../../src/lib/server/import/pdok.ts';
import { messageText, type Lang, type Message } from '../../src/lib/i18n/localize.ts';

/** Report lines are messages; each reader shows them in its language. */
const inLang = (lang: Lang, lines: Message[]) =>
	lines.map((m) => messageText(lang, m.code, m.params));

const square = (x: number, y: number, d: number) => [
	[x, y],
	[x + d, y],
	[x + d, y + d],
	[x, y + d],
	[x, y]
];
const fc = (features: unknown[], extra: object = {}) => ({
	type: 'FeatureCollection',
	features,
	...extra
});
const feature = (properties: object, ring: number[][]) => ({
	type: 'Feature',
	properties,
	geometry: { type: 'Polygon', coordinates: [ring] }
});

describe('prepareAreas (the checks before the store)', () => {
	it('normalises to MultiPolygon, closes open rings, drops repeated points and reports both', () => {
		const open = square(5.1, 52.1, 0.01).slice(0, 4);
		const repeated = square(5.2, 52.1, 0.01);
		repeated.splice(2, 0, repeated[1]);
		const p = prepareAreas(
			fc([
				feature({ BU_CODE: 'BU1', BU_NAAM: 'Een', WK_CODE: 'WK1', AANT_INW: -99999999 }, open),
				feature({ BU_CODE: 'BU2', BU_NAAM: 'Twee', AANT_INW: 1234 }, repeated)
			])
		);
		expect(p.fields).toEqual({
			code: 'BU_CODE',
			name: 'BU_NAAM',
			population: 'AANT_INW',
			parent: 'WK_CODE'
		});
		expect(p.areas.map((a) => [a.code, a.name, a.parent, a.population])).toEqual([
			['BU1', 'Een', 'WK1', null],
			['BU2', 'Twee', null, 1234]
		]);
		expect(p.areas[0].geometry.type).toBe('MultiPolygon');
		expect(p.areas[0].geometry.coordinates[0][0]).toHaveLength(5);
		expect(p.areas[1].geometry.coordinates[0][0]).toHaveLength(5);
		expect(inLang('nl', p.repaired)).toEqual([
			'feature 1 (BU1): 1 ring(en) gesloten, 0 dubbele punt(en) verwijderd',
			'feature 2 (BU2): 0 ring(en) gesloten, 1 dubbele punt(en) verwijderd'
		]);
		expect(inLang('en', p.repaired)).toEqual([
			'feature 1 (BU1): 1 ring(s) closed, 0 repeated point(s) removed',
			'feature 2 (BU2): 0 ring(s) closed, 1 repeated point(s) removed'
		]);
	});

	it('keeps alphanumeric codes and leading zeros; negative CBS sentinels are unknown, never a population', () => {
		const p = prepareAreas(
			fc([
				feature(
					{
						buurtcode: 'BU0363AF01',
						buurtnaam: 'Kop Zeedijk',
						wijkcode: 'WK0363AF',
						aantal_inwoners: -99997
					},
					square(4.9, 52.37, 0.001)
				),
				feature(
					{ buurtcode: '0111', buurtnaam: 'Nul', wijkcode: '01', aantal_inwoners: '-99995' },
					square(4.91, 52.37, 0.001)
				),
				feature(
					{ buurtcode: '007', buurtnaam: 'Geheim', wijkcode: '00', aantal_inwoners: -99999999 },
					square(4.92, 52.37, 0.001)
				),
				feature(
					{
						buurtcode: 'BU0363AF02',
						buurtnaam: 'Bekend',
						wijkcode: 'WK0363AF',
						aantal_inwoners: '1 234'
					},
					square(4.93, 52.37, 0.001)
				)
			])
		);
		expect(p.areas.map((a) => [a.code, a.parent, a.population])).toEqual([
			['BU0363AF01', 'WK0363AF', null],
			['0111', '01', null],
			['007', '00', null],
			['BU0363AF02', 'WK0363AF', 1234]
		]);
	});

	it('reprojects RD New, by its numbers or by the crs member', () => {
		const rd = feature({ code: 'A', naam: 'Amersfoort' }, square(155_000, 463_000, 100));
		for (const input of [
			fc([rd]),
			fc([rd], { crs: { type: 'name', properties: { name: 'EPSG:28992' } } })
		]) {
			const p = prepareAreas(input);
			expect(p.crs).toBe('rd');
			expect(
				distance(p.areas[0].geometry.coordinates[0][0][0], [5.38720621, 52.1551744], {
					units: 'meters'
				})
			).toBeLessThan(1);
		}
	});

	it('names the feature that does not fit', () => {
		const wgs = feature({ KODE: '01' }, square(5.1, 52.1, 0.01));
		expect(() =>
			prepareAreas(
				fc([wgs], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } } })
			)
		).toThrow(/feature 1 \(01\): bevat WGS84-coördinaten in een RD-bestand/);
		expect(() =>
			prepareAreas(fc([wgs], { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }))
		).toThrow(/onbekend coördinatenstelsel/);
		expect(() =>
			prepareAreas(fc([wgs, feature({ KODE: '02' }, square(130_000, 455_000, 100)), wgs]))
		).toThrow(/feature 2 \(02\): bevat RD-coördinaten/);
		expect(() => prepareAreas(fc([feature({ OBJECTID: 1 }, square(5.1, 52.1, 0.01))]))).toThrow(
			/geen code- of naameigenschap.*OBJECTID/
		);
		expect(() => prepareAreas(fc([wgs]), { fields: { code: 'BUURT' } })).toThrow(
			/"BUURT" \(--code\)/
		);
	});

	it('skips unusable features only when asked, and lists them', () => {
		const point = {
			type: 'Feature',
			properties: { KODE: '02' },
			geometry: { type: 'Point', coordinates: [5.1, 52.1] }
		};
		const input = fc([feature({ KODE: '01' }, square(5.1, 52.1, 0.01)), point]);
		expect(() => prepareAreas(input)).toThrow(/feature 2 \(02\): geometrie is Point/);
		const p = prepareAreas(input, { skipInvalid: true });
		expect(p.areas.map((a) => a.code)).toEqual(['01']);
		expect(inLang('nl', p.rejected)).toEqual([
			'feature 2 (02): geometrie is Point; verwacht Polygon of MultiPolygon'
		]);
		expect(inLang('en', p.rejected)).toEqual([
			'feature 2 (02): geometry is Point; expected Polygon or MultiPolygon'
		]);
	});
});

describe('PDOK URLs', () => {
	it('fills in the year and asks for one gemeente as JSON, a page at a time', () => {
		const u = pdokUrls(
			'https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1/',
			'GM0344',
			'2024'
		);
		const w = new URL(u.wijken);
		expect(w.origin + w.pathname).toBe(
			'https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1/collections/wijken/items'
		);
		expect(Object.fromEntries(w.searchParams)).toEqual({
			f: 'json',
			limit: '1000',
			gemeentecode: 'GM0344'
		});
		expect(new URL(u.buurten).pathname).toBe(
			'/cbs/wijken-en-buurten-2024/ogc/v1/collections/buurten/items'
		);
	});
});
