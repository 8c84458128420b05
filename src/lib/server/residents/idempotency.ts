import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/types.ts';
import nl from '../../i18n/submission.nl.json' with { type: 'json' };

/**
 * Idempotency keys for resident submissions. The client picks the key (a UUID, say) and sends it
 * again when an answer got lost; the second request then gets the first one's answer, tracking
 * link included, and no second melding exists. The store keeps a hash of the key and the token
 * sealed with a key derived from it, so only whoever holds the key can open the link again.
 */
export const KEY_MESSAGE = nl.submission.key;

export function isKeyShape(key: string): boolean {
	return /^[A-Za-z0-9_.:-]{16,200}$/.test(key);
}

const hashKey = (key: string) =>
	createHash('sha256').update(`wijkkaart-submission:${key}`, 'utf8').digest('hex');
const sealingKey = (key: string) =>
	createHash('sha256').update(`wijkkaart-seal:${key}`, 'utf8').digest();

export function sealToken(key: string, token: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', sealingKey(key), iv);
	const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function openToken(key: string, sealed: string): string {
	const raw = Buffer.from(sealed, 'base64url');
	const decipher = createDecipheriv('aes-256-gcm', sealingKey(key), raw.subarray(0, 12));
	decipher.setAuthTag(raw.subarray(12, 28));
	return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Called inside the submission's transaction: the key and the item stand or fall together. */
export async function rememberKey(
	tx: Sql,
	key: string,
	itemId: number,
	token: string
): Promise<void> {
	await tx.query(
		'INSERT INTO submission_key (key_hash, item_id, sealed_token) VALUES ($1, $2, $3)',
		[hashKey(key), itemId, sealToken(key, token)]
	);
}

export interface EarlierSubmission {
	itemId: number;
	trackingNumber: string;
	token: string;
}

/** The submission this key already made, or null. */
export async function earlierSubmission(db: Sql, key: string): Promise<EarlierSubmission | null> {
	const [row] = await db.query<{
		item_id: number;
		tracking_number: string;
		sealed_token: string;
	}>(
		`SELECT k.item_id, t.tracking_number, k.sealed_token FROM submission_key k JOIN tracking t ON t.item_id = k.item_id WHERE k.key_hash = $1`,
		[hashKey(key)]
	);
	return row
		? {
				itemId: row.item_id,
				trackingNumber: row.tracking_number,
				token: openToken(key, row.sealed_token)
			}
		: null;
}

/** A unique violation on the key: two requests with one key raced, and the other one won. */
export function isKeyConflict(err: unknown): boolean {
	const e = err as { code?: string; constraint?: string; message?: string };
	return e?.code === '23505' && /submission_key/.test(`${e.constraint ?? ''} ${e.message ?? ''}`);
}
