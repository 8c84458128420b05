import type { Sql } from '../db/types.ts';
import { findTracking } from './tracking.ts';

interface PhotoRow {
	mime: string;
	bytes: Uint8Array;
}

/** A photo for everyone: only once staff made it public, and only of a public item. */
export async function publicPhoto(db: Sql, id: number): Promise<PhotoRow | null> {
	const [r] = await db.query<PhotoRow>(
		`SELECT p.mime, p.bytes FROM item_photo p JOIN public_item i ON i.id = p.item_id WHERE p.id = $1 AND p.public`,
		[id]
	);
	return r ?? null;
}

/** The submitter's own photo, through their tracking link, public or not. */
export async function ownPhoto(db: Sql, token: string, id: number): Promise<PhotoRow | null> {
	const t = await findTracking(db, token);
	if (!t) return null;
	const [r] = await db.query<PhotoRow>(
		'SELECT mime, bytes FROM item_photo WHERE id = $1 AND item_id = $2',
		[id, t.itemId]
	);
	return r ?? null;
}

export function photoResponse(p: PhotoRow, cache: string): Response {
	return new Response(Buffer.from(p.bytes), {
		headers: {
			'content-type': p.mime,
			'cache-control': cache,
			'content-security-policy': "default-src 'none'"
		}
	});
}
