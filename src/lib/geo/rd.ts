import proj4 from 'proj4';
import type { Position } from 'geojson';
import { msg } from '../domain/errors.ts';
import { GeometryError } from './polygons.ts';

/**
 * RD New (EPSG:28992), the Dutch national grid. The 7-parameter datum shift is what PDOK and
 * most GIS use without grid files; it is good to about a metre, which is plenty for wards.
 */
export const RD_NEW =
	'+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 ' +
	'+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';

const rd = proj4(RD_NEW, 'WGS84');

export function rdToWgs84([x, y]: Position): Position {
	return rd.forward([x, y]);
}

export function wgs84ToRd([lon, lat]: Position): Position {
	return rd.inverse([lon, lat]);
}

/** RD New's valid area, slightly widened: the Netherlands plus its coastal waters. */
export function looksLikeRd([x, y]: Position): boolean {
	return x >= -7_000 && x <= 300_000 && y >= 289_000 && y <= 629_000;
}

export function looksLikeWgs84([lon, lat]: Position): boolean {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** Latitude first, as some exports write it: for the Netherlands lat ≈ 50.7–53.7, lon ≈ 3.3–7.3. */
export function looksLikeSwappedDutchLatLon([a, b]: Position): boolean {
	return a >= 50 && a <= 54 && b >= 3 && b <= 7.5;
}

export function looksLikeDutchLonLat([lon, lat]: Position): boolean {
	return lon >= 3 && lon <= 7.5 && lat >= 50 && lat <= 54;
}

export type Crs = 'wgs84' | 'rd';

/** Reads a GeoJSON `crs` member (2008 spec) if there is one. */
export function crsFromMember(crs: unknown): Crs | null | 'unknown' {
	if (!crs || typeof crs !== 'object') return null;
	const name = String((crs as { properties?: { name?: unknown } }).properties?.name ?? '');
	if (/28992/.test(name)) return 'rd';
	if (/CRS84|4326|WGS ?84/i.test(name)) return 'wgs84';
	return 'unknown';
}

/**
 * Decides the coordinate system from sample positions. Throws a GeometryError when the
 * positions fit neither, or are latitude-first.
 */
export function detectCrs(sample: Position[]): Crs {
	if (sample.length === 0) throw new GeometryError(msg('errors.geometry.noCoordinates'));
	if (sample.every(looksLikeRd) && sample.some(([x, y]) => Math.abs(x) > 360 || Math.abs(y) > 360))
		return 'rd';
	if (sample.every(looksLikeWgs84)) {
		if (sample.every(looksLikeSwappedDutchLatLon)) {
			throw new GeometryError(msg('errors.geometry.latLon'));
		}
		return 'wgs84';
	}
	const [x, y] = sample.find((p) => !looksLikeWgs84(p))!;
	throw new GeometryError(msg('errors.geometry.outsideCrs', { x, y }));
}
