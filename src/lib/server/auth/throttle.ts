import type { Sql } from '../db/types.ts';

/**
 * Login throttling: too many failed sign-ins for one account, or from one client, within a
 * window block further attempts until enough failures have aged out. Attempts live in the
 * store (login_attempt) so every server process counts the same.
 */
export interface ThrottleLimit {
	max: number;
	windowMinutes: number;
}

export const ACCOUNT_LIMIT: ThrottleLimit = { max: 5, windowMinutes: 15 };
export const CLIENT_LIMIT: ThrottleLimit = { max: 20, windowMinutes: 15 };

/**
 * Whole minutes to wait before the next attempt (0: go ahead). Blocked while `max` or more
 * failures fall inside the window; the block lifts when the failure that makes it `max`
 * leaves the window.
 */
export function minutesToWait(failures: readonly Date[], now: Date, limit: ThrottleLimit): number {
	const windowMs = limit.windowMinutes * 60_000;
	const recent = failures
		.map((d) => d.getTime())
		.filter((t) => t > now.getTime() - windowMs && t <= now.getTime())
		.sort((a, b) => a - b);
	if (recent.length < limit.max) return 0;
	const freeAt = recent[recent.length - limit.max] + windowMs;
	return Math.max(1, Math.ceil((freeAt - now.getTime()) / 60_000));
}

export function throttleMessage(minutes: number): string {
	return `Te veel mislukte pogingen. Probeer het over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} opnieuw.`;
}

/**
 * Minutes the store says this sign-in must wait, the longer of the account's and the client's.
 * An account's failures before its last successful sign-in no longer count.
 */
export async function loginWait(sql: Sql, email: string, client: string, now = new Date()): Promise<number> {
	const since = new Date(now.getTime() - Math.max(ACCOUNT_LIMIT.windowMinutes, CLIENT_LIMIT.windowMinutes) * 60_000);
	const account = await sql.query<{ at: Date }>(
		`SELECT at FROM login_attempt
		 WHERE email = $1 AND NOT ok AND at > $2
		   AND at > coalesce((SELECT max(at) FROM login_attempt WHERE email = $1 AND ok), '-infinity')`,
		[email, since]
	);
	const client_ = await sql.query<{ at: Date }>(`SELECT at FROM login_attempt WHERE client = $1 AND NOT ok AND at > $2`, [client, since]);
	const toDate = (r: { at: Date | string }) => new Date(r.at);
	return Math.max(
		minutesToWait(account.map(toDate), now, ACCOUNT_LIMIT),
		minutesToWait(client_.map(toDate), now, CLIENT_LIMIT)
	);
}

export async function recordAttempt(sql: Sql, email: string, client: string, ok: boolean): Promise<void> {
	await sql.query('INSERT INTO login_attempt (email, client, ok) VALUES ($1, $2, $3)', [email, client, ok]);
}
