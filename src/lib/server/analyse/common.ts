import type { ItemQuery } from '../../domain/filters.ts';
import { msg } from '../../domain/errors.ts';
import { ParamError } from '../../domain/filters.ts';
import type { Sql } from '../db/types.ts';
import { itemWhere, type Audience } from '../items/read.ts';
import { placeholders } from '../db/params.ts';

export interface WardInfo {
	code: string;
	name: string;
	population: number | null;
}

/** The level asked for, or the coarsest in the store (wijk in Utrecht). */
export async function resolveLevel(db: Sql, level: string | null): Promise<string> {
	const rows = await db.query<{ name: string }>('SELECT name FROM area_level ORDER BY depth');
	if (rows.length === 0) throw new ParamError(msg('errors.analyse.noAreas'), 'level');
	if (level === null) return rows[0].name;
	if (!rows.some((r) => r.name === level))
		throw new ParamError(
			msg('errors.analyse.level', { value: level, allowed: rows.map((r) => r.name).join(', ') }),
			'level'
		);
	return level;
}

/** Areas of one level by code, with name and population. */
export async function wardsAt(db: Sql, level: string): Promise<Map<string, WardInfo>> {
	const rows = await db.query<WardInfo>(
		'SELECT code, name, population FROM area WHERE level = $1 ORDER BY code',
		[level]
	);
	return new Map(rows.map((r) => [r.code, r]));
}

/**
 * The /api/items filter as SQL, with an extra parameter helper for the caller's own
 * conditions (numbered after the filter's).
 */
export async function filterSql(db: Sql, filter: ItemQuery, audience: Audience) {
	const { from, where, params } = await itemWhere(db, filter, audience);
	const p = placeholders(params);
	return { from, where, params, p };
}
