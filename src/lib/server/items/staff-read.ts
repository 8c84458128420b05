import type { Geometry } from 'geojson';
import type { ItemGeometry, ItemInput } from '../../domain/items.ts';
import type { Layer } from '../../domain/layers.ts';
import type { Sql } from '../db/types.ts';
import { placeholders } from '../db/params.ts';

/**
 * Reads for staff: every item, also unpublished, pending and deleted ones, with what editing
 * needs (version, who changed it last). Never used by a public route; melding_contact stays out.
 */
export interface StaffItem {
	id: number;
	layer: Layer;
	title: string;
	description: string;
	theme: string;
	themes: string[];
	status: string;
	category: string | null;
	subcategory: string | null;
	geometry: Geometry;
	details: Record<string, unknown>;
	startsAt: string | null;
	endsAt: string | null;
	areas: Record<string, string>;
	version: number;
	published: boolean;
	deletedAt: string | null;
	moderation: string | null;
	moderationReason: string | null;
	mergedInto: number | null;
	createdAt: string;
	updatedAt: string;
	/** E-mail of the staff member who changed it last, if any. */
	updatedBy: string | null;
	/** Their name, else the e-mail: what the conflict message shows. */
	updatedByName: string | null;
}

interface Row {
	id: number;
	layer: Layer;
	title: string;
	description: string;
	theme: string;
	themes: string[] | null;
	status: string;
	category: string | null;
	subcategory: string | null;
	geometry: string;
	details: Record<string, unknown> | null;
	starts_at: Date | null;
	ends_at: Date | null;
	areas: Record<string, string> | null;
	version: number;
	published: boolean;
	deleted_at: Date | null;
	moderation: string | null;
	moderation_reason: string | null;
	merged_into: number | null;
	created_at: Date;
	updated_at: Date;
	updated_by: string | null;
	updated_by_name: string | null;
}

const COLUMNS = `i.id, i.layer, i.title, i.description, i.theme, i.themes, i.status, i.category, i.subcategory,
	ST_AsGeoJSON(i.geom, 7) AS geometry, i.details, i.starts_at, i.ends_at, i.areas, i.version, i.published,
	i.deleted_at, i.moderation, i.moderation_reason, i.merged_into, i.created_at, i.updated_at, i.updated_by,
	coalesce(nullif(su.name, ''), i.updated_by) AS updated_by_name`;
const FROM = `item i LEFT JOIN staff_user su ON su.email = i.updated_by`;

const iso = (v: Date | null) => (v === null ? null : v.toISOString());

function toStaffItem(r: Row): StaffItem {
	return {
		id: r.id,
		layer: r.layer,
		title: r.title,
		description: r.description,
		theme: r.theme,
		themes: r.themes ?? [],
		status: r.status,
		category: r.category,
		subcategory: r.subcategory,
		geometry: JSON.parse(r.geometry),
		details: r.details ?? {},
		startsAt: iso(r.starts_at),
		endsAt: iso(r.ends_at),
		areas: r.areas ?? {},
		version: r.version,
		published: r.published,
		deletedAt: iso(r.deleted_at),
		moderation: r.moderation,
		moderationReason: r.moderation_reason,
		mergedInto: r.merged_into,
		createdAt: iso(r.created_at)!,
		updatedAt: iso(r.updated_at)!,
		updatedBy: r.updated_by,
		updatedByName: r.updated_by_name
	};
}

/** One item as staff see it; `lock` takes a row lock for the rest of the transaction. */
export async function getStaffItem(db: Sql, id: number, lock = false): Promise<StaffItem | null> {
	// Lock first, read after: a locked read that waited would join the old updater's name.
	if (lock) await db.query('SELECT 1 FROM item WHERE id = $1 FOR UPDATE', [id]);
	const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1`, [id]);
	return row ? toStaffItem(row) : null;
}

/** The stored item as write input, for laying a patch over it. */
export function toInput(s: StaffItem): ItemInput {
	return {
		layer: s.layer,
		title: s.title,
		description: s.description,
		theme: s.theme,
		themes: s.themes,
		status: s.status,
		geometry: s.geometry as ItemGeometry,
		category: s.category,
		subcategory: s.subcategory,
		startsAt: s.startsAt ? new Date(s.startsAt) : null,
		endsAt: s.endsAt ? new Date(s.endsAt) : null,
		details: s.details
	};
}

export interface StaffFilters {
	layer?: string | null;
	theme?: string | null;
	status?: string | null;
	/** Code of an area at any level. */
	area?: string | null;
	q?: string | null;
	/** 'zonder' (default): live items only; 'met': also deleted; 'alleen': deleted only. */
	deleted?: 'zonder' | 'met' | 'alleen';
	moderation?: string | null;
	limit?: number;
}

export function areaFilter(p: (v: unknown) => string, code: string): string {
	return `EXISTS (SELECT 1 FROM jsonb_each_text(i.areas) e WHERE e.value = ${p(code)})`;
}

export async function listStaffItems(db: Sql, f: StaffFilters): Promise<StaffItem[]> {
	const params: unknown[] = [];
	const p = placeholders(params);
	const and: string[] = [];
	const deleted = f.deleted ?? 'zonder';
	if (deleted === 'zonder') and.push('i.deleted_at IS NULL');
	if (deleted === 'alleen') and.push('i.deleted_at IS NOT NULL');
	if (f.layer) and.push(`i.layer = ${p(f.layer)}`);
	if (f.theme) and.push(`i.theme = ${p(f.theme)}`);
	if (f.status) and.push(`i.status = ${p(f.status)}`);
	if (f.moderation) and.push(`i.moderation = ${p(f.moderation)}`);
	if (f.area) and.push(areaFilter(p, f.area));
	if (f.q) {
		const like = p(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
		and.push(`(i.title ILIKE ${like} OR i.description ILIKE ${like})`);
	}
	const rows = await db.query<Row>(
		`SELECT ${COLUMNS} FROM ${FROM} ${and.length ? `WHERE ${and.join(' AND ')}` : ''}
		 ORDER BY i.updated_at DESC, i.id DESC LIMIT ${p(Math.min(f.limit ?? 200, 1000))}`,
		params
	);
	return rows.map(toStaffItem);
}
