import { describe, expect, it } from 'vitest';
import { itemFromForm, localInput } from '../../src/lib/server/items/edit-form.ts';
import { ValidationError, parseCreate, parsePatch } from '../../src/lib/domain/item-edit.ts';
import { wgs84ToRd } from '../../src/lib/geo/rd.ts';

const form = (v: Record<string, string>) => {
	const f = new FormData();
	for (const [k, x] of Object.entries(v)) f.append(k, x);
	return f;
};
const fieldsOf = (fn: () => unknown) => {
	try {
		fn();
	} catch (err) {
		if (err instanceof ValidationError) return err.fields;
		throw err;
	}
	throw new Error('verwacht een ValidationError');
};

describe('staff item form', () => {
	it('takes a point from typed latitude/longitude with Dutch decimal commas, before a drawn shape', () => {
		const { raw } = itemFromForm(
			form({
				title: 'x',
				lat: '52,0907',
				lon: '5,1214',
				geometry: '{"type":"LineString","coordinates":[[5,52],[5.1,52]]}'
			}),
			'projecten'
		);
		expect(raw.geometry).toEqual({ type: 'Point', coordinates: [5.1214, 52.0907] });
	});

	it('takes a point from RD x/y, converted to WGS84', () => {
		const [x, y] = wgs84ToRd([5.1214, 52.0907]);
		const { raw } = itemFromForm(
			form({ title: 'x', rdX: String(x.toFixed(2)), rdY: String(y.toFixed(2)) }),
			'projecten'
		);
		const [lon, lat] = (raw.geometry as { coordinates: number[] }).coordinates;
		expect(lon).toBeCloseTo(5.1214, 5);
		expect(lat).toBeCloseTo(52.0907, 5);
	});

	it('refuses half-typed or impossible coordinates at the coordinate fields', () => {
		expect(fieldsOf(() => itemFromForm(form({ lat: '52.1' }), 'projecten')).point).toMatch(
			/allebei/
		);
		expect(fieldsOf(() => itemFromForm(form({ lat: '152', lon: '5' }), 'projecten')).point).toMatch(
			/tussen -90 en 90/
		);
		expect(fieldsOf(() => itemFromForm(form({ rdX: '1', rdY: '2' }), 'projecten')).point).toMatch(
			/RD x en y/
		);
		expect(
			fieldsOf(() => itemFromForm(form({ geometry: '{kapot' }), 'projecten')).geometry
		).toMatch(/onleesbaar/);
	});

	it('reads meeting times as Amsterdam wall-clock time, winter and summer, and writes them back the same', () => {
		const { raw } = itemFromForm(
			form({ title: 'x', startsAt: '2026-12-01T19:30', endsAt: '2026-07-01T19:30' }),
			'bijeenkomsten'
		);
		expect(raw.startsAt).toBe('2026-12-01T18:30:00.000Z');
		expect(raw.endsAt).toBe('2026-07-01T17:30:00.000Z');
		expect(localInput('2026-12-01T18:30:00.000Z')).toBe('2026-12-01T19:30');
	});

	it('keeps only the layer’s detail fields', () => {
		const { raw } = itemFromForm(
			form({ title: 'x', 'details.budget': '€ 1.250,50', 'details.venue': 'Buurthuis' }),
			'projecten'
		);
		expect(raw.details).toEqual({ budget: '€ 1.250,50' });
	});
});

describe('item input schema', () => {
	it('names each bad field in Dutch', () => {
		const f = fieldsOf(() =>
			parseCreate({ layer: 'wegen', title: '', geometry: { type: 'Circle' } })
		);
		expect(f.layer).toMatch(/Kies een laag/);
		expect(f.title).toMatch(/Vul een titel in/);
		expect(f.geometry).toMatch(/Teken een punt, lijn of vlak/);
	});
	it('refuses a patch that tries to change the layer or status, or sends unknown fields', () => {
		expect(fieldsOf(() => parsePatch({ layer: 'meldingen' }))._).toMatch(/Onbekend veld: layer/);
		expect(fieldsOf(() => parsePatch({ status: 'afgerond' }))._).toMatch(/Onbekend veld: status/);
	});
	it('needs a closed polygon ring with three corners and a line with two different points', () => {
		expect(
			fieldsOf(() =>
				parsePatch({
					geometry: {
						type: 'Polygon',
						coordinates: [
							[
								[5, 52],
								[5.1, 52],
								[5.1, 52.1]
							]
						]
					}
				})
			).geometry
		).toMatch(/niet gesloten/);
		expect(
			fieldsOf(() =>
				parsePatch({
					geometry: {
						type: 'LineString',
						coordinates: [
							[5, 52],
							[5, 52]
						]
					}
				})
			).geometry
		).toMatch(/twee verschillende/);
		expect(
			parsePatch({
				geometry: {
					type: 'Polygon',
					coordinates: [
						[
							[5, 52],
							[5.1, 52],
							[5.1, 52.1],
							[5, 52]
						]
					]
				}
			}).geometry?.type
		).toBe('Polygon');
	});
});
