import { msg } from '../domain/errors.ts';
import { recordAudit } from './audit.ts';
import { authorizeItemWrite } from './auth/policy.ts';
import type { Db, Sql } from './db/types.ts';
import { NotFoundError, type WriteContext } from './items/edit.ts';

/** A resident's photo that staff have not yet made public. */
export interface PendingPhoto {
	id: number;
	itemId: number;
	itemTitle: string;
	layer: string;
	width: number;
	height: number;
	createdAt: string;
}

/**
 * Photos wait private until a moderator looks at them: a photo can show faces, number plates or
 * a front door. Photos of rejected or deleted submissions are never offered for publication.
 */
export async function photoQueue(db: Sql, wijk: string | null = null): Promise<PendingPhoto[]> {
	const rows = await db.query<{
		id: number;
		item_id: number;
		title: string;
		layer: string;
		width: number;
		height: number;
		created_at: Date;
	}>(
		`SELECT p.id, p.item_id, i.title, i.layer, p.width, p.height, p.created_at
		 FROM item_photo p JOIN item i ON i.id = p.item_id
		 WHERE NOT p.public AND i.deleted_at IS NULL AND i.moderation IS DISTINCT FROM 'afgewezen'
		   AND ($1::text IS NULL OR i.areas ->> 'wijk' = $1)
		 ORDER BY p.created_at, p.id LIMIT 200`,
		[wijk]
	);
	return rows.map((r) => ({
		id: r.id,
		itemId: r.item_id,
		itemTitle: r.title,
		layer: r.layer,
		width: r.width,
		height: r.height,
		createdAt: r.created_at.toISOString()
	}));
}

/** Any photo, for staff who decide on it. */
export async function staffPhoto(
	db: Sql,
	id: number
): Promise<{ mime: string; bytes: Uint8Array } | null> {
	const [r] = await db.query<{ mime: string; bytes: Uint8Array }>(
		'SELECT mime, bytes FROM item_photo WHERE id = $1',
		[id]
	);
	return r ?? null;
}

/** Shows the photo with its item, once the item itself is public. */
export function publishPhoto(db: Db, id: number, ctx: WriteContext): Promise<void> {
	return decidePhoto(db, id, 'photo.publish', ctx, (tx) =>
		tx.query('UPDATE item_photo SET public = true WHERE id = $1', [id])
	);
}

/** Deletes the photo: what is not shown need not be kept. */
export function removePhoto(db: Db, id: number, ctx: WriteContext): Promise<void> {
	return decidePhoto(db, id, 'photo.remove', ctx, (tx) =>
		tx.query('DELETE FROM item_photo WHERE id = $1', [id])
	);
}

async function decidePhoto(
	db: Db,
	id: number,
	action: string,
	ctx: WriteContext,
	write: (tx: Sql) => Promise<unknown>
): Promise<void> {
	await db.transaction(async (tx) => {
		const [before] = await tx.query<{
			item_id: number;
			public: boolean;
			mime: string;
			width: number;
			height: number;
		}>('SELECT item_id, public, mime, width, height FROM item_photo WHERE id = $1 FOR UPDATE', [
			id
		]);
		if (!before) throw new NotFoundError(msg('errors.moderation.noPhoto', { id }));
		// Publishing a photo changes what the public sees of its item: a moderation decision.
		authorizeItemWrite(ctx.actor, 'moderate', null, null);
		await write(tx);
		const [after] = await tx.query<{ public: boolean }>(
			'SELECT public FROM item_photo WHERE id = $1',
			[id]
		);
		// The audit trail names the photo, never its bytes.
		await recordAudit(tx, {
			actor: { kind: 'user', user: ctx.actor },
			action,
			entity: 'item_photo',
			entityId: id,
			before: {
				itemId: before.item_id,
				public: before.public,
				mime: before.mime,
				width: before.width,
				height: before.height
			},
			after: after ? { itemId: before.item_id, public: after.public } : null,
			client: ctx.client
		});
	});
}
