import { AppError, msg } from './errors.ts';
import type { Message } from '../i18n/localize.ts';
import { csvDialect, type CsvDialect } from './csv.ts';
import { ALL_STATUSES, LAYERS, STATUSES, isLayer, type Layer } from './layers.ts';

/** What GET /api/items can be asked; see the README's API section. */
export interface ItemQuery {
	layers: Layer[];
	themes: string[];
	statuses: string[];
	/** Area code at any level. */
	area: string | null;
	/** [minLon, minLat, maxLon, maxLat] in WGS84, or [minX, minY, maxX, maxY] in bboxSrid. */
	bbox: [number, number, number, number] | null;
	/** The SRID of bbox when it is not WGS84 (/ogc's bbox-crs, e.g. 28992). */
	bboxSrid?: number;
	/** Inclusive lower bound on the item's relevant date. */
	from: Date | null;
	/** Exclusive upper bound (a date-only `to` includes that whole day). */
	to: Date | null;
	q: string | null;
	limit: number;
	/** Keyset cursor: items with a smaller id come next. */
	after: number | null;
	/** Rank by distance to this point [lon, lat], nearest first: one page, no cursor. */
	near?: [number, number] | null;
	count: boolean;
	format: 'geojson' | 'csv' | 'gpkg';
	/** A download (csv, gpkg) without `limit`: every matching item, not one page. */
	all: boolean;
	/** CSV separator and decimal mark (`sep=;` for Excel with Dutch settings). */
	dialect: CsvDialect;
}

export const DEFAULT_LIMIT = 500;
export const MAX_LIMIT = 5000;
const SINGLE = [
	'area',
	'bbox',
	'from',
	'to',
	'q',
	'limit',
	'cursor',
	'count',
	'format',
	'sep',
	'near'
] as const;
export const ITEM_FORMATS = ['geojson', 'csv', 'gpkg'] as const;

/** A query parameter refused (400); `field` names the parameter. */
export class ParamError extends AppError {
	constructor(text: string | Message, field?: string) {
		super(text, { status: 400, field });
	}
}

/** C0 control characters except tab and line breaks, and DEL. */
export const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Reads the query string of GET /api/items. Repeatable filters (layer, theme, status) may
 * be given several times or comma-separated and combine with OR; the other parameters may
 * appear once. Throws ParamError with a Dutch message naming the parameter.
 */
export function parseItemQuery(params: URLSearchParams, themeIds: readonly string[]): ItemQuery {
	for (const name of SINGLE) {
		if (params.getAll(name).length > 1)
			throw new ParamError(msg('errors.param.once', { name }), name);
	}
	const layers = list(params, 'layer');
	for (const l of layers) {
		if (!isLayer(l))
			throw new ParamError(
				msg('errors.param.layer', { value: l, allowed: LAYERS.join(', ') }),
				'layer'
			);
	}
	const themes = list(params, 'theme');
	for (const t of themes) {
		if (!themeIds.includes(t))
			throw new ParamError(
				msg('errors.param.theme', { value: t, allowed: themeIds.join(', ') }),
				'theme'
			);
	}
	const statuses = list(params, 'status');
	const allowed = layers.length
		? [...new Set((layers as Layer[]).flatMap((l) => STATUSES[l].map((s) => s.id)))]
		: ALL_STATUSES;
	for (const s of statuses) {
		if (!allowed.includes(s))
			throw new ParamError(
				msg('errors.param.status', { value: s, allowed: allowed.join(', ') }),
				'status'
			);
	}
	const area = one(params, 'area');
	if (area !== null && !/^[\p{L}\p{N}._:-]{1,64}$/u.test(area))
		throw new ParamError(msg('errors.param.area', { value: area }), 'area');
	const from = parseDate(one(params, 'from'), 'from', false);
	const to = parseDate(one(params, 'to'), 'to', true);
	if (from && to && from >= to) throw new ParamError(msg('errors.param.fromTo'), 'from');
	const q = one(params, 'q')?.trim() || null;
	if (q && q.length > 200) throw new ParamError(msg('errors.param.qLong'), 'q');
	// PostgreSQL refuses a NUL byte in text outright; other control characters are never a search.
	if (q && CONTROL.test(q)) throw new ParamError(msg('errors.param.qControl'), 'q');
	const format = one(params, 'format') ?? 'geojson';
	if (!(ITEM_FORMATS as readonly string[]).includes(format))
		throw new ParamError(
			msg('errors.param.format', { value: format, allowed: ITEM_FORMATS.join(', ') }),
			'format'
		);
	const dialect = csvDialect(one(params, 'sep'));
	if (!dialect) throw new ParamError(msg('errors.param.sep'), 'sep');
	const near = parseNear(one(params, 'near'));
	if (near && params.has('cursor')) throw new ParamError(msg('errors.param.nearCursor'), 'near');
	const count = one(params, 'count');
	if (count !== null && !['true', 'false', '1', '0'].includes(count))
		throw new ParamError(msg('errors.param.count'), 'count');
	return {
		layers: layers as Layer[],
		themes,
		statuses,
		area,
		bbox: parseBbox(one(params, 'bbox')),
		from,
		to,
		q,
		limit: parseLimit(one(params, 'limit')),
		after: decodeCursor(one(params, 'cursor')),
		near,
		count: count === 'true' || count === '1',
		format: format as ItemQuery['format'],
		all: format !== 'geojson' && one(params, 'limit') === null,
		dialect
	};
}

export function parseBbox(raw: string | null): ItemQuery['bbox'] {
	if (raw === null) return null;
	const parts = raw.split(',');
	if (parts.length !== 4)
		throw new ParamError(msg('errors.param.bboxFour', { n: parts.length }), 'bbox');
	const nums = parts.map((p) => (/^\s*-?\d+(\.\d+)?\s*$/.test(p) ? Number(p) : NaN));
	if (nums.some((n) => Number.isNaN(n)))
		throw new ParamError(msg('errors.param.bboxNumbers', { value: raw }), 'bbox');
	const [minLon, minLat, maxLon, maxLat] = nums;
	if (
		[minLon, maxLon].some((x) => x < -180 || x > 180) ||
		[minLat, maxLat].some((y) => y < -90 || y > 90)
	) {
		throw new ParamError(msg('errors.param.bboxRange'), 'bbox');
	}
	if (minLon > maxLon || minLat > maxLat)
		throw new ParamError(msg('errors.param.bboxOrder'), 'bbox');
	return [minLon, minLat, maxLon, maxLat];
}

export function parseNear(raw: string | null): [number, number] | null {
	if (raw === null) return null;
	const parts = raw.split(',');
	const nums = parts.map((p) => (/^\s*-?\d+(\.\d+)?\s*$/.test(p) ? Number(p) : NaN));
	if (
		nums.length !== 2 ||
		nums.some((n) => Number.isNaN(n)) ||
		Math.abs(nums[0]) > 180 ||
		Math.abs(nums[1]) > 90
	) {
		throw new ParamError(msg('errors.param.near', { value: raw }), 'near');
	}
	return [nums[0], nums[1]];
}

export function parseLimit(raw: string | null): number {
	if (raw === null) return DEFAULT_LIMIT;
	if (!/^\d+$/.test(raw) || Number(raw) < 1)
		throw new ParamError(msg('errors.param.limit', { value: raw }), 'limit');
	const n = Number(raw);
	if (n > MAX_LIMIT)
		throw new ParamError(msg('errors.param.limitMax', { max: MAX_LIMIT }), 'limit');
	return n;
}

/** YYYY-MM-DD (a day) or a full ISO 8601 timestamp with zone. */
export function parseDate(raw: string | null, name: string, endOfDay: boolean): Date | null {
	if (raw === null || raw === '') return null;
	if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
		const d = new Date(`${raw}T00:00:00Z`);
		if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw)
			throw new ParamError(msg('errors.param.dateInvalid', { name, value: raw }), name);
		return endOfDay ? new Date(d.getTime() + 86_400_000) : d;
	}
	// An unencoded "+01:00" arrives as " 01:00".
	const instant = raw.replace(/ (\d{2}:\d{2})$/, '+$1');
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(instant)) {
		const d = new Date(instant);
		if (!Number.isNaN(d.getTime())) return d;
	}
	throw new ParamError(msg('errors.param.date', { name, value: raw }), name);
}

export function encodeCursor(id: number): string {
	return btoa(`i${id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(raw: string | null): number | null {
	if (raw === null) return null;
	let text = '';
	try {
		if (/^[A-Za-z0-9_-]{1,24}$/.test(raw)) text = atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
	} catch {
		/* not base64: reported below */
	}
	const m = /^i(\d{1,15})$/.exec(text);
	if (!m) throw new ParamError(msg('errors.param.cursor'), 'cursor');
	return Number(m[1]);
}

function list(params: URLSearchParams, name: string): string[] {
	const values = params
		.getAll(name)
		.flatMap((v) => v.split(','))
		.map((v) => v.trim())
		.filter(Boolean);
	return [...new Set(values)];
}

function one(params: URLSearchParams, name: string): string | null {
	return params.get(name);
}
