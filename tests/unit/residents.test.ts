import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	normalisePostcode,
	parseAddressQuery,
	rankNames,
	scoreName
} from '../../src/lib/domain/address.ts';
import {
	circlePolygon,
	distanceMetres,
	likelyDuplicates,
	parseRadius,
	radiusBox,
	withinRadius
} from '../../src/lib/domain/nearby.ts';
import {
	hashToken,
	isTokenShape,
	newToken,
	trackingNumber
} from '../../src/lib/server/residents/tracking.ts';
import { sniffImage } from '../../src/lib/server/residents/photo.ts';

const cand = (name: string, similarity = 0) => ({ norm: name.toLowerCase(), similarity, name });

describe('address queries and ranking', () => {
	it('splits street, house number and postcode the way residents type them', () => {
		expect(parseAddressQuery('Oudegracht 12a')).toEqual({
			text: 'oudegracht',
			houseNumber: '12a',
			postcode: null
		});
		expect(parseAddressQuery('3512 jk 7')).toEqual({
			text: '',
			houseNumber: '7',
			postcode: '3512JK'
		});
		expect(parseAddressQuery('Thomas à Kempisweg')).toEqual({
			text: 'thomas a kempisweg',
			houseNumber: null,
			postcode: null
		});
		expect(parseAddressQuery('2e Daalsedijk')).toMatchObject({
			text: '2e daalsedijk',
			houseNumber: null
		});
		expect(normalisePostcode('0123AB')).toBeNull();
	});

	it('ranks "oudegr" to Oudegracht: prefix above word prefix above fuzzy, shorter names first', () => {
		const names = [
			cand('Oude Gracht Zijstraat', 0.3),
			cand('Oudegracht aan de Werf', 0.4),
			cand('Nieuwegracht', 0.35),
			cand('Oudegracht', 0.5),
			cand('Kromme Oudegr', 0.2)
		];
		expect(rankNames('oudegr', names).map((n) => n.name)).toEqual([
			'Oudegracht',
			'Oudegracht aan de Werf',
			'Kromme Oudegr',
			'Oude Gracht Zijstraat',
			'Nieuwegracht'
		]);
		expect(scoreName('oudegracht', cand('Oudegracht'))).toBeGreaterThan(
			scoreName('oudegracht', cand('Oudegracht aan de Werf'))
		);
		// A typo still finds the street by trigram similarity; unrelated names drop out.
		expect(
			rankNames('vleutensweg', [cand('Vleutenseweg', 0.6), cand('Amsterdamsestraatweg', 0.05)]).map(
				(n) => n.name
			)
		).toEqual(['Vleutenseweg']);
	});
});

describe('near me (pure part)', () => {
	const home: [number, number] = [5.1, 52.09];
	it('accepts only 250, 500 and 1000 m, 500 by default', () => {
		expect([null, '', '250', '1000', '300', 'x'].map(parseRadius)).toEqual([
			500,
			500,
			250,
			1000,
			null,
			null
		]);
	});

	it('keeps what lies inside the circle, nearest first, ties by id', () => {
		const items = [
			{ id: 3, distance: 120 },
			{ id: 1, distance: 499.9 },
			{ id: 2, distance: 120 },
			{ id: 4, distance: 501 }
		];
		expect(withinRadius(items, 500).map((i) => i.id)).toEqual([2, 3, 1]);
	});

	it('the index box always contains the circle', () => {
		fc.assert(
			fc.property(
				fc.double({ min: 50.7, max: 53.6, noNaN: true }),
				fc.double({ min: 3.3, max: 7.2, noNaN: true }),
				fc.constantFrom(250, 500, 1000),
				(lat, lon, r) => {
					const [w, s, e, n] = radiusBox([lon, lat], r);
					return circlePolygon([lon, lat], r * 0.999, 16).every(
						([x, y]) => x >= w && x <= e && y >= s && y <= n
					);
				}
			)
		);
		expect(distanceMetres(home, [5.101, 52.09])).toBeCloseTo(68.5, 0);
	});

	it('offers as duplicates only open meldingen of the same category within 50 m', () => {
		const c = [
			{ id: 1, category: 'afval', open: true, distance: 49 },
			{ id: 2, category: 'afval', open: false, distance: 10 },
			{ id: 3, category: 'graffiti', open: true, distance: 5 },
			{ id: 4, category: 'afval', open: true, distance: 51 },
			{ id: 5, category: 'afval', open: true, distance: 3 }
		];
		expect(likelyDuplicates('afval', c).map((d) => d.id)).toEqual([5, 1]);
	});
});

describe('tracking tokens', () => {
	it('are 256-bit, unguessable, and only their sha256 is kept', () => {
		const tokens = Array.from({ length: 200 }, newToken);
		expect(new Set(tokens).size).toBe(200);
		for (const t of tokens) expect(isTokenShape(t)).toBe(true);
		expect(hashToken('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
		expect(hashToken(tokens[0])).toMatch(/^[0-9a-f]{64}$/);
		expect(isTokenShape('../../etc/passwd')).toBe(false);
		expect(trackingNumber('meldingen', 42, new Date('2026-03-01'))).toBe('M-2026-000042');
		expect(trackingNumber('initiatieven', 7, new Date('2026-03-01'))).toBe('I-2026-000007');
	});
});

describe('photo type by content', () => {
	it('reads the magic bytes, not the name', () => {
		expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
		expect(sniffImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
			'image/png'
		);
		expect(sniffImage(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
		expect(sniffImage(new TextEncoder().encode('GIF89a......'))).toBeNull();
		expect(sniffImage(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeNull();
	});
});
