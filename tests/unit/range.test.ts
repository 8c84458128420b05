import { describe, expect, it } from 'vitest';
import { parseRange } from '../../src/lib/server/tiles/range.ts';

describe('HTTP Range for the tile archive', () => {
	it('reads the forms MapLibre and pmtiles send', () => {
		expect(parseRange('bytes=0-16383', 100_000)).toEqual({ start: 0, end: 16383 });
		expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
		expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
		expect(parseRange('bytes=0-16383', 5000)).toEqual({ start: 0, end: 4999 });
		expect(parseRange(null, 1000)).toBeNull();
	});

	it('refuses ranges past the end', () => {
		expect(parseRange('bytes=5000-6000', 1000)).toBe('unsatisfiable');
		expect(parseRange('bytes=9-3', 1000)).toBe('unsatisfiable');
		expect(parseRange('bytes=-', 1000)).toBe('unsatisfiable');
	});
});
