import { recordAudit } from '../audit.ts';
import type { Db, Sql } from '../db/types.ts';
import { addTimelineEntry } from '../items/timeline.ts';
import type { Origin } from '../mail/queue.ts';
import { findTracking } from './tracking.ts';
import { publicTimeline } from '../items/queries.ts';

/** What the submitter sees behind their private link. Never part of a public response. */
export interface TrackView {
	trackingNumber: string;
	item: {
		id: number;
		layer: string;
		title: string;
		description: string;
		status: string;
		category: string | null;
		createdAt: string;
		moderation: string | null;
		moderationReason: string | null;
		published: boolean;
		details: Record<string, unknown>;
	};
	/** When merged: the melding this one was merged into, whose status counts now. */
	mergedInto: { id: number; title: string; status: string; published: boolean } | null;
	/** Timeline of the item that counts (the merge target when merged). */
	timeline: { at: string; from: string | null; to: string | null; text: string }[];
	photoIds: number[];
	/** "Is het opgelost?" is asked once the melding that counts is afgehandeld. */
	askSolved: boolean;
}

interface Row {
	id: number;
	layer: string;
	title: string;
	description: string;
	status: string;
	category: string | null;
	created_at: Date;
	moderation: string | null;
	moderation_reason: string | null;
	merged_into: number | null;
	published: boolean;
	sensitive: boolean;
	details: Record<string, unknown>;
	deleted_at: Date | null;
	/** What anyone may see (item_is_public, migration 017). */
	public: boolean;
}

async function itemRow(db: Sql, id: number): Promise<Row | null> {
	const [r] = await db.query<Row>(
		`SELECT id, layer, title, description, status, category, created_at, moderation, moderation_reason, merged_into,
		        published, sensitive, details, deleted_at, item_is_public(deleted_at, published, sensitive) AS public FROM item WHERE id = $1`,
		[id]
	);
	return r ?? null;
}

/** Follows merges to the item that now carries the status (at most a few hops; guards a loop). */
async function target(db: Sql, row: Row): Promise<Row> {
	let cur = row;
	for (
		let hop = 0;
		hop < 5 && cur.moderation === 'samengevoegd' && cur.merged_into !== null;
		hop++
	) {
		const next = await itemRow(db, cur.merged_into);
		if (!next) break;
		cur = next;
	}
	return cur;
}

export async function trackView(db: Sql, token: string): Promise<TrackView | null> {
	const t = await findTracking(db, token);
	if (!t) return null;
	const row = await itemRow(db, t.itemId);
	if (!row || row.deleted_at) return null;
	// A reporter sees their own melding, and of another only what anyone may see: a melding they
	// were merged into that is sensitive, unpublished or deleted stays closed to them (no title,
	// status or timeline, no "Is het opgelost?" that would reopen it).
	const followed = await target(db, row);
	const counts = followed === row || followed.public ? followed : row;
	const [timeline, photos] = await Promise.all([
		publicTimeline(db, counts.id),
		db.query<{ id: number }>('SELECT id FROM item_photo WHERE item_id = $1 ORDER BY id', [t.itemId])
	]);
	const merged = counts !== row;
	return {
		trackingNumber: t.trackingNumber,
		item: {
			id: row.id,
			layer: row.layer,
			title: row.title,
			description: row.description,
			status: row.status,
			category: row.category,
			createdAt: row.created_at.toISOString(),
			moderation: row.moderation,
			moderationReason: row.moderation === 'afgewezen' ? row.moderation_reason : null,
			published: row.published,
			details: row.details ?? {}
		},
		mergedInto: merged
			? {
					id: counts.id,
					title: counts.title,
					status: counts.status,
					published: counts.published
				}
			: null,
		timeline: timeline.map((u) => ({ ...u, at: u.at.toISOString() })),
		photoIds: photos.map((p) => p.id),
		askSolved:
			counts.layer === 'meldingen' &&
			counts.status === 'afgehandeld' &&
			row.moderation !== 'afgewezen' &&
			(merged || row.moderation !== 'samengevoegd')
	};
}

export const SOLVED_TEXT = {
	yes: 'De melder laat weten dat het probleem is opgelost.',
	no: 'Heropend: de melder laat weten dat het probleem nog niet is opgelost.'
};

/**
 * The answer to "Is het opgelost?": yes adds a public note; no reopens the melding that counts
 * (heropend) with a public note. Only asked while it is afgehandeld; atomic and audited.
 */
export async function answerSolved(
	db: Db,
	token: string,
	solved: boolean,
	client: string | null,
	origin: Origin = {}
): Promise<'ok' | 'not-found' | 'not-asked'> {
	const view = await trackView(db, token);
	if (!view) return 'not-found';
	if (!view.askSolved) return 'not-asked';
	const id = view.mergedInto?.id ?? view.item.id;
	await db.transaction(async (tx) => {
		// Compare-and-set on the status: a staff change in between wins.
		const changed = solved
			? await tx.query<{ id: number }>(
					`SELECT id FROM item WHERE id = $1 AND status = 'afgehandeld'`,
					[id]
				)
			: await tx.query<{ id: number }>(
					`UPDATE item SET status = 'heropend', updated_at = now(), version = version + 1
					 WHERE id = $1 AND status = 'afgehandeld' RETURNING id`,
					[id]
				);
		if (changed.length === 0) return;
		await addTimelineEntry(
			tx,
			id,
			{
				from: solved ? null : 'afgehandeld',
				to: solved ? null : 'heropend',
				text: solved ? SOLVED_TEXT.yes : SOLVED_TEXT.no
			},
			origin
		);
		await recordAudit(tx, {
			actor: { kind: 'resident' },
			action: solved ? 'confirm_solved' : 'reopen',
			entity: 'item',
			entityId: id,
			before: { status: 'afgehandeld' },
			after: { status: solved ? 'afgehandeld' : 'heropend' },
			client
		});
	});
	return 'ok';
}
