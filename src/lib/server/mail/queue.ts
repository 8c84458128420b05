import type { Sql } from '../db/types.ts';

/**
 * Writes to the outbox, always inside the transaction that makes the change, so a message
 * exists exactly when its change does. No address and no link goes in: the sender reads the
 * address and makes the links when it sends (src/lib/server/mail/send.ts).
 */
export interface Origin {
	/** Origin of the request that made the change, for the links. */
	baseUrl?: string | null;
}

/** Confirmation of a new submission, when the submitter left an address. */
export async function queueConfirmation(
	tx: Sql,
	itemId: number,
	origin: Origin = {}
): Promise<void> {
	await tx.query(
		`INSERT INTO mail_outbox (kind, item_id, lang, base_url)
		 SELECT 'bevestiging', c.item_id, c.lang, $2 FROM melding_contact c WHERE c.item_id = $1 AND c.email IS NOT NULL`,
		[itemId, origin.baseUrl ?? null]
	);
}

/**
 * A timeline entry (a status change with its public text, or a public note) on an item: to its
 * submitter, and to the submitters of meldingen merged into it, whose links follow it.
 */
export async function queueUpdate(
	tx: Sql,
	itemId: number,
	updateId: number,
	origin: Origin = {}
): Promise<void> {
	await tx.query(
		`INSERT INTO mail_outbox (kind, item_id, update_id, lang, base_url)
		 SELECT 'update', c.item_id, $2, c.lang, $3
		 FROM melding_contact c JOIN item s ON s.id = c.item_id
		 WHERE c.email IS NOT NULL AND (s.id = $1 OR (s.merged_into = $1 AND s.moderation = 'samengevoegd'))`,
		[itemId, updateId, origin.baseUrl ?? null]
	);
}

/** A refusal by moderation, with the reason the submitter reads. */
export async function queueRejection(tx: Sql, itemId: number, origin: Origin = {}): Promise<void> {
	await tx.query(
		`INSERT INTO mail_outbox (kind, item_id, lang, base_url)
		 SELECT 'afgewezen', c.item_id, c.lang, $2 FROM melding_contact c WHERE c.item_id = $1 AND c.email IS NOT NULL`,
		[itemId, origin.baseUrl ?? null]
	);
}

/** The double opt-in message of a new subscription. */
export async function queueSubscriptionConfirm(
	tx: Sql,
	subscriptionId: number,
	origin: Origin = {}
): Promise<void> {
	await tx.query(
		`INSERT INTO mail_outbox (kind, subscription_id, lang, base_url)
		 SELECT 'aanmelding', id, lang, $2 FROM mail_subscription WHERE id = $1`,
		[subscriptionId, origin.baseUrl ?? null]
	);
}
