import { monthRange } from '../../domain/analyse.ts';
import type { AnalyseQuery } from '../../domain/analyse-params.ts';
import type { Sql } from '../db/types.ts';
import type { Audience } from '../items/read.ts';
import { filterSql } from './common.ts';

export interface Trend {
	/** Every month from the first to the last with items, "YYYY-MM" (Europe/Amsterdam). */
	months: string[];
	themes: string[];
	rows: { month: string; theme: string; count: number }[];
	/** The month still running (Europe/Amsterdam) when it is in `months`: its count is not final. */
	partialMonth: string | null;
	audience: Audience;
}

/** Items per month per theme, on the date the filters use (meeting start, else creation). */
export async function trend(db: Sql, q: AnalyseQuery, audience: Audience): Promise<Trend> {
	const { from, where, params } = await filterSql(db, q.filter, audience);
	const rows = await db.query<{ month: string; theme: string; count: number }>(
		`SELECT to_char(date_trunc('month', i.relevant_at AT TIME ZONE 'Europe/Amsterdam'), 'YYYY-MM') AS month, i.theme, count(*) AS count
		 FROM ${from} WHERE ${where} GROUP BY 1, 2 ORDER BY 1, 2`,
		params
	);
	const [{ current }] = await db.query<{ current: string }>(
		`SELECT to_char(now() AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS current`
	);
	const months = rows.length ? monthRange(rows[0].month, rows[rows.length - 1].month) : [];
	return {
		months,
		partialMonth: months.includes(current) ? current : null,
		themes: [...new Set(rows.map((r) => r.theme))].sort(),
		rows,
		audience
	};
}
