/**
 * Coordinate reference systems of /ogc (OGC API Features Part 2, CRS by reference). The store
 * keeps WGS84 (SRID 4326); PostGIS transforms on the way out, so RD New coordinates come from
 * the same PROJ definition everywhere the store uses RD.
 */
export interface Crs {
	uri: string;
	srid: number;
	/** Decimals in GeoJSON: ~10 cm for degrees, 1 cm for metres. */
	precision: number;
}

export const CRS84: Crs = {
	uri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84',
	srid: 4326,
	precision: 6
};
export const RD_NEW: Crs = {
	uri: 'http://www.opengis.net/def/crs/EPSG/0/28992',
	srid: 28992,
	precision: 2
};
export const SUPPORTED_CRS: readonly Crs[] = [CRS84, RD_NEW];

/** Other spellings clients use for the same systems (safe CURIEs, EPSG codes, the https form). */
const ALIASES: Record<string, Crs> = {
	'[ogc:crs84]': CRS84,
	'ogc:crs84': CRS84,
	crs84: CRS84,
	'[epsg:28992]': RD_NEW,
	'epsg:28992': RD_NEW
};

/** The CRS a `crs` or `bbox-crs` value names, or null when it is not one we serve. */
export function findCrs(raw: string): Crs | null {
	const value = raw.trim().replace(/^https:/, 'http:');
	return SUPPORTED_CRS.find((c) => c.uri === value) ?? ALIASES[value.toLowerCase()] ?? null;
}

/** The Content-Crs header value (Part 2: the URI in angle brackets). */
export function contentCrs(crs: Crs): string {
	return `<${crs.uri}>`;
}
