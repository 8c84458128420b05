import { readFileSync } from 'node:fs';
import path from 'node:path';
import { geoMercator, geoPath } from 'd3';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { forD3 } from '../../src/lib/geo/d3-winding';

/** Planar signed area (shoelace) in lon/lat: > 0 is counter-clockwise, as RFC 7946 wants outer rings. */
const signed = (ring: Position[]) =>
	ring.reduce((a, p, i) => (i ? a + (ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1]) : a), 0) / 2;
const orient = (ring: Position[], ccw: boolean) =>
	signed(ring) > 0 === ccw ? ring : [...ring].reverse();

const wijken = JSON.parse(
	readFileSync(
		path.resolve(import.meta.dirname, '../../../shared/data/utrecht/wijk.geojson'),
		'utf8'
	)
).features as {
	geometry: Polygon | MultiPolygon;
}[];

describe('still maps drawn with d3-geo', () => {
	it.each([true, false])(
		'draw each Utrecht wijk as its shape inside the frame, whatever the winding (outer counter-clockwise: %s)',
		(ccw) => {
			const W = 640;
			const H = 420;
			for (const { geometry } of wijken) {
				const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
				const given: MultiPolygon = {
					type: 'MultiPolygon',
					coordinates: polys.map(([outer, ...holes]) => [
						orient(outer, ccw),
						...holes.map((h) => orient(h, !ccw))
					])
				};
				const shape = forD3(given);
				const projection = geoMercator().fitExtent(
					[
						[12, 12],
						[W - 12, H - 12]
					],
					{ type: 'Feature', geometry: shape, properties: {} }
				);
				const drawn = geoPath(projection).area(shape);
				// Independent: the shoelace area of the projected outer rings, in pixels.
				const expected = polys.reduce(
					(sum, [outer]) =>
						sum + Math.abs(signed(outer.map((p) => projection(p as [number, number])!))),
					0
				);
				expect(drawn / expected).toBeGreaterThan(0.97);
				expect(drawn / expected).toBeLessThan(1.03);
				expect(drawn).toBeLessThan(W * H * 0.95);
			}
		}
	);
});
