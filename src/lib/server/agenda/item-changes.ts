import { WIJK_LEVEL } from '../../domain/area.ts';
import type { ItemChange, ItemChanges } from '../../domain/agenda.ts';
import type { Sql } from '../db/types.ts';
import { scopeWhere } from '../residents/scope.ts';

/**
 * What happened on the map of a wijk between the previous wijkoverleg and now: public items
 * that appeared, status changes and answers (a public text without a status change). The entry
 * an item is created with ("Melding ontvangen.") is the item appearing, not a change. All of
 * them, oldest first: the meeting goes through them, so none may be left out.
 */
export async function itemChangesSince(
	db: Sql,
	wijk: string,
	since: Date,
	now: Date
): Promise<ItemChanges> {
	const params: unknown[] = [since, now];
	const where = scopeWhere({ kind: 'area', level: WIJK_LEVEL, code: wijk, name: wijk }, params);
	const rows = await db.query<{
		kind: 'added' | 'status' | 'answer';
		id: number;
		layer: string;
		title: string;
		at: Date;
		status_from: string | null;
		status_to: string | null;
		text: string | null;
	}>(
		`SELECT 'added' AS kind, i.id, i.layer, i.title, i.created_at AS at, NULL::text AS status_from, i.status AS status_to, NULL::text AS text, 0::bigint AS seq
		 FROM public_item i WHERE ${where} AND i.created_at > $1 AND i.created_at <= $2
		 UNION ALL
		 SELECT CASE WHEN u.status_from IS DISTINCT FROM u.status_to AND u.status_to IS NOT NULL THEN 'status' ELSE 'answer' END,
		        i.id, i.layer, i.title, u.at, u.status_from, u.status_to, u.public_text, u.id
		 FROM item_update u JOIN public_item i ON i.id = u.item_id
		 WHERE ${where} AND u.at > $1 AND u.at <= $2 AND NOT (u.status_from IS NULL AND u.status_to IS NOT NULL)
		 ORDER BY at, seq, id`,
		params
	);
	const out: ItemChanges = { added: [], statusChanged: [], answered: [] };
	for (const r of rows) {
		const c: ItemChange = {
			id: r.id,
			layer: r.layer,
			title: r.title,
			at: r.at.toISOString(),
			from: r.status_from,
			to: r.status_to,
			text: r.text ?? ''
		};
		(r.kind === 'added' ? out.added : r.kind === 'status' ? out.statusChanged : out.answered).push(
			c
		);
	}
	return out;
}
