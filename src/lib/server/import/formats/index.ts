import { msg } from '../../../domain/errors.ts';
import type { Feature, FeatureCollection } from 'geojson';
import { ImportError, parseFeatureCollection } from '../areas.ts';
import { crsFromMember } from '../../../geo/rd.ts';
import { isGeoPackage, readGeoPackage } from './gpkg.ts';
import { isZip, readShapeZip } from './shapezip.ts';
import type { DeclaredCrs, SpatialFile, SpatialLayer } from './types.ts';

export type { DeclaredCrs, SpatialFile, SpatialLayer, SpatialFormat } from './types.ts';

/**
 * Any area file the portal reads, recognised by its first bytes rather than its name: a
 * GeoPackage, a zip of shapefiles, or GeoJSON text.
 */
export async function readSpatialFile(
	bytes: Uint8Array,
	name: string,
	maxUnzipped = 4 * bytes.length + 64 * 1024 * 1024
): Promise<SpatialFile> {
	if (bytes.length === 0) throw new ImportError(msg('errors.import.empty'));
	if (isGeoPackage(bytes)) return readGeoPackage(bytes);
	if (isZip(bytes)) return readShapeZip(bytes, maxUnzipped);
	const text = new TextDecoder().decode(bytes);
	const fc = parseFeatureCollection(text) as FeatureCollection & { crs?: unknown };
	const declared = crsFromMember(fc.crs);
	const layer: SpatialLayer = {
		name: name.replace(/^.*[\\/]/, '').replace(/\.(geo)?json$/i, ''),
		crs: declared === 'unknown' ? { unknown: JSON.stringify(fc.crs).slice(0, 60) } : declared,
		fields: [
			...new Set(
				fc.features.flatMap((f) => Object.keys((f as { properties?: object })?.properties ?? {}))
			)
		],
		count: fc.features.length,
		async distinct(field) {
			const out = new Map<string, number>();
			for (const f of fc.features) {
				const v = (f as { properties?: Record<string, unknown> })?.properties?.[field];
				if (v != null) out.set(String(v), (out.get(String(v)) ?? 0) + 1);
			}
			return out;
		},
		async read(where) {
			if (!where) return fc.features;
			const values = new Set(where.values);
			return fc.features.filter((f) =>
				values.has(
					String((f as { properties?: Record<string, unknown> })?.properties?.[where.field])
				)
			);
		}
	};
	return { format: 'geojson', layers: [layer], close() {} };
}

/** The member prepareAreas reads, from what the file declared. */
export function crsMember(
	crs: DeclaredCrs
): { type: 'name'; properties: { name: string } } | undefined {
	if (crs === 'rd') return { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } };
	if (crs === 'wgs84')
		return { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } };
	if (crs && typeof crs === 'object') {
		throw new ImportError(msg('errors.import.crsUnknown', { crs: crs.unknown }));
	}
	return undefined;
}

/** A FeatureCollection for prepareAreas, carrying what the file declared about its coordinates. */
export function collection(
	features: Feature[],
	crs: DeclaredCrs
): { type: 'FeatureCollection'; features: Feature[]; crs?: unknown } {
	const member = crsMember(crs);
	return member
		? { type: 'FeatureCollection', features, crs: member }
		: { type: 'FeatureCollection', features };
}
