import nodemailer, { type Transporter } from 'nodemailer';
import nl from '../../i18n/mail.nl.json';
import en from '../../i18n/mail.en.json';
import { statusDef, type Layer } from '../../domain/layers.ts';
import { recordAudit } from '../audit.ts';
import { config, type Config } from '../config.ts';
import type { Db, Sql } from '../db/types.ts';
import { taxonomy } from '../items/taxonomy.ts';
import { feedEntries, type FeedScope } from '../residents/feeds.ts';
import { addTrackingLink } from '../residents/tracking.ts';
import { makeToken } from './tokens.ts';

/**
 * The sender: reads due outbox rows, writes each message at the moment it is sent (address
 * from the store, fresh links), hands it to SMTP, and retries failures with a growing delay.
 * A failure is recorded on the row; the change that queued it was committed long before.
 */
const TEXTS = { nl, en } as const;
type Lang = keyof typeof TEXTS;
type Key = keyof typeof nl;

function t(lang: Lang, key: Key, values: Record<string, string | number> = {}): string {
	return TEXTS[lang][key].replace(/\{(\w+)\}/g, (m, k: string) =>
		k in values ? String(values[k]) : m
	);
}

/** Give up after this many tries (the last one about a day after the first). */
export const MAX_ATTEMPTS = 8;

/** Seconds to wait after the n-th failed attempt: 1, 2, 4 … minutes, at most 6 hours. */
export function retryDelaySeconds(attempts: number): number {
	return Math.min(60 * 2 ** Math.max(0, attempts - 1), 6 * 3600);
}

export interface Message {
	to: string;
	subject: string;
	text: string;
	unsubscribe: string | null;
}

interface OutboxRow {
	id: number;
	kind: 'bevestiging' | 'update' | 'afgewezen' | 'aanmelding' | 'overzicht';
	item_id: number | null;
	update_id: number | null;
	subscription_id: number | null;
	lang: Lang;
	base_url: string | null;
	period_from: Date | null;
	period_to: Date | null;
	attempts: number;
}

const statusName = (layer: string, status: string | null, lang: Lang) =>
	status ? (statusDef(layer as Layer, status)?.[lang] ?? status) : '';

function baseOf(row: OutboxRow, cfg: Config): string {
	return cfg.publicUrl ?? row.base_url?.replace(/\/+$/, '') ?? `http://localhost:${cfg.port}`;
}

async function itemMessage(tx: Sql, row: OutboxRow, cfg: Config): Promise<Message | null> {
	const [c] = await tx.query<{
		email: string | null;
		id: number;
		layer: Layer;
		title: string;
		description: string;
		moderation_reason: string | null;
		number: string | null;
	}>(
		`SELECT c.email, i.id, i.layer, i.title, i.description, i.moderation_reason,
		        (SELECT t.tracking_number FROM tracking t WHERE t.item_id = i.id ORDER BY t.created_at LIMIT 1) AS number
		 FROM melding_contact c JOIN item i ON i.id = c.item_id WHERE c.item_id = $1 AND i.deleted_at IS NULL`,
		[row.item_id]
	);
	if (!c?.email || !c.number) return null;
	const lang = row.lang;
	const base = baseOf(row, cfg);
	const id = c.id;
	const kind = t(lang, c.layer === 'meldingen' ? 'mail.kind.meldingen' : 'mail.kind.initiatieven');
	const link = `${base}/volg/${await addTrackingLink(tx, id, c.number)}`;
	const unsubscribe = `${base}/afmelden/${await makeToken(tx, 'afmelden', { itemId: id })}`;
	const footer = t(lang, 'mail.footer.item', { kind, days: cfg.contactRetentionDays, unsubscribe });
	const v = { kind, number: c.number, link, title: c.title };
	let subject: string;
	let body: string;
	if (row.kind === 'bevestiging') {
		subject = t(lang, 'mail.confirm.subject', v);
		body = t(lang, 'mail.confirm.body', { ...v, description: c.description });
	} else if (row.kind === 'afgewezen') {
		subject = t(lang, 'mail.rejected.subject', v);
		body = t(lang, 'mail.rejected.body', { ...v, reason: c.moderation_reason ?? '' });
	} else {
		const [u] = await tx.query<{
			item_id: number;
			status_to: string | null;
			public_text: string;
			layer: Layer;
			status: string;
		}>(
			`SELECT u.item_id, u.status_to, u.public_text, i.layer, i.status FROM item_update u JOIN item i ON i.id = u.item_id WHERE u.id = $1`,
			[row.update_id]
		);
		if (!u) return null;
		const status = statusName(u.layer, u.status_to ?? u.status, lang);
		// A note without a status change names no status in the subject; the body gives the current one.
		subject = t(lang, u.status_to ? 'mail.update.subject' : 'mail.update.subjectNote', {
			...v,
			status
		});
		const parts = [t(lang, 'mail.update.body', { ...v, status, text: u.public_text })];
		if (u.item_id !== id) parts.unshift(t(lang, 'mail.update.merged'));
		// Closed now: ask whether it is really solved; the tracking page holds the answer form.
		if (u.layer === 'meldingen' && u.status_to === 'afgehandeld')
			parts.push(t(lang, 'mail.solved.question', { link: `${link}#opgelost` }));
		body = parts.join('\n\n');
	}
	return { to: c.email, subject, text: `${body}\n\n-- \n${footer}\n`, unsubscribe };
}

interface SubscriptionRow {
	id: number;
	email: string;
	kind: 'area' | 'theme' | 'point';
	area_level: string | null;
	area_code: string | null;
	theme: string | null;
	lon: number | null;
	lat: number | null;
	radius_m: number | null;
	confirmed_at: Date | null;
}

/** The feed scope a subscription follows (the same selection as its Atom feed), and its name. */
export async function subscriptionScope(
	db: Sql,
	s: SubscriptionRow,
	lang: Lang
): Promise<{ scope: FeedScope; name: string } | null> {
	if (s.kind === 'area') {
		const [a] = await db.query<{ name: string }>(
			`SELECT name FROM area WHERE level = $1 AND code = $2`,
			[s.area_level, s.area_code]
		);
		if (!a) return null;
		return {
			scope: { kind: 'area', level: s.area_level!, code: s.area_code!, name: a.name },
			name: t(lang, 'mail.scope.area', { level: s.area_level!, name: a.name })
		};
	}
	if (s.kind === 'theme') {
		const th = taxonomy().themes.find((x) => x.id === s.theme);
		if (!th) return null;
		return {
			scope: { kind: 'theme', id: th.id, name: th.nl },
			name: t(lang, 'mail.scope.theme', { name: th[lang] })
		};
	}
	return {
		scope: { kind: 'point', lon: s.lon!, lat: s.lat!, radius: s.radius_m! },
		name: t(lang, 'mail.scope.point', {
			radius: s.radius_m!,
			lat: s.lat!.toFixed(5),
			lon: s.lon!.toFixed(5)
		})
	};
}

const dateFmt = (lang: Lang) =>
	new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
		dateStyle: 'long',
		timeStyle: 'short',
		timeZone: 'Europe/Amsterdam'
	});

async function subscriptionMessage(tx: Sql, row: OutboxRow, cfg: Config): Promise<Message | null> {
	const [s] = await tx.query<SubscriptionRow>(`SELECT * FROM mail_subscription WHERE id = $1`, [
		row.subscription_id
	]);
	if (!s) return null;
	const lang = row.lang;
	const base = baseOf(row, cfg);
	const sid = s.id;
	const scope = await subscriptionScope(tx, s, lang);
	if (!scope) return null;
	if (row.kind === 'aanmelding') {
		if (s.confirmed_at) return null;
		const link = `${base}/volgen/bevestig/${await makeToken(tx, 'bevestigen', { subscriptionId: sid })}`;
		return {
			to: s.email,
			subject: t(lang, 'mail.subscribe.subject', { scope: scope.name }),
			text: `${t(lang, 'mail.subscribe.body', { scope: scope.name, link })}\n`,
			unsubscribe: null
		};
	}
	if (!s.confirmed_at) return null;
	const from = row.period_from!;
	const to = row.period_to!;
	const entries = (await feedEntries(tx, scope.scope)).entries
		.filter((e) => e.date > from && e.date <= to)
		.sort((a, b) => a.date.getTime() - b.date.getTime());
	if (entries.length === 0) return null;
	const unsubscribe = `${base}/afmelden/${await makeToken(tx, 'afmelden', { subscriptionId: sid })}`;
	const lines = entries.map(
		(e) => `- ${e.title}${e.kind === 'status' ? `: ${e.text}` : ''}\n  ${base}/item/${e.itemId}`
	);
	const text = [
		t(lang, 'mail.digest.body', { since: dateFmt(lang).format(from), scope: scope.name }),
		lines.join('\n'),
		`-- \n${t(lang, 'mail.footer.subscription', { scope: scope.name, unsubscribe })}`
	].join('\n\n');
	return {
		to: s.email,
		subject: t(lang, 'mail.digest.subject', { scope: scope.name, n: entries.length }),
		text: `${text}\n`,
		unsubscribe
	};
}

/** The message for an outbox row as of now, or null when there is no one (left) to send it to. */
export async function compose(
	tx: Sql,
	row: OutboxRow,
	cfg: Config = config()
): Promise<Message | null> {
	return row.item_id !== null ? itemMessage(tx, row, cfg) : subscriptionMessage(tx, row, cfg);
}

export interface Transport {
	send(m: Message, from: string): Promise<void>;
}

export function smtpTransport(url: string): Transport & { close(): void } {
	const tr: Transporter = nodemailer.createTransport(url);
	return {
		async send(m, from) {
			await tr.sendMail({
				from,
				to: m.to,
				subject: m.subject,
				text: m.text,
				headers: m.unsubscribe ? { 'List-Unsubscribe': `<${m.unsubscribe}>` } : {}
			});
		},
		close: () => tr.close()
	};
}

export interface DeliveryReport {
	sent: number;
	skipped: number;
	failed: number;
	retrying: number;
}

/**
 * Sends what is due, at most `batch` rows. A row is claimed first (its next attempt pushed
 * ahead), so a second sender process or a crash mid-send does not send it twice at once.
 */
export async function deliverDue(
	db: Db,
	transport: Transport,
	cfg: Config = config(),
	batch = 50
): Promise<DeliveryReport> {
	const report: DeliveryReport = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
	const rows = await db.query<OutboxRow>(
		`UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + interval '15 minutes'
		 WHERE id IN (SELECT id FROM mail_outbox WHERE outcome IS NULL AND next_attempt_at <= now() ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
		 RETURNING id, kind, item_id, update_id, subscription_id, lang, base_url, period_from, period_to, attempts`
	);
	for (const row of rows.sort((a, b) => a.id - b.id)) {
		// Written (and its links stored) before sending: SMTP is slow and holds no lock of ours.
		const message = await db.transaction((tx) => compose(tx, row, cfg));
		if (!message) {
			await db.query(
				`UPDATE mail_outbox SET outcome = 'overgeslagen', done_at = now() WHERE id = $1`,
				[row.id]
			);
			report.skipped++;
			continue;
		}
		try {
			await transport.send(message, cfg.mailFrom);
			await db.query(
				`UPDATE mail_outbox SET outcome = 'verzonden', done_at = now(), last_error = NULL WHERE id = $1`,
				[row.id]
			);
			report.sent++;
		} catch (err) {
			const error = String((err as Error).message ?? err).slice(0, 500);
			if (row.attempts >= MAX_ATTEMPTS) {
				await db.query(
					`UPDATE mail_outbox SET outcome = 'mislukt', done_at = now(), last_error = $2 WHERE id = $1`,
					[row.id, error]
				);
				report.failed++;
			} else {
				await db.query(
					`UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`,
					[row.id, retryDelaySeconds(row.attempts), error]
				);
				report.retrying++;
			}
		}
	}
	return report;
}

/** Confirmed subscriptions whose period is over get an overview row (sent only when it has news). */
export async function queueOverviews(db: Db, cfg: Config = config()): Promise<number> {
	return db.transaction(async (tx) => {
		const rows = await tx.query(
			`WITH due AS (
			   UPDATE mail_subscription s SET sent_until = now()
			   FROM (SELECT id, sent_until AS old_until FROM mail_subscription
			         WHERE confirmed_at IS NOT NULL AND sent_until <= now() - make_interval(secs => $1) FOR UPDATE) o
			   WHERE s.id = o.id
			   RETURNING s.id, s.lang, o.old_until, s.sent_until
			 )
			 INSERT INTO mail_outbox (kind, subscription_id, lang, period_from, period_to)
			 SELECT 'overzicht', id, lang, old_until, sent_until FROM due RETURNING id`,
			[cfg.mailDigestHours * 3600]
		);
		return rows.length;
	});
}

/**
 * AVG: a reporter's address is erased a set time after the melding (or the one it was merged
 * into) closed or was refused; unconfirmed subscriptions after 7 days; finished outbox rows
 * after the same retention. Audited as one system entry with the counts.
 */
export async function purgeExpired(
	db: Db,
	cfg: Config = config()
): Promise<{ contacts: number; subscriptions: number; outbox: number }> {
	return db.transaction(async (tx) => {
		const days = cfg.contactRetentionDays;
		const contacts = await tx.query(
			`UPDATE melding_contact c SET email = NULL, phone = NULL
			 FROM item own
			 LEFT JOIN item tgt ON tgt.id = own.merged_into AND own.moderation = 'samengevoegd'
			 WHERE own.id = c.item_id AND (c.email IS NOT NULL OR c.phone IS NOT NULL)
			   AND (
			     (own.moderation = 'afgewezen' AND own.moderated_at < now() - make_interval(days => $1))
			     OR (
			       NOT (SELECT st.open FROM item_status st WHERE st.layer = coalesce(tgt.layer, own.layer) AND st.status = coalesce(tgt.status, own.status))
			       AND coalesce(
			         (SELECT max(u.at) FROM item_update u WHERE u.item_id = coalesce(tgt.id, own.id)),
			         coalesce(tgt.updated_at, own.updated_at)
			       ) < now() - make_interval(days => $1)
			     )
			   )
			 RETURNING c.item_id`,
			[days]
		);
		const subscriptions = await tx.query(
			`DELETE FROM mail_subscription WHERE confirmed_at IS NULL AND created_at < now() - interval '7 days' RETURNING id`
		);
		const outbox = await tx.query(
			`DELETE FROM mail_outbox WHERE done_at < now() - make_interval(days => $1) RETURNING id`,
			[days]
		);
		const counts = {
			contacts: contacts.length,
			subscriptions: subscriptions.length,
			outbox: outbox.length
		};
		if (counts.contacts || counts.subscriptions) {
			await recordAudit(tx, {
				actor: { kind: 'system' },
				action: 'mail.retention',
				entity: 'melding_contact',
				after: { ...counts, days }
			});
		}
		return counts;
	});
}
