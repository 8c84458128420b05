import { msg } from '../domain/errors.ts';
import { ValidationError } from '../domain/item-edit.ts';
import { STATUSES } from '../domain/layers.ts';
import { recordAudit } from './audit.ts';
import { authorizeItemWrite, itemScope } from './auth/policy.ts';
import type { Db, Sql } from './db/types.ts';
import { NotFoundError, type WriteContext } from './items/edit.ts';
import { addTimelineEntry } from './items/timeline.ts';
import { queueRejection } from './mail/queue.ts';
import { areaFilter, getStaffItem, type StaffItem } from './items/staff-read.ts';
import { placeholders } from './db/params.ts';

/**
 * The moderation queue: resident submissions (meldingen, initiative proposals) wait with
 * moderation = 'te_beoordelen' and published = false until a moderator approves, rejects (with
 * a reason the submitter reads) or merges a melding into an existing one.
 */
export interface QueueFilters {
	/** Code of a wijk (or any area level). */
	wijk?: string | null;
	theme?: string | null;
	layer?: string | null;
}

export interface QueueEntry extends StaffItem {
	trackingNumber: string | null;
}

function filtered(f: QueueFilters, base: string[]): { and: string[]; params: unknown[] } {
	const params: unknown[] = [];
	const p = placeholders(params);
	const and = [...base, 'i.deleted_at IS NULL'];
	if (f.wijk) and.push(areaFilter(p, f.wijk));
	if (f.theme) and.push(`i.theme = ${p(f.theme)}`);
	if (f.layer) and.push(`i.layer = ${p(f.layer)}`);
	return { and, params };
}

// Oldest first: the longest waiting get answered first.
async function oldest(
	db: Sql,
	{ and, params }: { and: string[]; params: unknown[] },
	limit: number
): Promise<QueueEntry[]> {
	const rows = await db.query<{ id: number; tracking_number: string | null }>(
		`SELECT i.id, (SELECT t.tracking_number FROM tracking t WHERE t.item_id = i.id ORDER BY t.created_at LIMIT 1) AS tracking_number
		 FROM item i WHERE ${and.join(' AND ')} ORDER BY i.created_at, i.id LIMIT ${limit}`,
		params
	);
	const out: QueueEntry[] = [];
	for (const r of rows)
		out.push({ ...(await getStaffItem(db, r.id))!, trackingNumber: r.tracking_number });
	return out;
}

export function queue(db: Sql, f: QueueFilters = {}): Promise<QueueEntry[]> {
	return oldest(db, filtered(f, [`i.moderation = 'te_beoordelen'`]), 500);
}

const OPEN_MELDING = STATUSES.meldingen
	.filter((s) => s.open)
	.map((s) => `'${s.id}'`)
	.join(', ');

/** Published meldingen still open, for staff to answer with a status and public text. */
export function openMeldingen(db: Sql, f: QueueFilters = {}, limit = 50): Promise<QueueEntry[]> {
	return oldest(
		db,
		filtered({ ...f, layer: 'meldingen' }, [`i.published`, `i.status IN (${OPEN_MELDING})`]),
		limit
	);
}

async function pending(tx: Sql, id: number): Promise<StaffItem> {
	const item = await getStaffItem(tx, id, true);
	if (!item || item.deletedAt)
		throw new NotFoundError(msg('errors.moderation.noSubmission', { id }));
	if (item.moderation !== 'te_beoordelen') {
		throw new ValidationError({
			_: item.moderation
				? msg('errors.moderation.decided', { id, state: item.moderation })
				: msg('errors.moderation.staffMade', { id })
		});
	}
	return item;
}

async function decide(
	db: Db,
	id: number,
	action: string,
	ctx: WriteContext,
	write: (tx: Sql, item: StaffItem) => Promise<void>
): Promise<StaffItem> {
	return db.transaction(async (tx) => {
		const before = await pending(tx, id);
		authorizeItemWrite(ctx.actor, 'moderate', itemScope(before), null);
		await write(tx, before);
		await tx.query(
			`UPDATE item SET moderated_at = now(), version = version + 1, updated_at = now(), updated_by = $2 WHERE id = $1`,
			[id, ctx.actor.email]
		);
		const after = (await getStaffItem(tx, id))!;
		await recordAudit(tx, {
			actor: { kind: 'user', user: ctx.actor },
			action,
			entity: 'item',
			entityId: id,
			before,
			after,
			client: ctx.client
		});
		return after;
	});
}

/** Publishes the submission as it is. */
export async function approve(db: Db, id: number, ctx: WriteContext): Promise<StaffItem> {
	return decide(db, id, 'moderation.approve', ctx, async (tx) => {
		await tx.query(`UPDATE item SET published = true, moderation = 'goedgekeurd' WHERE id = $1`, [
			id
		]);
	});
}

/**
 * Refuses the submission; the reason is what the submitter reads. A rejected initiative
 * proposal also takes the status 'afgewezen' with the same reason, on its timeline.
 */
export async function reject(
	db: Db,
	id: number,
	reason: string,
	ctx: WriteContext
): Promise<StaffItem> {
	const text = (reason ?? '').trim();
	if (!text) throw new ValidationError({ reason: msg('errors.moderation.reason') });
	if (text.length > 2000)
		throw new ValidationError({ reason: msg('errors.moderation.reasonLong', { max: 2000 }) });
	return decide(db, id, 'moderation.reject', ctx, async (tx, item) => {
		await tx.query(
			`UPDATE item SET moderation = 'afgewezen', moderation_reason = $2 WHERE id = $1`,
			[id, text]
		);
		if (item.layer === 'initiatieven' && item.status !== 'afgewezen') {
			await tx.query(
				`UPDATE item SET status = 'afgewezen', details = details || jsonb_build_object('rejectionReason', $2::text) WHERE id = $1`,
				[id, text]
			);
			await addTimelineEntry(tx, id, { from: item.status, to: 'afgewezen', text }, ctx);
		} else {
			await queueRejection(tx, id, ctx);
		}
	});
}

/**
 * Folds a melding into an existing one: the submitter's tracking link then follows the
 * target. The target's timeline says that a similar report was added.
 */
export async function merge(
	db: Db,
	id: number,
	targetId: number,
	ctx: WriteContext
): Promise<StaffItem> {
	if (!Number.isSafeInteger(targetId) || targetId < 1)
		throw new ValidationError({ target: msg('errors.moderation.target') });
	if (targetId === id) throw new ValidationError({ target: msg('errors.moderation.self') });
	return decide(db, id, 'moderation.merge', ctx, async (tx, item) => {
		if (item.layer !== 'meldingen')
			throw new ValidationError({ target: msg('errors.moderation.onlyMeldingen') });
		const target = await getStaffItem(tx, targetId, true);
		if (!target || target.deletedAt)
			throw new ValidationError({ target: msg('errors.moderation.noTarget', { id: targetId }) });
		// The target's timeline is written too.
		authorizeItemWrite(ctx.actor, 'moderate', itemScope(target), null);
		if (target.layer !== 'meldingen')
			throw new ValidationError({ target: msg('errors.moderation.notMelding', { id: targetId }) });
		if (
			target.moderation === 'te_beoordelen' ||
			target.moderation === 'afgewezen' ||
			target.mergedInto !== null
		) {
			throw new ValidationError({
				target: msg('errors.moderation.targetUnpublished', { id: targetId })
			});
		}
		// Set before the entry, so the new submitter hears of it with the target's other followers.
		await tx.query(`UPDATE item SET moderation = 'samengevoegd', merged_into = $2 WHERE id = $1`, [
			id,
			targetId
		]);
		await addTimelineEntry(
			tx,
			targetId,
			{ from: null, to: null, text: 'Er is een vergelijkbare melding bij deze melding gevoegd.' },
			ctx
		);
		await tx.query(`UPDATE item SET updated_at = now() WHERE id = $1`, [targetId]);
	});
}
