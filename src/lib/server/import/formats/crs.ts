import type { DeclaredCrs } from './types.ts';

/**
 * A coordinate system named by an EPSG code or described by WKT (a .prj, a GeoPackage's
 * gpkg_spatial_ref_sys definition), as far as the import cares: RD New, WGS84, or another.
 */
export function crsFromEpsgOrWkt(epsg: number | null, wkt: string | null): DeclaredCrs {
	if (epsg === 28992) return 'rd';
	if (epsg === 4326) return 'wgs84';
	const text = wkt ?? '';
	if (
		/RD[_ ]New|Stereographic_North_Pole|Amersfoort.*Stereographic|"28992"|EPSG",\s*28992/i.test(
			text
		)
	)
		return 'rd';
	// Geographic WGS84 without a projection: PROJCS/PROJCRS means projected coordinates.
	if (/^\s*GEOG(CS|CRS)\[/i.test(text) && /WGS[_ ]?(19)?84/i.test(text)) return 'wgs84';
	if (text.trim() === '' && (epsg === null || epsg <= 0)) return null;
	return { unknown: epsg && epsg > 0 ? `EPSG:${epsg}` : text.slice(0, 60) };
}
