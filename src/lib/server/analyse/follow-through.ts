import { STATUSES } from '../../domain/layers.ts';
import type { AnalyseQuery } from '../../domain/analyse-params.ts';
import type { Sql } from '../db/types.ts';
import { OVERDUE, type Audience } from '../items/read.ts';
import { filterSql, resolveLevel, wardsAt } from './common.ts';

const OPEN = STATUSES.meldingen
	.filter((s) => s.open)
	.map((s) => `'${s.id}'`)
	.join(', ');

export interface OverdueRow {
	code: string;
	name: string;
	open: number;
	overdue: number;
	share: number | null;
}
export interface DurationRow {
	code: string;
	name: string;
	theme: string;
	handled: number;
	medianDays: number;
}
export interface BudgetRow {
	code: string;
	name: string;
	initiatives: number;
	requested: number;
	granted: number;
	share: number | null;
}

interface Aggregate {
	layer: 'meldingen' | 'initiatieven';
	/** Columns after the ward code; `i` is the item. */
	columns: string;
	join?: string;
	byTheme?: boolean;
}

/** One aggregate per ward (and theme) over the items of one layer within the filters. */
async function byWard<T extends { code: string }>(
	db: Sql,
	q: AnalyseQuery,
	audience: Audience,
	agg: Aggregate
) {
	const level = await resolveLevel(db, q.level);
	const { from, where, params, p } = await filterSql(db, q.filter, audience);
	const ward = `i.areas ->> ${p(level)}`;
	const group = agg.byTheme ? '1, i.theme' : '1';
	const rows = await db.query<T>(
		`SELECT ${ward} AS code${agg.byTheme ? ', i.theme' : ''}, ${agg.columns}
		 FROM ${from} ${agg.join ?? ''}
		 WHERE ${where} AND i.layer = ${p(agg.layer)} AND ${ward} IS NOT NULL
		 GROUP BY ${group} ORDER BY ${group}`,
		params
	);
	const names = await wardsAt(db, level);
	return { level, rows: rows.map((r) => ({ ...r, name: names.get(r.code)?.name ?? r.code })) };
}

/** Open meldingen past their afhandeltermijn (due_at), per ward. */
export async function overdue(db: Sql, q: AnalyseQuery, audience: Audience) {
	const { level, rows } = await byWard<Omit<OverdueRow, 'name' | 'share'>>(db, q, audience, {
		layer: 'meldingen',
		columns: `count(*) FILTER (WHERE i.status IN (${OPEN})) AS open, count(*) FILTER (WHERE ${OVERDUE}) AS overdue`
	});
	const out: OverdueRow[] = rows
		.filter((r) => r.open > 0 || r.overdue > 0)
		.map((r) => ({ ...r, share: r.open ? r.overdue / r.open : null }));
	return { level, audience, rows: out };
}

/**
 * Median days from a melding to its first 'afgehandeld' update, per ward and theme. Only
 * meldingen that were handled count; reopened ones keep their first handling.
 */
export async function handlingTime(db: Sql, q: AnalyseQuery, audience: Audience) {
	const { level, rows } = await byWard<Omit<DurationRow, 'name'>>(db, q, audience, {
		layer: 'meldingen',
		byTheme: true,
		columns: `count(*) AS handled,
			  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (u.at - i.created_at)) / 86400))::numeric, 1)::float8 AS "medianDays"`,
		join: `JOIN LATERAL (SELECT min(x.at) AS at FROM item_update x WHERE x.item_id = i.id AND x.status_to = 'afgehandeld') u ON u.at IS NOT NULL`
	});
	return { level, audience, rows };
}

/** Initiative money per ward: asked for and granted, in euros. */
export async function budget(db: Sql, q: AnalyseQuery, audience: Audience) {
	const { level, rows } = await byWard<Omit<BudgetRow, 'name' | 'share'>>(db, q, audience, {
		layer: 'initiatieven',
		columns: `count(*) AS initiatives, coalesce(sum((i.details ->> 'budgetRequested')::numeric), 0)::float8 AS requested,
			  coalesce(sum((i.details ->> 'budgetGranted')::numeric), 0)::float8 AS granted`
	});
	const out: BudgetRow[] = rows.map((r) => ({
		...r,
		share: r.requested ? r.granted / r.requested : null
	}));
	return { level, audience, rows: out };
}
