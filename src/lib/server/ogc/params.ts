import { parseDate } from '../../domain/filters.ts';
import { CRS84, findCrs, SUPPORTED_CRS, type Crs } from './crs.ts';
import { OgcError } from './messages.ts';

/** OGC API Features Part 1 recommends 10; GDAL asks for its own page size anyway. */
export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 5000;

export type Format = 'json' | 'html';

/** What a request for features asks, already checked. */
export interface FeatureParams {
	limit: number;
	bbox: [number, number, number, number] | null;
	bboxCrs: Crs;
	/** Inclusive start and exclusive end of the datetime filter. */
	from: Date | null;
	to: Date | null;
	crs: Crs;
	/** Keyset position: features after (next) or before (prev) this key. */
	cursor: { dir: 'after' | 'before'; key: string } | null;
	/** Queryable property → accepted values (OR). */
	filters: Record<string, string[]>;
}

export interface Queryable {
	type: 'string';
	title: string;
	enum?: string[];
}

const COMMON = ['f', 'limit', 'bbox', 'bbox-crs', 'datetime', 'crs', 'cursor', 'before'];

export function parseFormat(params: URLSearchParams, accept: string | null): Format {
	const f = params.get('f');
	if (f !== null) {
		if (f === 'json' || f === 'geojson' || f === 'application/json' || f === 'application/geo+json')
			return 'json';
		if (f === 'html' || f === 'text/html') return 'html';
		throw new OgcError(400, 'InvalidParameterValue', 'badFormat', {
			value: f,
			allowed: 'json, html'
		});
	}
	// A browser asks for text/html first; GDAL, QGIS and fetch() ask for JSON or anything.
	return /^\s*text\/html/i.test(accept ?? '') ? 'html' : 'json';
}

/** Only `f` (and nothing unknown) on the resources that are not feature lists. */
export function checkOnly(params: URLSearchParams, allowed: readonly string[] = ['f']): void {
	for (const name of new Set(params.keys())) {
		if (!allowed.includes(name))
			throw new OgcError(400, 'InvalidParameterValue', 'unknownParam', {
				name,
				allowed: allowed.join(', ')
			});
	}
}

export function parseCrsParam(params: URLSearchParams, name: 'crs' | 'bbox-crs'): Crs {
	const raw = params.get(name);
	if (raw === null) return CRS84;
	const crs = findCrs(raw);
	if (!crs)
		throw new OgcError(400, 'InvalidParameterValue', 'badCrs', {
			value: raw,
			name,
			allowed: SUPPORTED_CRS.map((c) => c.uri).join(', ')
		});
	return crs;
}

/**
 * The query of GET /ogc/collections/{id}/items. Every parameter the API does not define is a
 * 400 (/req/core/query-param-unknown), so a misspelt filter never silently returns everything.
 */
export function parseFeatureParams(
	params: URLSearchParams,
	queryables: Record<string, Queryable>
): FeatureParams {
	const allowed = [...COMMON, ...Object.keys(queryables)];
	checkOnly(params, allowed);
	for (const name of COMMON) {
		// The same value twice is harmless: GDAL repeats a parameter of the opening URL when a link encodes it differently.
		if (new Set(params.getAll(name)).size > 1)
			throw new OgcError(400, 'InvalidParameterValue', 'twice', { name });
	}
	const filters: Record<string, string[]> = {};
	for (const [name, q] of Object.entries(queryables)) {
		const values = [
			...new Set(
				params
					.getAll(name)
					.flatMap((v) => v.split(','))
					.map((v) => v.trim())
					.filter(Boolean)
			)
		];
		for (const v of values) {
			if (q.enum && !q.enum.includes(v))
				throw new OgcError(400, 'InvalidParameterValue', 'badValue', {
					value: v,
					name,
					allowed: q.enum.join(', ')
				});
		}
		if (values.length) filters[name] = values;
	}
	const bboxCrs = parseCrsParam(params, 'bbox-crs');
	const cursorRaw = params.get('cursor');
	const beforeRaw = params.get('before');
	if (cursorRaw !== null && beforeRaw !== null)
		throw new OgcError(400, 'InvalidParameterValue', 'badCursor', { name: 'cursor/before' });
	return {
		limit: parseLimit(params.get('limit')),
		bbox: parseBbox(params.get('bbox'), bboxCrs),
		bboxCrs,
		...parseDatetime(params.get('datetime')),
		crs: parseCrsParam(params, 'crs'),
		cursor:
			cursorRaw !== null
				? { dir: 'after', key: decodeKey(cursorRaw, 'cursor') }
				: beforeRaw !== null
					? { dir: 'before', key: decodeKey(beforeRaw, 'before') }
					: null,
		filters
	};
}

function parseLimit(raw: string | null): number {
	if (raw === null) return OGC_DEFAULT_LIMIT;
	if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1)
		throw new OgcError(400, 'InvalidParameterValue', 'badLimit', { value: raw });
	// Part 1: a limit above the maximum is not an error; the maximum applies.
	return Math.min(Number(raw), OGC_MAX_LIMIT);
}

function parseBbox(raw: string | null, crs: Crs): FeatureParams['bbox'] {
	if (raw === null) return null;
	const nums = raw
		.split(',')
		.map((p) => (/^\s*[-+]?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(p) ? Number(p) : NaN));
	const bad = () => new OgcError(400, 'InvalidParameterValue', 'badBbox', { crs: crs.uri });
	if ((nums.length !== 4 && nums.length !== 6) || nums.some(Number.isNaN)) throw bad();
	// A 3D box (minx,miny,minz,maxx,maxy,maxz): the heights do not matter for a flat map.
	const [minX, minY, maxX, maxY] = nums.length === 6 ? [nums[0], nums[1], nums[3], nums[4]] : nums;
	if (
		crs.srid === 4326 &&
		([minX, maxX].some((x) => Math.abs(x) > 180) || [minY, maxY].some((y) => Math.abs(y) > 90))
	)
		throw bad();
	if (minY > maxY || minX > maxX) throw bad();
	return [minX, minY, maxX, maxY];
}

/** RFC 3339 instant, a date, or an interval start/end with `..` (or nothing) for an open end. */
export function parseDatetime(raw: string | null): { from: Date | null; to: Date | null } {
	if (raw === null) return { from: null, to: null };
	const bad = () => new OgcError(400, 'InvalidParameterValue', 'badDatetime', { value: raw });
	const one = (text: string, end: boolean): Date | null => {
		if (text === '..' || text === '') return null;
		try {
			const d = parseDate(text.replace(/z$/, 'Z').replace(/t/, 'T'), 'datetime', end);
			// An instant is a closed end: include it by moving the exclusive bound one millisecond on.
			return d && end && !/^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(d.getTime() + 1) : d;
		} catch {
			throw bad();
		}
	};
	const parts = raw.split('/');
	if (parts.length === 1) {
		if (raw === '..' || raw === '') throw bad();
		return { from: one(raw, false), to: one(raw, true) };
	}
	if (parts.length !== 2 || (parts[0] === '..' && parts[1] === '..')) throw bad();
	const from = one(parts[0], false);
	const to = one(parts[1], true);
	if (from && to && from >= to) throw bad();
	return { from, to };
}

export function encodeKey(key: string | number): string {
	return Buffer.from(`k${key}`, 'utf8').toString('base64url');
}

function decodeKey(raw: string, name: string): string {
	const text = /^[A-Za-z0-9_-]{1,200}$/.test(raw)
		? Buffer.from(raw, 'base64url').toString('utf8')
		: '';
	if (!text.startsWith('k') || text.length < 2)
		throw new OgcError(400, 'InvalidParameterValue', 'badCursor', { name });
	return text.slice(1);
}
