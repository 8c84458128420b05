import type { Geometry, Position } from 'geojson';

/**
 * GeoJSON geometry as WKT (OGC Simple Features), so a CSV keeps lines and areas whole.
 * Coordinates are written as they are (lon lat, WGS84).
 */
export function toWkt(g: Geometry): string {
	const pos = (p: Position) => `${p[0]} ${p[1]}`;
	const line = (ps: Position[]) => `(${ps.map(pos).join(', ')})`;
	const poly = (rings: Position[][]) => `(${rings.map(line).join(', ')})`;
	switch (g.type) {
		case 'Point':
			return `POINT (${pos(g.coordinates)})`;
		case 'MultiPoint':
			return g.coordinates.length
				? `MULTIPOINT (${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})`
				: 'MULTIPOINT EMPTY';
		case 'LineString':
			return `LINESTRING ${line(g.coordinates)}`;
		case 'MultiLineString':
			return g.coordinates.length
				? `MULTILINESTRING (${g.coordinates.map(line).join(', ')})`
				: 'MULTILINESTRING EMPTY';
		case 'Polygon':
			return `POLYGON ${poly(g.coordinates)}`;
		case 'MultiPolygon':
			return g.coordinates.length
				? `MULTIPOLYGON (${g.coordinates.map(poly).join(', ')})`
				: 'MULTIPOLYGON EMPTY';
		case 'GeometryCollection':
			return g.geometries.length
				? `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})`
				: 'GEOMETRYCOLLECTION EMPTY';
	}
}
