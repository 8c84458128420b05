import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import distance from '@turf/distance';
import { crsFromMember, detectCrs, rdToWgs84, wgs84ToRd } from '../../src/lib/geo/rd.ts';

describe('RD New ⇄ WGS84', () => {
	it('puts the Amersfoort origin on its known WGS84 position within 1 m', () => {
		// Onze Lieve Vrouwetoren, the origin of RD: 155000, 463000 ≈ 52.15517 N, 5.38721 E (Bessel→WGS84).
		const p = rdToWgs84([155000, 463000]);
		expect(distance(p, [5.38720621, 52.1551744], { units: 'meters' })).toBeLessThan(1);
	});

	it('round-trips RD → WGS84 → RD within 1 cm anywhere in the Netherlands', () => {
		fc.assert(
			fc.property(
				fc.double({ min: 0, max: 280_000, noNaN: true }),
				fc.double({ min: 300_000, max: 620_000, noNaN: true }),
				(x, y) => {
					const [x2, y2] = wgs84ToRd(rdToWgs84([x, y]));
					return Math.hypot(x2 - x, y2 - y) < 0.01;
				}
			)
		);
	});

	it('round-trips WGS84 → RD → WGS84 within 1 cm over the Netherlands', () => {
		fc.assert(
			fc.property(
				fc.double({ min: 3.2, max: 7.3, noNaN: true }),
				fc.double({ min: 50.7, max: 53.7, noNaN: true }),
				(lon, lat) => {
					const back = wgs84ToRd([lon, lat]);
					return distance(rdToWgs84(back), [lon, lat], { units: 'meters' }) < 0.01;
				}
			)
		);
	});
});

describe('coordinate system detection', () => {
	it('recognises RD, WGS84 and the crs member', () => {
		expect(
			detectCrs([
				[136_000, 455_000],
				[140_000, 460_000]
			])
		).toBe('rd');
		expect(detectCrs([[5.1, 52.09]])).toBe('wgs84');
		expect(
			crsFromMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } })
		).toBe('rd');
		expect(
			crsFromMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } })
		).toBe('wgs84');
		expect(crsFromMember(undefined)).toBeNull();
	});

	it('refuses latitude-first and out-of-range coordinates with a message', () => {
		expect(() => detectCrs([[52.09, 5.1]])).toThrow(/omgedraaid/);
		expect(() => detectCrs([[9_000_000, 1]])).toThrow(/buiten RD New/);
	});
});
