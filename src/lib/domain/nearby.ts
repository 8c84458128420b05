/** "Near me": the radii a resident can choose and the distance rules, shared by page and API. */
export const RADII = [250, 500, 1000] as const;
export type Radius = (typeof RADII)[number];
export const DEFAULT_RADIUS: Radius = 500;
/** Open meldingen of the same category this close are offered as "Is het dit?". */
export const DUPLICATE_DISTANCE = 50;

export function parseRadius(raw: string | null | undefined): Radius | null {
	if (raw === null || raw === undefined || raw === '') return DEFAULT_RADIUS;
	const n = Number(raw);
	return (RADII as readonly number[]).includes(n) ? (n as Radius) : null;
}

const EARTH = 6_371_008.8;

/** Great-circle distance in metres (within a metre of PostGIS geography at city scale). */
export function distanceMetres(
	[lon1, lat1]: [number, number],
	[lon2, lat2]: [number, number]
): number {
	const rad = Math.PI / 180;
	const dLat = (lat2 - lat1) * rad;
	const dLon = (lon2 - lon1) * rad;
	const a =
		Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A box that certainly holds the circle: the cheap index filter before the exact distance. */
export function radiusBox(
	[lon, lat]: [number, number],
	metres: number
): [number, number, number, number] {
	const dLat = (metres / EARTH) * (180 / Math.PI) * 1.01;
	const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
	return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
}

export interface Located {
	/** Distance in metres to the nearest point of the item's geometry. */
	distance: number;
}

/** Inside the circle, nearest first; equal distances by id for a stable list. */
export function withinRadius<T extends Located & { id: number }>(items: T[], metres: number): T[] {
	return items
		.filter((i) => i.distance <= metres)
		.sort((a, b) => a.distance - b.distance || a.id - b.id);
}

export interface DuplicateCandidate extends Located {
	id: number;
	category: string | null;
	open: boolean;
}

/** Which existing meldingen the resident may mean: same category, still open, within 50 m. */
export function likelyDuplicates<T extends DuplicateCandidate>(
	category: string,
	candidates: T[]
): T[] {
	return withinRadius(
		candidates.filter((c) => c.category === category && c.open),
		DUPLICATE_DISTANCE
	);
}

/** A circle as a polygon (for drawing the radius on the map). */
export function circlePolygon(
	[lon, lat]: [number, number],
	metres: number,
	steps = 64
): [number, number][] {
	const dLat = (metres / EARTH) * (180 / Math.PI);
	const dLon = dLat / Math.cos((lat * Math.PI) / 180);
	const ring: [number, number][] = [];
	for (let i = 0; i <= steps; i++) {
		const a = (i / steps) * 2 * Math.PI;
		ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
	}
	return ring;
}
