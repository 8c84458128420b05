import type { MultiPolygon, Position } from 'geojson';

/** Even-odd ray casting; holes count because they are rings too. */
export function insideRing([x, y]: Position, ring: Position[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

export function insideMultiPolygon(p: Position, mp: MultiPolygon): boolean {
	return mp.coordinates.some((poly) =>
		poly.reduce((acc, ring) => acc !== insideRing(p, ring), false)
	);
}
