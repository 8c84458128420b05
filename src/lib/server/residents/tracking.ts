import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/types.ts';

/**
 * Private tracking links. The token is 32 random bytes (base64url, 43 characters); only its
 * sha256 is stored, so the table alone opens no link. The tracking number is for the phone:
 * readable, not secret.
 */
export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isTokenShape(token: string): boolean {
	return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** M-2026-000123 for a melding, I-… for an initiative: prefix, year, item id. */
export function trackingNumber(layer: string, itemId: number, at = new Date()): string {
	return `${layer === 'meldingen' ? 'M' : 'I'}-${at.getUTCFullYear()}-${String(itemId).padStart(6, '0')}`;
}

export async function createTracking(
	tx: Sql,
	itemId: number,
	layer: string
): Promise<{ token: string; trackingNumber: string }> {
	const number = trackingNumber(layer, itemId);
	return { token: await addTrackingLink(tx, itemId, number), trackingNumber: number };
}

/** One more private link to the same item (each e-mail gets its own); returns the token. */
export async function addTrackingLink(tx: Sql, itemId: number, number: string): Promise<string> {
	const token = newToken();
	await tx.query(
		'INSERT INTO tracking (token_hash, item_id, tracking_number) VALUES ($1, $2, $3)',
		[hashToken(token), itemId, number]
	);
	return token;
}

/** The item a token opens, or null; malformed tokens never reach the store. */
export async function findTracking(
	db: Sql,
	token: string
): Promise<{ itemId: number; trackingNumber: string } | null> {
	if (!isTokenShape(token)) return null;
	const [row] = await db.query<{ item_id: number; tracking_number: string }>(
		'SELECT item_id, tracking_number FROM tracking WHERE token_hash = $1',
		[hashToken(token)]
	);
	return row ? { itemId: row.item_id, trackingNumber: row.tracking_number } : null;
}
