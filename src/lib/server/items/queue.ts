import { ALL_STATUSES, LAYERS, type Layer } from '../../domain/layers.ts';
import type { StaffUser } from '../../domain/staff.ts';
import type { Sql } from '../db/types.ts';
import { OVERDUE } from './read.ts';
import { areaFilter } from './staff-read.ts';
import { placeholders } from '../db/params.ts';

/**
 * The staff work queue (/beheer/items): every item staff may look at, filtered, sorted by what
 * needs doing first, counted per status, one page at a time. A filter never silently narrows
 * to nothing: unknown values are dropped and the page says which filters apply.
 */
export const QUEUE_SORTS = ['termijn', 'oudste', 'nieuwste', 'gewijzigd'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const QUEUE_AGES = [7, 30, 90, 365] as const;
export const PAGE_SIZE = 50;
/** Besides the stored statuses: "te laat" (open melding past its afhandeltermijn). */
export const OVERDUE_FILTER = 'te_laat';

export interface QueueFilters {
	layer: Layer | null;
	status: string | null;
	category: string | null;
	theme: string | null;
	wijk: string | null;
	department: string | null;
	/** Made at least this many days ago. */
	olderThan: number | null;
	q: string | null;
	deleted: 'zonder' | 'met' | 'alleen';
	/** Only what lies in the user's own wijken (or department), the way the guard decides edits. */
	mine: boolean;
	sort: QueueSort;
	page: number;
}

export function parseQueueFilters(params: URLSearchParams, user: StaffUser | null): QueueFilters {
	const q = (k: string) => params.get(k)?.trim() || null;
	const layer = q('laag');
	const status = q('status');
	const age = Number(q('ouder'));
	const sort = q('sortering');
	const deleted = q('verwijderd');
	const bound = Boolean(
		user && (user.wijken.length || (user.role === 'medewerker' && user.department))
	);
	return {
		layer: layer && (LAYERS as readonly string[]).includes(layer) ? (layer as Layer) : null,
		status: status && (status === OVERDUE_FILTER || ALL_STATUSES.includes(status)) ? status : null,
		category: q('categorie'),
		theme: q('thema'),
		wijk: q('wijk') ?? q('gebied'),
		department: q('afdeling'),
		olderThan: (QUEUE_AGES as readonly number[]).includes(age) ? age : null,
		q: q('q'),
		deleted: deleted === 'met' || deleted === 'alleen' ? deleted : 'zonder',
		// Staff bound to wijken start with their own; "alle" shows the rest (reading is open to staff).
		mine: bound && q('bereik') !== 'alle',
		sort: (QUEUE_SORTS as readonly string[]).includes(sort ?? '') ? (sort as QueueSort) : 'termijn',
		page: Math.max(1, Math.min(10_000, Math.floor(Number(q('pagina')) || 1)))
	};
}

export interface QueueRow {
	id: number;
	layer: Layer;
	title: string;
	status: string;
	category: string | null;
	theme: string;
	wijk: string | null;
	wijkName: string | null;
	department: string | null;
	createdAt: string;
	updatedAt: string;
	dueAt: string | null;
	overdue: boolean;
	version: number;
	moderation: string | null;
	deletedAt: string | null;
}

export interface QueuePage {
	rows: QueueRow[];
	total: number;
	/** Per status for the same filters without the status filter; te_laat counted apart. */
	counts: { layer: string; status: string; n: number }[];
	overdue: number;
	pages: number;
}

function where(
	f: QueueFilters,
	user: StaffUser | null,
	params: unknown[],
	withStatus: boolean
): string {
	const p = placeholders(params);
	const and: string[] = [];
	if (f.deleted === 'zonder') and.push('i.deleted_at IS NULL');
	if (f.deleted === 'alleen') and.push('i.deleted_at IS NOT NULL');
	if (f.layer) and.push(`i.layer = ${p(f.layer)}`);
	if (withStatus && f.status === OVERDUE_FILTER) and.push(OVERDUE);
	else if (withStatus && f.status) and.push(`i.status = ${p(f.status)}`);
	if (f.category) and.push(`i.category = ${p(f.category)}`);
	if (f.theme) and.push(`(i.theme = ${p(f.theme)} OR ${p(f.theme)} = ANY(i.themes))`);
	if (f.wijk) and.push(areaFilter(p, f.wijk));
	if (f.department)
		and.push(`lower(trim(i.details ->> 'department')) = lower(trim(${p(f.department)}))`);
	if (f.olderThan) and.push(`i.created_at <= now() - make_interval(days => ${p(f.olderThan)})`);
	if (f.q) {
		const like = p(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
		and.push(
			`(i.title ILIKE ${like} OR i.description ILIKE ${like} OR i.id::text = ${p(f.q.replace(/^#/, ''))})`
		);
	}
	if (f.mine && user) {
		// The SQL form of decideScope (policy.ts): one of the user's wijken, or a medewerker's department.
		const mine = [`(i.areas ->> 'wijk') = ANY(${p(user.wijken)}::text[])`];
		if (user.role === 'medewerker' && user.department)
			mine.push(`lower(trim(i.details ->> 'department')) = lower(trim(${p(user.department)}))`);
		and.push(`(${mine.join(' OR ')})`);
	}
	return and.length ? `WHERE ${and.join(' AND ')}` : '';
}

const ORDER: Record<QueueSort, string> = {
	// Open work first; within it past due first, then the nearest due date; no term after, oldest first.
	termijn: `(SELECT st.open FROM item_status st WHERE st.layer = i.layer AND st.status = i.status) DESC, i.due_at ASC NULLS LAST, i.created_at ASC, i.id ASC`,
	oudste: 'i.created_at ASC, i.id ASC',
	nieuwste: 'i.created_at DESC, i.id DESC',
	gewijzigd: 'i.updated_at DESC, i.id DESC'
};

export async function queuePage(
	db: Sql,
	f: QueueFilters,
	user: StaffUser | null
): Promise<QueuePage> {
	const params: unknown[] = [];
	const w = where(f, user, params, true);
	const offset = (f.page - 1) * PAGE_SIZE;
	const cParams: unknown[] = [];
	const cw = where(f, user, cParams, false);
	const [rows, [total], counts] = await Promise.all([
		db.query<{
			id: number;
			layer: Layer;
			title: string;
			status: string;
			category: string | null;
			theme: string;
			wijk: string | null;
			wijk_name: string | null;
			department: string | null;
			created_at: Date;
			updated_at: Date;
			due_at: Date | null;
			overdue: boolean;
			version: number;
			moderation: string | null;
			deleted_at: Date | null;
		}>(
			`SELECT i.id, i.layer, i.title, i.status, i.category, i.theme, i.areas ->> 'wijk' AS wijk,
			        (SELECT a.name FROM area a WHERE a.level = 'wijk' AND a.code = i.areas ->> 'wijk' LIMIT 1) AS wijk_name,
			        i.details ->> 'department' AS department, i.created_at, i.updated_at, i.due_at, ${OVERDUE} AS overdue,
			        i.version, i.moderation, i.deleted_at
			 FROM item i ${w} ORDER BY ${ORDER[f.sort]} LIMIT ${PAGE_SIZE} OFFSET ${offset}`,
			params
		),
		db.query<{ n: number }>(`SELECT count(*) AS n FROM item i ${w}`, params),
		db.query<{ layer: string; status: string; n: number; late: number }>(
			`SELECT i.layer, i.status, count(*) AS n, count(*) FILTER (WHERE ${OVERDUE}) AS late FROM item i ${cw} GROUP BY 1, 2`,
			cParams
		)
	]);
	const iso = (v: Date | null) => (v === null ? null : v.toISOString());
	return {
		rows: rows.map((r) => ({
			id: r.id,
			layer: r.layer,
			title: r.title,
			status: r.status,
			category: r.category,
			theme: r.theme,
			wijk: r.wijk,
			wijkName: r.wijk_name,
			department: r.department,
			createdAt: iso(r.created_at)!,
			updatedAt: iso(r.updated_at)!,
			dueAt: iso(r.due_at),
			overdue: r.overdue,
			version: r.version,
			moderation: r.moderation,
			deletedAt: iso(r.deleted_at)
		})),
		total: total.n,
		counts: counts.map(({ layer, status, n }) => ({ layer, status, n })),
		overdue: counts.reduce((s, c) => s + c.late, 0),
		pages: Math.max(1, Math.ceil(total.n / PAGE_SIZE))
	};
}
