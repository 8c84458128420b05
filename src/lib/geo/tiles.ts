/** Web Mercator tile arithmetic (XYZ scheme, as MapLibre requests tiles). */

export const MAX_TILE_ZOOM = 22;
/** From this zoom on, item tiles hold every item; below it, counts per grid cell. */
export const DETAIL_ZOOM = 14;
/** A vector tile's side on screen, in CSS pixels (MapLibre's default for vector sources). */
export const TILE_PX = 512;
/** A count bubble's side on screen, in CSS pixels: the map draws it, the tiles keep bubbles this far apart. */
export const BUBBLE_PX = 40;
/** A single item's symbol on the map, in CSS pixels. */
export const ICON_PX = 22;

export function isValidTile(z: number, x: number, y: number): boolean {
	if (![z, x, y].every(Number.isInteger) || z < 0 || z > MAX_TILE_ZOOM) return false;
	const n = 2 ** z;
	return x >= 0 && x < n && y >= 0 && y < n;
}

function lon(x: number, z: number): number {
	return (x / 2 ** z) * 360 - 180;
}

function lat(y: number, z: number): number {
	const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
	return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/**
 * [west, south, east, north] in WGS84 of a tile, grown on each side by `buffer` as a fraction
 * of the tile's size so features straddling the edge are drawn whole.
 */
export function tileBounds(
	z: number,
	x: number,
	y: number,
	buffer = 0
): [number, number, number, number] {
	return [lon(x - buffer, z), lat(y + 1 + buffer, z), lon(x + 1 + buffer, z), lat(y - buffer, z)];
}

/** A WGS84 position in tile units at zoom z (tile x.fraction, y.fraction). */
function tileFraction(lon: number, lat: number, z: number): [number, number] {
	const n = 2 ** z;
	const r = (lat * Math.PI) / 180;
	return [
		((lon + 180) / 360) * n,
		((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n
	];
}

/** The tile at zoom z that holds a WGS84 position. */
export function tileOf(lon: number, lat: number, z: number): [number, number] {
	const n = 2 ** z;
	const [tx, ty] = tileFraction(lon, lat, z);
	return [
		Math.min(n - 1, Math.max(0, Math.floor(tx))),
		Math.min(n - 1, Math.max(0, Math.floor(ty)))
	];
}

/** A WGS84 position in the pixels of tile z/x/y (0..extent across the tile, rounded as geojson-vt does). */
export function tilePixel(
	lon: number,
	lat: number,
	z: number,
	x: number,
	y: number,
	extent: number
): [number, number] {
	const [tx, ty] = tileFraction(lon, lat, z);
	return [Math.round((tx - x) * extent), Math.round((ty - y) * extent)];
}
