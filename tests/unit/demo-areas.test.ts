import { describe, expect, it } from 'vitest';
import intersect from '@turf/intersect';
import { featureCollection } from '@turf/helpers';
import area from '@turf/area';
import { generateDemoMunicipality } from '../../src/lib/server/demo/areas.ts';

describe('demo municipality Voorbeeldstad', () => {
	const demo = generateDemoMunicipality();

	it('has at least 6 wijken and 40 buurten with unique codes and names', () => {
		expect(demo.wijken.features.length).toBeGreaterThanOrEqual(6);
		expect(demo.buurten.features.length).toBeGreaterThanOrEqual(40);
		const codes = demo.buurten.features.map((f) => f.properties!.BU_CODE);
		expect(new Set(codes).size).toBe(codes.length);
		const names = demo.buurten.features.map((f) => f.properties!.BU_NAAM);
		expect(new Set(names).size).toBe(names.length);
	});

	it('is the same on every run', () => {
		expect(JSON.stringify(generateDemoMunicipality())).toBe(JSON.stringify(demo));
	});

	it('nests every buurt inside its wijk, with plausible sizes', () => {
		const wijkByCode = new Map(demo.wijken.features.map((w) => [w.properties!.WK_CODE, w]));
		for (const b of demo.buurten.features) {
			const wijk = wijkByCode.get(b.properties!.WK_CODE);
			expect(wijk, b.properties!.BU_NAAM).toBeDefined();
			const m2 = area(b);
			expect(m2).toBeGreaterThan(50_000); // > 5 ha
			expect(m2).toBeLessThan(10_000_000); // < 10 km²
			// Coordinates are rounded to 1e-6°, so compare areas rather than test strict containment.
			const inside = intersect(featureCollection([b, wijk!]));
			expect(area(inside!) / m2, b.properties!.BU_NAAM).toBeGreaterThan(0.999);
		}
		// Buurten tile their wijk: no gaps, no overlaps.
		for (const w of demo.wijken.features) {
			const parts = demo.buurten.features.filter(
				(b) => b.properties!.WK_CODE === w.properties!.WK_CODE
			);
			const sum = parts.reduce((s, b) => s + area(b), 0);
			expect(Math.abs(sum - area(w)) / area(w)).toBeLessThan(0.005);
		}
	});

	it('adds buurt populations up to the wijk population', () => {
		for (const w of demo.wijken.features) {
			const sum = demo.buurten.features
				.filter((b) => b.properties!.WK_CODE === w.properties!.WK_CODE)
				.reduce((s, b) => s + b.properties!.AANT_INW, 0);
			expect(w.properties!.AANT_INW).toBe(sum);
		}
	});
});
