import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { encodeCursor, type ItemQuery } from '../../domain/filters.ts';
import { STATUSES } from '../../domain/layers.ts';
import { MIN_SENSITIVE_COUNT } from '../../domain/themes.ts';
import { AppError, msg } from '../../domain/errors.ts';
import type { Message } from '../../i18n/localize.ts';
import type { Sql } from '../db/types.ts';
import { geojsonSql } from '../db/geojson.ts';
import { publicTimeline } from './queries.ts';
import { placeholders } from '../db/params.ts';

/**
 * Public reads of items. Every query here starts from the view public_item (migration 017:
 * never deleted, unpublished or sensitive items), and never reads a column of melding_contact.
 */
/** Signed-in staff also count sensitive meldingen (never their contents in a public list). */
const STAFF = `i.deleted_at IS NULL AND i.published`;
/** The rows an audience reads, as `i`. */
const FROM: Record<Audience, string> = { public: 'public_item i', staff: 'item i' };
const OPEN_MELDING = STATUSES.meldingen
	.filter((s) => s.open)
	.map((s) => `'${s.id}'`)
	.join(', ');
/** Same rule as isOverdue() in src/lib/domain/sla.ts. */
export const OVERDUE = `(i.layer = 'meldingen' AND i.due_at < now() AND i.status IN (${OPEN_MELDING}))`;

export const LIST_COLUMNS = `i.id, i.layer, i.title, i.theme, i.themes, i.status, i.category, i.subcategory, i.areas,
	i.created_at, i.updated_at, i.starts_at, i.ends_at, i.due_at, i.relevant_at, ${OVERDUE} AS overdue`;

export interface ItemRow {
	id: number;
	layer: string;
	title: string;
	theme: string;
	themes: string[];
	status: string;
	category: string | null;
	subcategory: string | null;
	areas: Record<string, string>;
	created_at: Date;
	updated_at: Date;
	starts_at: Date | null;
	ends_at: Date | null;
	due_at: Date | null;
	relevant_at: Date;
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

/** An area= code no area has (400, about the parameter `area`). */
export class UnknownAreaError extends AppError {
	constructor(text: string | Message) {
		super(text, { status: 400, field: 'area' });
	}
}

export interface ItemPage extends FeatureCollection<Geometry, ItemProperties> {
	numberReturned: number;
	/** Given when cheap (all matches on the first page) or asked for with count=true. */
	numberMatched?: number;
	/** With count=true: the matches per layer and per theme. */
	numberMatchedBy?: { layer: Record<string, number>; theme: Record<string, number> };
	/** Cursor for the next page, or null at the end. */
	next: string | null;
}

/** One page of the list: the rows, the next cursor and, when asked or cheap, the number matched. */
async function itemPage(
	db: Sql,
	query: ItemQuery
): Promise<
	{ rows: ItemRow[]; next: string | null } & Pick<ItemPage, 'numberMatched' | 'numberMatchedBy'>
> {
	// One WHERE clause (and one area lookup) for the page and its count.
	const { from, where, params } = await itemWhere(db, query);
	const count = query.count ? countWhere(db, from, where, [...params]) : null;
	const p = placeholders(params);
	const keyset = query.after !== null ? ` AND i.id < ${p(query.after)}` : '';
	// Nearest first (the index answers <->), the newest first among equals.
	const order = query.near
		? `i.geom <-> ST_SetSRID(ST_MakePoint(${p(query.near[0])}, ${p(query.near[1])}), 4326), i.id DESC`
		: 'i.id DESC';
	const rows = await db.query<ItemRow>(
		`SELECT ${LIST_COLUMNS}, ${geojsonSql('i.geom')} AS geometry
		 FROM ${from} WHERE ${where}${keyset}
		 ORDER BY ${order} LIMIT ${p(query.limit + 1)}`,
		params
	);
	const more = rows.length > query.limit;
	const page = more ? rows.slice(0, query.limit) : rows;
	// Ranked by distance there is no id to go on from.
	const next = more && !query.near ? encodeCursor(page[page.length - 1].id) : null;
	if (count) return { rows: page, next, ...(await count) };
	return {
		rows: page,
		next,
		numberMatched: !more && query.after === null ? page.length : undefined
	};
}

export async function listItems(db: Sql, query: ItemQuery): Promise<ItemPage> {
	const { rows, next, numberMatched, numberMatchedBy } = await itemPage(db, query);
	const features = rows.map(toFeature);
	const result: ItemPage = {
		type: 'FeatureCollection',
		numberReturned: features.length,
		next,
		features
	};
	if (numberMatched !== undefined) result.numberMatched = numberMatched;
	if (numberMatchedBy) result.numberMatchedBy = numberMatchedBy;
	return result;
}

/**
 * The same page as listItems, as the JSON text /api/items sends: each geometry is PostGIS's
 * GeoJSON text put in as it is, never parsed into objects and serialised again.
 */
export async function listItemsJson(db: Sql, query: ItemQuery): Promise<string> {
	const { rows, next, numberMatched, numberMatchedBy } = await itemPage(db, query);
	const features = rows.map(
		(r) =>
			`{"type":"Feature","id":${r.id},"geometry":${r.geometry},"properties":${JSON.stringify(properties(r))}}`
	);
	const head = {
		type: 'FeatureCollection',
		numberReturned: rows.length,
		...(numberMatched !== undefined ? { numberMatched } : {}),
		...(numberMatchedBy ? { numberMatchedBy } : {}),
		next
	};
	return `${JSON.stringify(head).slice(0, -1)},"features":[${features.join(',')}]}`;
}

/** How many items match, counted no further than `upTo` + 1: enough to tell "more than upTo". */
export async function countUpTo(db: Sql, query: ItemQuery, upTo: number): Promise<number> {
	const { from, where, params } = await itemWhere(db, query);
	const [row] = await db.query<{ n: number }>(
		`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${Math.floor(upTo) + 1}) q`,
		params
	);
	return row.n;
}

/** How many items match, in all and per layer and per theme (the home map's filter counts). */
async function countWhere(
	db: Sql,
	from: string,
	where: string,
	params: unknown[]
): Promise<Required<Pick<ItemPage, 'numberMatched' | 'numberMatchedBy'>>> {
	const rows = await db.query<{ layer: string; theme: string; n: number }>(
		`SELECT i.layer, i.theme, count(*) AS n FROM ${from} WHERE ${where} GROUP BY 1, 2`,
		params
	);
	const by: { layer: Record<string, number>; theme: Record<string, number> } = {
		layer: {},
		theme: {}
	};
	let total = 0;
	for (const r of rows) {
		total += r.n;
		by.layer[r.layer] = (by.layer[r.layer] ?? 0) + r.n;
		by.theme[r.theme] = (by.theme[r.theme] ?? 0) + r.n;
	}
	return { numberMatched: total, numberMatchedBy: by };
}

/** Levels at which a code names an area; a code may in theory recur at several levels. */
async function areaLevels(db: Sql, code: string): Promise<string[]> {
	const rows = await db.query<{ level: string }>(
		'SELECT level FROM area WHERE code = $1 ORDER BY level',
		[code]
	);
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
export async function itemWhere(
	db: Sql,
	query: ItemQuery,
	audience: Audience = 'public'
): Promise<{ from: string; where: string; params: unknown[] }> {
	const params: unknown[] = [];
	const and: string[] = [audience === 'staff' ? STAFF : 'true'];
	const p = placeholders(params);
	if (query.layers.length) and.push(`i.layer = ANY(${p(query.layers)}::text[])`);
	if (query.themes.length) and.push(`i.theme = ANY(${p(query.themes)}::text[])`);
	if (query.statuses.length) and.push(`i.status = ANY(${p(query.statuses)}::text[])`);
	if (query.area !== null) {
		const levels = await areaLevels(db, query.area);
		if (levels.length === 0)
			throw new UnknownAreaError(msg('errors.param.unknownArea', { value: query.area }));
		// @> on the jsonb column uses its GIN index.
		and.push(
			`(${levels.map((l) => `i.areas @> ${p(JSON.stringify({ [l]: query.area }))}::jsonb`).join(' OR ')})`
		);
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
		else
			and.push(
				`ST_Intersects(i.geom, ST_Transform(ST_MakeEnvelope(${a}, ${b}, ${c}, ${d}, ${p(query.bboxSrid)}::int), 4326))`
			);
	}
	if (query.from) and.push(`i.relevant_at >= ${p(query.from.toISOString())}::timestamptz`);
	if (query.to) and.push(`i.relevant_at < ${p(query.to.toISOString())}::timestamptz`);
	if (query.q) {
		const like = p(likePattern(query.q));
		and.push(`(i.title ILIKE ${like} OR i.description ILIKE ${like})`);
	}
	return { from: FROM[audience], where: and.join(' AND '), params };
}

function iso(v: Date | null): string | null {
	return v === null ? null : v.toISOString();
}

function properties(r: ItemRow): ItemProperties {
	return {
		id: r.id,
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
	return { type: 'Feature', id: r.id, geometry: JSON.parse(r.geometry), properties: properties(r) };
}

export interface ItemDetail extends Omit<ItemProperties, 'areas'> {
	description: string;
	details: Record<string, unknown>;
	areas: { level: string; code: string; name: string }[];
	timeline: { at: string; from: string | null; to: string | null; text: string }[];
	links: {
		id: number;
		layer: string;
		title: string;
		status: string;
		theme: string;
		kind: string;
	}[];
}

/** The public detail of one item, or null when there is none to show. */
export async function getItem(db: Sql, id: number): Promise<Feature<Geometry, ItemDetail> | null> {
	const [row] = await db.query<ItemRow & { description: string; details: Record<string, unknown> }>(
		`SELECT ${LIST_COLUMNS}, i.description, i.details, ${geojsonSql('i.geom')} AS geometry
		 FROM public_item i WHERE i.id = $1`,
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
		publicTimeline(db, id),
		db.query<{
			id: number;
			layer: string;
			title: string;
			status: string;
			theme: string;
			kind: string;
		}>(
			`SELECT i.id, i.layer, i.title, i.status, i.theme, l.kind
			 FROM (SELECT linked_id AS other, kind FROM item_link WHERE item_id = $1
			       UNION SELECT item_id, kind FROM item_link WHERE linked_id = $1) l
			 JOIN public_item i ON i.id = l.other
			 ORDER BY i.id`,
			[id]
		)
	]);
	const { areas: _codes, ...props } = properties(row);
	return {
		type: 'Feature',
		id: row.id,
		geometry: JSON.parse(row.geometry),
		properties: {
			...props,
			description: row.description,
			details: row.details ?? {},
			areas,
			timeline: timeline.map((t) => ({ ...t, at: t.at.toISOString() })),
			links
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

export async function areaSummary(
	db: Sql,
	code: string,
	level: string | null
): Promise<AreaSummary | null> {
	const [area] = await db.query<{ level: string; code: string; name: string }>(
		`SELECT a.level, a.code, a.name FROM area a JOIN area_level l ON l.name = a.level
		 WHERE a.code = $1 AND ($2::text IS NULL OR a.level = $2) ORDER BY l.depth LIMIT 1`,
		[code, level]
	);
	if (!area) return null;
	const inArea = JSON.stringify({ [area.level]: area.code });
	const counts = await db.query<{
		layer: string;
		theme: string;
		status: string;
		count: number;
		overdue: number;
	}>(
		`SELECT i.layer, i.theme, i.status, count(*) AS count, count(*) FILTER (WHERE ${OVERDUE}) AS overdue
		 FROM public_item i WHERE i.areas @> $1::jsonb
		 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
		[inArea]
	);
	const sensitive = await db.query<{
		level: string;
		code: string;
		name: string;
		category: string;
		count: number;
	}>(
		`WITH finest AS (SELECT name FROM area_level ORDER BY depth DESC LIMIT 1)
		 SELECT f.name AS level, a.code, a.name, s.category, s.count FROM (
		   SELECT i.areas ->> (SELECT name FROM finest) AS code, i.category, count(*) AS count
		   FROM item i
		   WHERE i.areas @> $1::jsonb AND i.sensitive AND ${STAFF}
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
