import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Sql } from '../db/types.ts';
import type { FeedScope } from '../residents/feeds.ts';
import { queueSubscriptionConfirm } from './queue.ts';
import { findToken } from './tokens.ts';

/**
 * E-mail subscriptions from the "Volg" page, with a double opt-in: nothing but the confirmation
 * request is sent until the link in it is opened. Stopping takes one link in any message.
 */
export const SUBSCRIBE_MESSAGES = {
	email: { nl: 'Vul een geldig e-mailadres in.', en: 'Enter a valid e-mail address.' },
	scope: { nl: 'Kies wat u wilt volgen.', en: 'Choose what you want to follow.' },
	tooMany: {
		nl: 'Voor dit adres wachten al drie aanmeldingen op bevestiging. Kijk in uw mailbox (ook bij ongewenste e-mail).',
		en: 'Three subscriptions for this address are already waiting for confirmation. Check your mailbox (also the spam folder).'
	}
} as const;

/** Unconfirmed subscriptions per address: a stranger cannot flood someone's mailbox. */
const MAX_PENDING = 3;

export type SubscribeResult =
	| { ok: true; id: number }
	| { ok: false; field: 'email' | 'scope'; code: keyof typeof SUBSCRIBE_MESSAGES };

export async function subscribe(
	db: Db,
	email: string,
	scope: FeedScope,
	lang: 'nl' | 'en',
	baseUrl: string | null
): Promise<SubscribeResult> {
	const parsed = z.email().max(200).safeParse(email.trim().toLowerCase());
	if (!parsed.success) return { ok: false, field: 'email', code: 'email' };
	if (scope.kind === 'item') return { ok: false, field: 'scope', code: 'scope' };
	const address = parsed.data;
	return db.transaction(async (tx) => {
		const [pending] = await tx.query<{ n: number }>(
			`SELECT count(*) AS n FROM mail_subscription WHERE email = $1 AND confirmed_at IS NULL`,
			[address]
		);
		if (pending.n >= MAX_PENDING) return { ok: false, field: 'email', code: 'tooMany' } as const;
		const [row] = await tx.query<{ id: number }>(
			`INSERT INTO mail_subscription (email, kind, area_level, area_code, theme, lon, lat, radius_m, lang)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			[
				address,
				scope.kind,
				scope.kind === 'area' ? scope.level : null,
				scope.kind === 'area' ? scope.code : null,
				scope.kind === 'theme' ? scope.id : null,
				scope.kind === 'point' ? scope.lon : null,
				scope.kind === 'point' ? scope.lat : null,
				scope.kind === 'point' ? scope.radius : null,
				lang
			]
		);
		const id = row.id;
		await queueSubscriptionConfirm(tx, id, { baseUrl });
		// The audit says that someone subscribed to what, never to which address.
		await recordAudit(tx, {
			actor: { kind: 'resident' },
			action: 'subscription.create',
			entity: 'mail_subscription',
			entityId: id,
			after: { scope }
		});
		return { ok: true, id } as const;
	});
}

/** Opens a confirmation link; true when it confirmed (or had confirmed) a subscription. */
export async function confirmSubscription(db: Db, token: string): Promise<boolean> {
	const target = await findToken(db, token, 'bevestigen');
	if (!target || !('subscriptionId' in target)) return false;
	await db.transaction(async (tx) => {
		const done = await tx.query(
			`UPDATE mail_subscription SET confirmed_at = now(), sent_until = now() WHERE id = $1 AND confirmed_at IS NULL RETURNING id`,
			[target.subscriptionId]
		);
		if (done.length)
			await recordAudit(tx, {
				actor: { kind: 'resident' },
				action: 'subscription.confirm',
				entity: 'mail_subscription',
				entityId: target.subscriptionId
			});
	});
	return true;
}

export type Unsubscribed = { kind: 'subscription' } | { kind: 'item' } | null;

/** What a stop link stops, for the page that asks "weet u het zeker?". */
export async function unsubscribeTarget(db: Sql, token: string) {
	return findToken(db, token, 'afmelden');
}

/**
 * A stop link: a subscription is deleted with its address; for an item, the submitter's address
 * is erased (no more mail; staff can no longer write to them either).
 */
export async function unsubscribe(db: Db, token: string): Promise<Unsubscribed> {
	const target = await findToken(db, token, 'afmelden');
	if (!target) return null;
	return db.transaction(async (tx) => {
		if ('subscriptionId' in target) {
			await tx.query(`DELETE FROM mail_subscription WHERE id = $1`, [target.subscriptionId]);
			await recordAudit(tx, {
				actor: { kind: 'resident' },
				action: 'subscription.delete',
				entity: 'mail_subscription',
				entityId: target.subscriptionId
			});
			return { kind: 'subscription' } as const;
		}
		await tx.query(`UPDATE melding_contact SET email = NULL WHERE item_id = $1`, [target.itemId]);
		await recordAudit(tx, {
			actor: { kind: 'resident' },
			action: 'contact.unsubscribe',
			entity: 'item',
			entityId: target.itemId
		});
		return { kind: 'item' } as const;
	});
}
