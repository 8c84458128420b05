import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { encodeCursor, type ItemQuery } from '../../domain/filters.ts';
import { STATUSES } from '../../domain/layers.ts';
import { MIN_SENSITIVE_COUNT } from '../../domain/themes.ts';
import type { Sql } from '../db/types.ts';
import { geojsonSql } from '../db/geojson.ts';

/**
 * Public reads of items. Every query here starts from PUBLIC: never deleted, unpublished or
 * sensitive items, and never a column of melding_contact.
 */
export const PUBLIC = `i.deleted_at IS NULL AND i.published AND NOT i.sensitive`;
/** Signed-in staff also count sensitive meldingen (never their contents in a public list). */
const STAFF = `i.deleted_at IS NULL AND i.published`;
const OPEN_MELDING = STATUSES.meldingen.filter((s) => s.open).map((s) => `'${s.id}'`).join(', ');
/** Same rule as isOverdue() in src/lib/domain/sla.ts. */
export const OVERDUE = `(i.layer = 'meldingen' AND i.due_at < now() AND i.status IN (${OPEN_MELDING}))`;

export const LIST_COLUMNS = `i.id, i.layer, i.title, i.theme, i.themes, i.status, i.category, i.subcategory, i.areas,
	i.created_at, i.updated_at, i.starts_at, i.ends_at, i.due_at, i.relevant_at, ${OVERDUE} AS overdue`;

export interface ItemRow {
	id: number | string;
	layer: string;
	title: string;
	theme: string;
	themes: string[];
	status: string;
	category: string | null;
	subcategory: string | null;
	areas: Record<string, string>;
	created_at: Date | string;
	updated_at: Date | string;
	starts_at: Date | string | null;
	ends_at: Date | string | null;
	due_at: Date | string | null;
	relevant_at: Date | string;
	overdue: boolean;
	geometry: string;
}

export interface ItemProperties {
	id: number;
	layer: string;
	title: string;
	theme: string;
	themes: string[];
	status: string;
	category: string | null;
	subcategory: string | null;
	areas: Record<string, string>;
	createdAt: string;
	updatedAt: string;
	startsAt: string | null;
	endsAt: string | null;
	/** The date from/to filter on: the start of a meeting, else createdAt. */
	date: string;
	dueAt: string | null;
	overdue: boolean;
}

export class UnknownAreaError extends Error {}

export interface ItemPage extends FeatureCollection<Geometry, ItemProperties> {
	numberReturned: number;
	/** Given when cheap (all matches on the first page) or asked for with count=true. */
	numberMatched?: number;
	/** With count=true: the matches per layer and per theme. */
	numberMatchedBy?: { layer: Record<string, number>; theme: Record<string, number> };
	/** Cursor for the next page, or null at the end. */
	next: string | null;
}

export async function listItems(db: Sql, query: ItemQuery): Promise<ItemPage> {
	const { where, params } = await itemWhere(db, query);
	const keyset = query.after !== null ? ` AND i.id < $${params.push(query.after)}` : '';
	// Nearest first (the index answers <->), the newest first among equals.
	const order = query.near ? `i.geom <-> ST_SetSRID(ST_MakePoint($${params.push(query.near[0])}, $${params.push(query.near[1])}), 4326), i.id DESC` : 'i.id DESC';
	const rows = await db.query<ItemRow>(
		`SELECT ${LIST_COLUMNS}, ${geojsonSql('i.geom')} AS geometry
		 FROM item i WHERE ${where}${keyset}
		 ORDER BY ${order} LIMIT $${params.push(query.limit + 1)}`,
		params
	);
	const more = rows.length > query.limit;
	const page = more ? rows.slice(0, query.limit) : rows;
	const features = page.map(toFeature);
	const result: ItemPage = {
		type: 'FeatureCollection',
		numberReturned: features.length,
		// Ranked by distance there is no id to go on from.
		next: more && !query.near ? encodeCursor(Number(page[page.length - 1].id)) : null,
		features
	};
	if (query.count) Object.assign(result, await countMatched(db, query));
	else if (!more && query.after === null) result.numberMatched = features.length;
	return result;
}

/** How many items match, in all and per layer and per theme (the home map's filter counts). */
export async function countMatched(db: Sql, query: ItemQuery): Promise<Required<Pick<ItemPage, 'numberMatched' | 'numberMatchedBy'>>> {
	const { where, params } = await itemWhere(db, query);
	const rows = await db.query<{ layer: string; theme: string; n: number }>(`SELECT i.layer, i.theme, count(*)::int AS n FROM item i WHERE ${where} GROUP BY 1, 2`, params);
	const by: { layer: Record<string, number>; theme: Record<string, number> } = { layer: {}, theme: {} };
	let total = 0;
	for (const r of rows) {
		total += r.n;
		by.layer[r.layer] = (by.layer[r.layer] ?? 0) + r.n;
		by.theme[r.theme] = (by.theme[r.theme] ?? 0) + r.n;
	}
	return { numberMatched: total, numberMatchedBy: by };
}

/** How many items match, counted no further than `upTo` + 1: enough to tell "more than upTo". */
export async function countUpTo(db: Sql, query: ItemQuery, upTo: number): Promise<number> {
	const { where, params } = await itemWhere(db, query);
	const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM item i WHERE ${where} LIMIT ${Math.floor(upTo) + 1}) q`, params);
	return row.n;
}

/** Levels at which a code names an area; a code may in theory recur at several levels. */
async function areaLevels(db: Sql, code: string): Promise<string[]> {
	const rows = await db.query<{ level: string }>('SELECT level FROM area WHERE code = $1 ORDER BY level', [code]);
	return rows.map((r) => r.level);
}

export type Audience = 'public' | 'staff';

/** `%text%` for ILIKE, with the wildcards of the text itself escaped. */
export function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * The SQL condition on `item i` for the /api/items filters, shared by every read that takes
 * them (items, analysis). Parameters are numbered from $1; callers push their own after them.
 */
export async function itemWhere(db: Sql, query: ItemQuery, audience: Audience = 'public'): Promise<{ where: string; params: unknown[] }> {
	const params: unknown[] = [];
	const and: string[] = [audience === 'staff' ? STAFF : PUBLIC];
	const p = (v: unknown) => `$${params.push(v)}`;
	if (query.layers.length) and.push(`i.layer = ANY(${p(query.layers)}::text[])`);
	if (query.themes.length) and.push(`i.theme = ANY(${p(query.themes)}::text[])`);
	if (query.statuses.length) and.push(`i.status = ANY(${p(query.statuses)}::text[])`);
	if (query.area !== null) {
		const levels = await areaLevels(db, query.area);
		if (levels.length === 0) throw new UnknownAreaError(`onbekend gebied "${query.area}" (parameter area)`);
		// @> on the jsonb column uses its GIN index.
		and.push(`(${levels.map((l) => `i.areas @> ${p(JSON.stringify({ [l]: query.area }))}::jsonb`).join(' OR ')})`);
	}
	if (query.bbox) {
		const [a, b, c, d] = query.bbox.map(p);
		// && compares the index's float4 boxes, rounded outward, so it takes in items a hair outside
		// the box; the double-precision extent decides, so a count for the view is exact.
		if (!query.bboxSrid || query.bboxSrid === 4326) {
			const box = `ST_MakeEnvelope(${a}, ${b}, ${c}, ${d}, 4326)`;
			and.push(`i.geom && ${box} AND ST_Intersects(ST_Envelope(i.geom), ${box})`);
		}
		// A box in another CRS is not a box in WGS84: intersect with its transformed outline.
		else and.push(`ST_Intersects(i.geom, ST_Transform(ST_MakeEnvelope(${a}, ${b}, ${c}, ${d}, ${p(query.bboxSrid)}::int), 4326))`);
	}
	if (query.from) and.push(`i.relevant_at >= ${p(query.from.toISOString())}::timestamptz`);
	if (query.to) and.push(`i.relevant_at < ${p(query.to.toISOString())}::timestamptz`);
	if (query.q) {
		const like = p(likePattern(query.q));
		and.push(`(i.title ILIKE ${like} OR i.description ILIKE ${like})`);
	}
	return { where: and.join(' AND '), params };
}

function iso(v: Date | string | null): string | null {
	if (v === null) return null;
	return (v instanceof Date ? v : new Date(v)).toISOString();
}

function properties(r: ItemRow): ItemProperties {
	return {
		id: Number(r.id),
		layer: r.layer,
		title: r.title,
		theme: r.theme,
		themes: r.themes ?? [],
		status: r.status,
		category: r.category,
		subcategory: r.subcategory,
		areas: r.areas ?? {},
		createdAt: iso(r.created_at)!,
		updatedAt: iso(r.updated_at)!,
		startsAt: iso(r.starts_at),
		endsAt: iso(r.ends_at),
		date: iso(r.relevant_at)!,
		dueAt: iso(r.due_at),
		overdue: Boolean(r.overdue)
	};
}

export function toFeature(r: ItemRow): Feature<Geometry, ItemProperties> {
	return { type: 'Feature', id: Number(r.id), geometry: JSON.parse(r.geometry), properties: properties(r) };
}

export interface ItemDetail extends Omit<ItemProperties, 'areas'> {
	description: string;
	details: Record<string, unknown>;
	areas: { level: string; code: string; name: string }[];
	timeline: { at: string; from: string | null; to: string | null; text: string }[];
	links: { id: number; layer: string; title: string; status: string; theme: string; kind: string }[];
}

/** The public detail of one item, or null when there is none to show. */
export async function getItem(db: Sql, id: number): Promise<Feature<Geometry, ItemDetail> | null> {
	const [row] = await db.query<ItemRow & { description: string; details: Record<string, unknown> }>(
		`SELECT ${LIST_COLUMNS}, i.description, i.details, ${geojsonSql('i.geom')} AS geometry
		 FROM item i WHERE i.id = $1 AND ${PUBLIC}`,
		[id]
	);
	if (!row) return null;
	const [areas, timeline, links] = await Promise.all([
		db.query<{ level: string; code: string; name: string }>(
			`SELECT a.level, a.code, a.name FROM jsonb_each_text($1::jsonb) e(level, code)
			 JOIN area a ON a.level = e.level AND a.code = e.code
			 JOIN area_level l ON l.name = a.level ORDER BY l.depth`,
			[JSON.stringify(row.areas ?? {})]
		),
		db.query<{ at: Date | string; status_from: string | null; status_to: string | null; public_text: string }>(
			`SELECT at, status_from, status_to, public_text FROM item_update WHERE item_id = $1 ORDER BY at, id`,
			[id]
		),
		db.query<{ id: number | string; layer: string; title: string; status: string; theme: string; kind: string }>(
			`SELECT i.id, i.layer, i.title, i.status, i.theme, l.kind
			 FROM (SELECT linked_id AS other, kind FROM item_link WHERE item_id = $1
			       UNION SELECT item_id, kind FROM item_link WHERE linked_id = $1) l
			 JOIN item i ON i.id = l.other
			 WHERE ${PUBLIC} ORDER BY i.id`,
			[id]
		)
	]);
	const { areas: _codes, ...props } = properties(row);
	return {
		type: 'Feature',
		id: Number(row.id),
		geometry: JSON.parse(row.geometry),
		properties: {
			...props,
			description: row.description,
			details: row.details ?? {},
			areas,
			timeline: timeline.map((t) => ({ at: iso(t.at)!, from: t.status_from, to: t.status_to, text: t.public_text })),
			links: links.map((l) => ({ ...l, id: Number(l.id) }))
		}
	};
}

export interface AreaSummary {
	area: { level: string; code: string; name: string };
	/** Public items in the area. */
	total: number;
	overdue: number;
	counts: { layer: string; theme: string; status: string; count: number }[];
	/**
	 * Meldingen of sensitive categories, only as counts per area of the finest level, and only
	 * where a category reaches MIN_SENSITIVE_COUNT there.
	 */
	sensitive: { level: string; code: string; name: string; category: string; count: number }[];
}

export async function areaSummary(db: Sql, code: string, level: string | null): Promise<AreaSummary | null> {
	const [area] = await db.query<{ level: string; code: string; name: string }>(
		`SELECT a.level, a.code, a.name FROM area a JOIN area_level l ON l.name = a.level
		 WHERE a.code = $1 AND ($2::text IS NULL OR a.level = $2) ORDER BY l.depth LIMIT 1`,
		[code, level]
	);
	if (!area) return null;
	const inArea = JSON.stringify({ [area.level]: area.code });
	const counts = await db.query<{ layer: string; theme: string; status: string; count: number; overdue: number }>(
		`SELECT i.layer, i.theme, i.status, count(*)::int AS count, count(*) FILTER (WHERE ${OVERDUE})::int AS overdue
		 FROM item i WHERE i.areas @> $1::jsonb AND ${PUBLIC}
		 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
		[inArea]
	);
	const sensitive = await db.query<{ level: string; code: string; name: string; category: string; count: number }>(
		`WITH finest AS (SELECT name FROM area_level ORDER BY depth DESC LIMIT 1)
		 SELECT f.name AS level, a.code, a.name, s.category, s.count FROM (
		   SELECT i.areas ->> (SELECT name FROM finest) AS code, i.category, count(*)::int AS count
		   FROM item i
		   WHERE i.areas @> $1::jsonb AND i.sensitive AND i.deleted_at IS NULL AND i.published
		   GROUP BY 1, 2 HAVING count(*) >= $2
		 ) s
		 CROSS JOIN finest f JOIN area a ON a.level = f.name AND a.code = s.code
		 ORDER BY a.code, s.category`,
		[inArea, MIN_SENSITIVE_COUNT]
	);
	return {
		area,
		total: counts.reduce((n, c) => n + c.count, 0),
		overdue: counts.reduce((n, c) => n + c.overdue, 0),
		counts: counts.map(({ overdue: _o, ...c }) => c),
		sensitive
	};
}
