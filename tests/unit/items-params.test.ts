import { describe, expect, it } from 'vitest';
import {
	decodeCursor,
	encodeCursor,
	ParamError,
	parseItemQuery
} from '../../src/lib/domain/filters.ts';

const THEMES = ['groen-water', 'verkeer', 'veiligheid'];
const parse = (qs: string) => parseItemQuery(new URLSearchParams(qs), THEMES);
const error = (qs: string) => {
	try {
		parse(qs);
	} catch (err) {
		expect(err).toBeInstanceOf(ParamError);
		return (err as Error).message;
	}
	throw new Error(`geen fout voor ${qs}`);
};

describe('GET /api/items parameters', () => {
	it('has sensible defaults', () => {
		expect(parse('')).toEqual({
			layers: [],
			themes: [],
			statuses: [],
			area: null,
			bbox: null,
			from: null,
			to: null,
			q: null,
			limit: 500,
			after: null,
			near: null,
			count: false,
			format: 'geojson',
			all: false,
			dialect: { sep: ',', decimal: '.' }
		});
	});

	it('combines repeated and comma-separated layer/theme/status values, without duplicates', () => {
		const q = parse(
			'layer=meldingen&layer=projecten,meldingen&theme=verkeer,groen-water&status=gemeld&status=ontwerp'
		);
		expect(q.layers).toEqual(['meldingen', 'projecten']);
		expect(q.themes).toEqual(['verkeer', 'groen-water']);
		expect(q.statuses).toEqual(['gemeld', 'ontwerp']);
	});

	it('names the parameter and lists the accepted values for unknown layer, theme or status', () => {
		expect(error('layer=wegen')).toBe(
			'onbekende layer "wegen"; toegestaan: initiatieven, projecten, meldingen, bijeenkomsten'
		);
		expect(error('theme=sport')).toBe(
			'onbekend theme "sport"; toegestaan: groen-water, verkeer, veiligheid'
		);
		expect(error('status=open')).toMatch(/^onbekende status "open"; toegestaan: idee, aangevraagd/);
		// A status must belong to one of the chosen layers.
		expect(error('layer=meldingen&status=ontwerp')).toBe(
			'onbekende status "ontwerp"; toegestaan: gemeld, in_behandeling, ingepland, afgehandeld, heropend, geannuleerd'
		);
	});

	it('reads a bbox and refuses a malformed one', () => {
		expect(parse('bbox=5.0,52.0,5.2,52.2').bbox).toEqual([5, 52, 5.2, 52.2]);
		expect(parse('bbox=-0.5,-1,0.5,1').bbox).toEqual([-0.5, -1, 0.5, 1]);
		expect(error('bbox=5,52,5.2')).toMatch(/^bbox moet vier getallen zijn.*kreeg 3/);
		expect(error('bbox=5,52,5.2,52.2,1')).toMatch(/kreeg 5/);
		expect(error('bbox=5.2,52,5.0,52.2')).toMatch(/^bbox: minimum groter dan maximum/);
		expect(error('bbox=5,52.2,5.2,52')).toMatch(/^bbox: minimum groter dan maximum/);
		expect(error('bbox=5,52,200,52.2')).toMatch(/^bbox valt buiten/);
		expect(error('bbox=5,-91,5.2,52')).toMatch(/^bbox valt buiten/);
		expect(error('bbox=a,52,5.2,52.2')).toMatch(/^bbox bevat iets anders dan getallen/);
		expect(error('bbox=5,52,,52.2')).toMatch(/^bbox bevat/);
		expect(error('bbox=1e1,52,20,52.2')).toMatch(/^bbox bevat/);
		expect(error('bbox=5,52,5.2,52.2&bbox=1,2,3,4')).toBe(
			'parameter bbox mag maar één keer voorkomen'
		);
	});

	it('reads dates as whole days or instants and refuses bad ones', () => {
		const q = parse('from=2025-01-01&to=2025-01-31');
		expect(q.from!.toISOString()).toBe('2025-01-01T00:00:00.000Z');
		// A date-only `to` includes that whole day.
		expect(q.to!.toISOString()).toBe('2025-02-01T00:00:00.000Z');
		expect(parse('from=2025-01-01T10:00:00+01:00').from!.toISOString()).toBe(
			'2025-01-01T09:00:00.000Z'
		);
		expect(error('from=2025-02-30')).toMatch(/^from "2025-02-30" is geen geldige datum/);
		expect(error('to=gisteren')).toMatch(/^to "gisteren" is geen datum/);
		expect(error('from=2025-01-01T10:00')).toMatch(/^from .* is geen datum/);
		expect(error('from=2025-02-01&to=2025-01-01')).toBe('from moet voor to liggen');
	});

	it('reads near as lon,lat and refuses it with a cursor or malformed', () => {
		expect(parse('near=5.1,52.09').near).toEqual([5.1, 52.09]);
		expect(error('near=5.1')).toMatch(/near/);
		expect(error('near=5.1,52,1')).toMatch(/near/);
		expect(error('near=200,52')).toMatch(/near/);
		expect(error('near=5.1,52.09&cursor=' + encodeCursor(5))).toMatch(/cursor/);
	});

	it('accepts limit 1…5000 only', () => {
		expect(parse('limit=1').limit).toBe(1);
		expect(parse('limit=5000').limit).toBe(5000);
		for (const bad of ['0', '-3', '2.5', 'tien', ''])
			expect(error(`limit=${bad}`)).toMatch(/^limit moet een positief geheel getal zijn/);
		expect(error('limit=5001')).toMatch(/^limit mag hoogstens 5000 zijn/);
	});

	it('round-trips an opaque cursor and refuses a forged one', () => {
		expect(decodeCursor(encodeCursor(123456))).toBe(123456);
		expect(parse(`cursor=${encodeCursor(42)}`).after).toBe(42);
		expect(error('cursor=42')).toMatch(/^cursor is ongeldig/);
		expect(error('cursor=%%%')).toMatch(/^cursor is ongeldig/);
	});

	it('checks format, count, area and q', () => {
		expect(parse('format=csv&count=true&area=0311&q=%20lantaarn%20').format).toBe('csv');
		expect(parse('count=1').count).toBe(true);
		expect(parse('q=%20lantaarn%20').q).toBe('lantaarn');
		expect(parse('area=0311').area).toBe('0311');
		expect(error('format=xml')).toBe('onbekend format "xml"; toegestaan: geojson, csv, gpkg');
		expect(error('count=ja')).toBe('count moet true of false zijn');
		expect(error('area=03%20%3B')).toMatch(/^area .* is geen gebiedscode/);
		expect(error(`q=${'x'.repeat(201)}`)).toBe('q is langer dan 200 tekens');
	});
});
