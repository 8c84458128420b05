import type { MultiPolygon } from 'geojson';

/** A level of the area hierarchy; depth 0 is the coarsest (e.g. wijk in Utrecht, stadsdeel in Amsterdam). */
export interface AreaLevel {
	name: string;
	depth: number;
}

/** Public properties of an area, as the API and the tiles carry them. */
export interface AreaProperties {
	code: string;
	name: string;
	level: string;
	/** Code of the containing area one level coarser, or null. */
	parent: string | null;
	population: number | null;
}

/** An area ready to be written: normalised, validated, in WGS84. */
export interface AreaInput {
	code: string;
	name: string;
	parent: string | null;
	population: number | null;
	geometry: MultiPolygon;
}

/** Level names are data; these are the ones whose pages have a short route. */
export const WIJK_LEVEL = 'wijk';

export function areaHref(level: string, code: string): string {
	return level === WIJK_LEVEL
		? `/wijk/${encodeURIComponent(code)}`
		: `/gebied/${encodeURIComponent(level)}/${encodeURIComponent(code)}`;
}
