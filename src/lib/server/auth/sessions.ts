import { createHash, randomBytes } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { config } from '../config.ts';
import type { Sql } from '../db/types.ts';
import type { StaffUser } from '../../domain/staff.ts';
import { loadUser } from './accounts.ts';

/**
 * Server-side staff sessions. The cookie carries a random token; the store keeps only its
 * sha256, so a copy of the database lets nobody sign in. A session ends at sign-out, after
 * WIJKKAART_SESSION_IDLE_MINUTES without a request, WIJKKAART_SESSION_MAX_HOURS after sign-in,
 * or when the account is disabled or its password reset.
 */
export const SESSION_COOKIE = 'wijkkaart_sessie';

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export async function createSession(sql: Sql, userId: number): Promise<string> {
	const token = randomBytes(32).toString('base64url');
	await sql.query('INSERT INTO staff_session (token_hash, user_id) VALUES ($1, $2)', [
		hashToken(token),
		userId
	]);
	return token;
}

/** The signed-in user for a token, or null when the session is unknown, ended or expired. */
export async function sessionUser(
	sql: Sql,
	token: string | undefined,
	cfg = config()
): Promise<StaffUser | null> {
	if (!token || token.length > 200) return null;
	const hash = hashToken(token);
	// The store's clock decides expiry, so every server process agrees.
	const [row] = await sql.query<{ user_id: number; stale: boolean }>(
		`SELECT s.user_id, s.last_seen_at < now() - interval '1 minute' AS stale
		 FROM staff_session s JOIN staff_user u ON u.id = s.user_id
		 WHERE s.token_hash = $1 AND s.ended_at IS NULL AND u.disabled_at IS NULL
		   AND s.last_seen_at > now() - make_interval(secs => $2::float8)
		   AND s.created_at > now() - make_interval(secs => $3::float8)`,
		[hash, cfg.sessionIdleMinutes * 60, cfg.sessionMaxHours * 3600]
	);
	if (!row) return null;
	// Touch at most once a minute: a page with many requests should not write for each one.
	if (row.stale)
		await sql.query('UPDATE staff_session SET last_seen_at = now() WHERE token_hash = $1', [hash]);
	return loadUser(sql, row.user_id);
}

/** Ends one session; returns its user id when it was still open. */
export async function endSession(sql: Sql, token: string | undefined): Promise<number | null> {
	if (!token) return null;
	const rows = await sql.query<{ user_id: number }>(
		'UPDATE staff_session SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL RETURNING user_id',
		[hashToken(token)]
	);
	return rows.length ? rows[0].user_id : null;
}

export async function endAllSessions(sql: Sql, userId: number): Promise<void> {
	await sql.query(
		'UPDATE staff_session SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL',
		[userId]
	);
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, cfg = config()): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		// Plain http only on a developer's machine; a proxy terminating TLS must pass the
		// https origin (adapter-node ORIGIN / PROTOCOL_HEADER) so this comes out true.
		secure: url.protocol === 'https:',
		sameSite: 'lax',
		maxAge: Math.round(cfg.sessionMaxHours * 3600)
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		secure: url.protocol === 'https:',
		sameSite: 'lax'
	});
}
