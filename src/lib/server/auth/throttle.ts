import type { Db, Sql } from '../db/types.ts';

/**
 * Login throttling, per account AND client pair, progressive, and atomic.
 *
 * - A pair (e-mail, client address) gets PAIR_FREE failures without delay; after that each
 *   further failure doubles the wait before its next attempt (30 s, 1, 2, 4, 8 min, at most 15).
 *   A success of the pair wipes its slate. So a guesser slows down fast, while the real user,
 *   from their own client, is never locked out by what someone elsewhere tries on their account:
 *   there is no lock by account alone.
 * - A client that fails CLIENT_LIMIT times within its window, whatever accounts it tries, waits
 *   until the oldest of those failures ages out (against spraying many accounts).
 * - Atomic: an attempt is written (as a failure) BEFORE the password is checked, under a lock per
 *   client, and counts the attempts written before it. Attempts sent in parallel therefore see
 *   each other; the success of a correct password turns its row into ok afterwards.
 * Attempts live in the store (login_attempt), so every server process counts the same.
 */
export interface ThrottleLimit {
	max: number;
	windowMinutes: number;
}

export const CLIENT_LIMIT: ThrottleLimit = { max: 20, windowMinutes: 15 };
/** Failures of one account+client pair before the delays start. */
export const PAIR_FREE = 3;
export const PAIR_FIRST_DELAY_S = 30;
export const PAIR_MAX_DELAY_S = 15 * 60;
/** Older failures of a pair no longer count. */
const PAIR_MEMORY_HOURS = 24;

/** Seconds a pair waits after its latest failure, given how many failures it has in a row. */
export function pairDelaySeconds(failures: number): number {
	if (failures < PAIR_FREE) return 0;
	return Math.min(PAIR_MAX_DELAY_S, PAIR_FIRST_DELAY_S * 2 ** (failures - PAIR_FREE));
}

/** Seconds to wait before the next attempt (0: go ahead), for a pair's failures and a client's. */
export function secondsToWait(
	pairFailures: readonly Date[],
	clientFailures: readonly Date[],
	now: Date
): number {
	const t = now.getTime();
	let wait = 0;
	if (pairFailures.length >= PAIR_FREE) {
		const last = Math.max(...pairFailures.map((d) => d.getTime()));
		wait = Math.max(wait, (last + pairDelaySeconds(pairFailures.length) * 1000 - t) / 1000);
	}
	const windowMs = CLIENT_LIMIT.windowMinutes * 60_000;
	const recent = clientFailures
		.map((d) => d.getTime())
		.filter((x) => x > t - windowMs && x <= t)
		.sort((a, b) => a - b);
	if (recent.length >= CLIENT_LIMIT.max)
		wait = Math.max(wait, (recent[recent.length - CLIENT_LIMIT.max] + windowMs - t) / 1000);
	return Math.max(0, Math.ceil(wait));
}

export const minutesOf = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

export function throttleMessage(minutes: number): string {
	return `Te veel mislukte pogingen. Probeer het over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} opnieuw.`;
}

export type Claim = { ok: true; attempt: number } | { ok: false; seconds: number };

/**
 * Claims a sign-in attempt: written as a failure first, then compared with what came before it.
 * Refused (and its row taken back, so waiting does not lengthen the wait) when it must wait.
 */
export async function claimAttempt(
	db: Db,
	email: string,
	client: string,
	now = new Date()
): Promise<Claim> {
	return db.transaction(async (tx) => {
		// One claim per client at a time: the counts below then include every earlier attempt.
		await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`login:${client}`]);
		const [mine] = await tx.query<{ id: number }>(
			'INSERT INTO login_attempt (email, client, ok) VALUES ($1, $2, false) RETURNING id',
			[email, client]
		);
		const since = new Date(now.getTime() - PAIR_MEMORY_HOURS * 3_600_000);
		const pair = await tx.query<{ at: Date }>(
			`SELECT at FROM login_attempt
			 WHERE email = $1 AND client = $2 AND NOT ok AND at > $3 AND id < $4
			   AND id > coalesce((SELECT max(id) FROM login_attempt WHERE email = $1 AND client = $2 AND ok), 0)`,
			[email, client, since, mine.id]
		);
		const fromClient = await tx.query<{ at: Date }>(
			`SELECT at FROM login_attempt WHERE client = $1 AND NOT ok AND at > $2 AND id < $3`,
			[client, new Date(now.getTime() - CLIENT_LIMIT.windowMinutes * 60_000), mine.id]
		);
		const toDate = (r: { at: Date }) => r.at;
		const seconds = secondsToWait(pair.map(toDate), fromClient.map(toDate), now);
		if (seconds > 0) {
			await tx.query('DELETE FROM login_attempt WHERE id = $1', [mine.id]);
			return { ok: false, seconds };
		}
		return { ok: true, attempt: mine.id };
	});
}

/** The claimed attempt turned out right: it counts as a success (and wipes the pair's slate). */
export async function attemptSucceeded(sql: Sql, attempt: number): Promise<void> {
	await sql.query('UPDATE login_attempt SET ok = true WHERE id = $1', [attempt]);
}
