/**
 * SQL for a geometry as RFC 7946 GeoJSON: exterior rings counter-clockwise, holes clockwise
 * (§3.1.6), whatever orientation the source file had. Every public GeoJSON output uses it.
 */
export function geojsonSql(expr: string, digits = 6): string {
	return `ST_AsGeoJSON(ST_ForcePolygonCCW(${expr}), ${digits})`;
}
