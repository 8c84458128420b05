import { geoArea } from 'd3';
import type { Geometry, Polygon, Position } from 'geojson';

/**
 * d3-geo draws on the sphere and reads a polygon's winding to know its inside: exterior rings
 * clockwise, the opposite of RFC 7946. A ring the other way round means "everything but this
 * shape", which fills the whole frame. A polygon whose spherical area is more than a hemisphere
 * is such a case (no wijk is that big): its rings are reversed. Pure, and the input is not changed.
 */
export function forD3<G extends Geometry>(geometry: G): G {
	const fix = (rings: Position[][]): Position[][] =>
		geoArea({ type: 'Polygon', coordinates: rings } as Polygon) > 2 * Math.PI
			? rings.map((r) => [...r].reverse())
			: rings;
	switch (geometry.type) {
		case 'Polygon':
			return { ...geometry, coordinates: fix(geometry.coordinates) };
		case 'MultiPolygon':
			return { ...geometry, coordinates: geometry.coordinates.map(fix) };
		case 'GeometryCollection':
			return { ...geometry, geometries: geometry.geometries.map(forD3) };
		default:
			return geometry;
	}
}
