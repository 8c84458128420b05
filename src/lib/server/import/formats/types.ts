import type { Feature } from 'geojson';
import type { Crs } from '../../../geo/rd.ts';

/** What a file says about its coordinates: RD, WGS84, nothing (decide from the numbers), or something else. */
export type DeclaredCrs = Crs | null | { unknown: string };

/** One table of features in a file: a GeoPackage layer, a shapefile, or a GeoJSON file. */
export interface SpatialLayer {
	name: string;
	crs: DeclaredCrs;
	/** Attribute names, in file order; never the geometry column. */
	fields: string[];
	count: number;
	/** Distinct values of one attribute, with how often each occurs (cheap on a GeoPackage). */
	distinct(field: string): Promise<Map<string, number>>;
	/** The features, optionally only those whose `where.field` is one of `where.values`. */
	read(where?: { field: string; values: string[] }): Promise<Feature[]>;
}

export type SpatialFormat = 'geojson' | 'gpkg' | 'shapezip';

export interface SpatialFile {
	format: SpatialFormat;
	layers: SpatialLayer[];
	close(): void;
}
