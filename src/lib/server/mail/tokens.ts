import type { Sql } from '../db/types.ts';
import { hashToken, isTokenShape, newToken } from '../residents/tracking.ts';

/**
 * Links made for one e-mail: confirm a subscription, or stop e-mail. Same token shape and
 * hashing as tracking links; only the hash is stored.
 */
export type TokenPurpose = 'bevestigen' | 'afmelden';
export type TokenTarget = { subscriptionId: number } | { itemId: number };

export async function makeToken(
	tx: Sql,
	purpose: TokenPurpose,
	target: TokenTarget
): Promise<string> {
	const token = newToken();
	await tx.query(
		`INSERT INTO mail_token (token_hash, purpose, subscription_id, item_id) VALUES ($1, $2, $3, $4)`,
		[
			hashToken(token),
			purpose,
			'subscriptionId' in target ? target.subscriptionId : null,
			'itemId' in target ? target.itemId : null
		]
	);
	return token;
}

export async function findToken(
	db: Sql,
	token: string,
	purpose: TokenPurpose
): Promise<TokenTarget | null> {
	if (!isTokenShape(token)) return null;
	const [row] = await db.query<{
		subscription_id: number | null;
		item_id: number | null;
	}>(`SELECT subscription_id, item_id FROM mail_token WHERE token_hash = $1 AND purpose = $2`, [
		hashToken(token),
		purpose
	]);
	if (!row) return null;
	return row.subscription_id !== null
		? { subscriptionId: row.subscription_id }
		: { itemId: row.item_id! };
}
