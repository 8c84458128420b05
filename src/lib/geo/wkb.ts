import type { Geometry, Position } from 'geojson';

/**
 * GeoJSON geometry as little-endian 2D WKB (OGC Simple Features), for GeoPackage and other
 * binary exports.
 */
export function toWkb(g: Geometry): Uint8Array {
	const bytes: Uint8Array[] = [];
	let size = 0;
	const push = (b: Uint8Array) => {
		bytes.push(b);
		size += b.length;
	};
	const u32 = (n: number) => {
		const b = new Uint8Array(4);
		new DataView(b.buffer).setUint32(0, n, true);
		push(b);
	};
	const head = (type: number) => {
		push(Uint8Array.of(1));
		u32(type);
	};
	const points = (ps: Position[]) => {
		u32(ps.length);
		const b = new Uint8Array(16 * ps.length);
		const v = new DataView(b.buffer);
		ps.forEach((p, i) => {
			v.setFloat64(16 * i, p[0], true);
			v.setFloat64(16 * i + 8, p[1], true);
		});
		push(b);
	};
	const write = (x: Geometry) => {
		switch (x.type) {
			case 'Point':
				head(1);
				push(new Uint8Array(new Float64Array([x.coordinates[0], x.coordinates[1]]).buffer));
				break;
			case 'LineString':
				head(2);
				points(x.coordinates);
				break;
			case 'Polygon':
				head(3);
				u32(x.coordinates.length);
				x.coordinates.forEach(points);
				break;
			case 'MultiPoint':
				head(4);
				u32(x.coordinates.length);
				x.coordinates.forEach((c) => write({ type: 'Point', coordinates: c }));
				break;
			case 'MultiLineString':
				head(5);
				u32(x.coordinates.length);
				x.coordinates.forEach((c) => write({ type: 'LineString', coordinates: c }));
				break;
			case 'MultiPolygon':
				head(6);
				u32(x.coordinates.length);
				x.coordinates.forEach((c) => write({ type: 'Polygon', coordinates: c }));
				break;
			case 'GeometryCollection':
				head(7);
				u32(x.geometries.length);
				x.geometries.forEach(write);
				break;
		}
	};
	write(g);
	const out = new Uint8Array(size);
	let o = 0;
	for (const b of bytes) {
		out.set(b, o);
		o += b.length;
	}
	return out;
}

/** [minX, minY, maxX, maxY] of a geometry's coordinates. */
export function envelope(g: Geometry): [number, number, number, number] {
	const e: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
	const visit = (c: unknown) => {
		if (Array.isArray(c) && typeof c[0] === 'number') {
			e[0] = Math.min(e[0], c[0]);
			e[1] = Math.min(e[1], c[1] as number);
			e[2] = Math.max(e[2], c[0]);
			e[3] = Math.max(e[3], c[1] as number);
		} else if (Array.isArray(c)) c.forEach(visit);
	};
	if (g.type !== 'GeometryCollection') visit(g.coordinates);
	else
		for (const x of g.geometries) {
			const [a, b, c, d] = envelope(x);
			visit([
				[a, b],
				[c, d]
			]);
		}
	return e;
}
