import type { Sql } from '../db/types.ts';
import { queueUpdate, type Origin } from '../mail/queue.ts';

export interface TimelineEntry {
	from: string | null;
	to: string | null;
	/** What residents read on the item's timeline and in their e-mail. */
	text: string;
}

/**
 * One public timeline entry on a live item, and the e-mail that tells its submitters, in the
 * caller's transaction: every status change and public note goes through here.
 */
export async function addTimelineEntry(
	tx: Sql,
	itemId: number,
	e: TimelineEntry,
	origin: Origin = {}
): Promise<number> {
	const [row] = await tx.query<{ id: number }>(
		`INSERT INTO item_update (item_id, status_from, status_to, public_text) VALUES ($1, $2, $3, $4) RETURNING id`,
		[itemId, e.from, e.to, e.text]
	);
	const { id } = row;
	await queueUpdate(tx, itemId, id, origin);
	return id;
}
