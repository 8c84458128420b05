import { AppError, msg } from '../../domain/errors.ts';
import type { Sql, Db } from '../db/types.ts';
import { recordAudit, type Actor } from '../audit.ts';
import { isRole, ROLES, type Role, type StaffUser } from '../../domain/staff.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { createSession, endAllSessions, endSession } from './sessions.ts';
import { attemptSucceeded, claimAttempt, minutesOf, throttleMessage } from './throttle.ts';
import { loadUser, SELECT_USER, toStaffUser, type UserRow } from './accounts.ts';

export { loadUser } from './accounts.ts';

/** Staff accounts: creation, listing, disabling, password reset and sign-in. */

/** A mistake in what the caller asked (unknown role, unknown wijk, …): shown as is, in Dutch. */
/** A mistake in what an administrator typed (400). */
export class UserInputError extends AppError {}

/** Roles that only act within their wijken; a beheerder or moderator is never bound. */
export const WIJK_BOUND_ROLES: readonly Role[] = ['wijkregisseur', 'medewerker'];

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export interface ListedUser extends StaffUser {
	disabled: boolean;
	hasPassword: boolean;
}

export async function listUsers(sql: Sql): Promise<ListedUser[]> {
	const rows = await sql.query<UserRow>(`${SELECT_USER} ORDER BY u.email`);
	return rows.map((r) => ({
		...toStaffUser(r),
		disabled: r.disabled_at !== null,
		hasPassword: r.password_hash !== null
	}));
}

export interface NewUser {
	email: string;
	role: string;
	wijken?: string[];
	name?: string;
	department?: string | null;
	password: string;
}

async function checkWijken(sql: Sql, wijken: string[]): Promise<void> {
	if (wijken.length === 0) return;
	const known = await sql.query<{ code: string }>(
		`SELECT code FROM area WHERE level = 'wijk' AND code = ANY($1::text[])`,
		[wijken]
	);
	const unknown = wijken.filter((w) => !known.some((k) => k.code === w));
	if (unknown.length) {
		const codes = unknown.map((w) => `"${w}"`).join(', ');
		throw new UserInputError(
			msg(unknown.length > 1 ? 'errors.user.wijken' : 'errors.user.wijk', { codes }),
			{ field: 'wijk' }
		);
	}
}

/** One home for what a role may be bound to; add and change both ask here. */
function checkRoleWijken(
	roleInput: string,
	wijkenInput: string[]
): { role: Role; wijken: string[] } {
	if (!isRole(roleInput))
		throw new UserInputError(
			msg('errors.user.role', { role: roleInput, allowed: ROLES.join(', ') }),
			{ field: 'role' }
		);
	const role = roleInput;
	const wijken = [...new Set(wijkenInput)];
	if (wijken.length && !WIJK_BOUND_ROLES.includes(role)) {
		throw new UserInputError(msg('errors.user.roleWijken', { role }), { field: 'wijk' });
	}
	// A wijkregisseur directs wijken; without one the account could do nothing it is meant for.
	if (role === 'wijkregisseur' && wijken.length === 0)
		throw new UserInputError(msg('errors.user.regisseurWijk'), { field: 'wijk' });
	return { role, wijken };
}

export async function addUser(
	db: Db,
	input: NewUser,
	actor: Actor,
	client: string | null = null
): Promise<StaffUser> {
	const email = normalizeEmail(input.email);
	if (!/^[^@\s]+@[^@\s]+$/.test(email))
		throw new UserInputError(msg('errors.user.email', { email: input.email }), { field: 'email' });
	const { role, wijken } = checkRoleWijken(input.role, input.wijken ?? []);
	const problem = passwordProblem(input.password);
	if (problem) throw new UserInputError(problem, { field: 'password' });
	const hash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		await checkWijken(tx, wijken);
		const [exists] = await tx.query('SELECT 1 FROM staff_user WHERE email = $1', [email]);
		if (exists) throw new UserInputError(msg('errors.user.exists', { email }), { field: 'email' });
		const [{ id }] = await tx.query<{ id: number }>(
			`INSERT INTO staff_user (email, name, role, department, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			[email, input.name?.trim() ?? '', role, input.department?.trim() || null, hash]
		);
		for (const w of wijken)
			await tx.query('INSERT INTO staff_user_wijk (user_id, wijk) VALUES ($1, $2)', [id, w]);
		const user = (await loadUser(tx, id))!;
		await recordAudit(tx, {
			actor,
			action: 'user.add',
			entity: 'staff_user',
			entityId: user.id,
			after: publicFields(user),
			client
		});
		return user;
	});
}

function publicFields(u: StaffUser) {
	return { email: u.email, name: u.name, role: u.role, department: u.department, wijken: u.wijken };
}

async function requireUser(sql: Sql, email: string): Promise<UserRow> {
	const [row] = await sql.query<UserRow>(`${SELECT_USER} WHERE u.email = $1`, [
		normalizeEmail(email)
	]);
	if (!row)
		throw new UserInputError(msg('errors.user.none', { email: normalizeEmail(email) }), {
			field: 'email'
		});
	return row;
}

/** Disabling keeps the account (the audit trail refers to it) but ends its sessions at once. */
export async function disableUser(
	db: Db,
	email: string,
	actor: Actor,
	client: string | null = null
): Promise<void> {
	await db.transaction(async (tx) => {
		const row = await requireUser(tx, email);
		if (row.disabled_at)
			throw new UserInputError(msg('errors.user.disabled', { email: row.email }));
		await tx.query('UPDATE staff_user SET disabled_at = now() WHERE id = $1', [row.id]);
		await endAllSessions(tx, row.id);
		await recordAudit(tx, {
			actor,
			action: 'user.disable',
			entity: 'staff_user',
			entityId: row.id,
			before: { email: row.email, disabled: false },
			after: { email: row.email, disabled: true },
			client
		});
	});
}

export interface UserChange {
	role?: string;
	/** The full new set of wijken (replaces the old one). */
	wijken?: string[];
	name?: string;
	department?: string | null;
}

/**
 * Role, wijken, name or department. Sessions stay open: every request reads the account afresh
 * (sessions.ts), so the next one already has the new rights.
 */
export async function changeUser(
	db: Db,
	email: string,
	change: UserChange,
	actor: Actor,
	client: string | null = null
): Promise<StaffUser> {
	return db.transaction(async (tx) => {
		const row = await requireUser(tx, email);
		const before = toStaffUser(row);
		// A role without wijken drops them; a bound role keeps its wijken unless new ones are given.
		const role = change.role ?? row.role;
		const wijken = change.wijken ?? (WIJK_BOUND_ROLES.includes(role as Role) ? before.wijken : []);
		const checked = checkRoleWijken(role, wijken);
		await checkWijken(tx, checked.wijken);
		await tx.query('UPDATE staff_user SET role = $2, name = $3, department = $4 WHERE id = $1', [
			row.id,
			checked.role,
			change.name === undefined ? row.name : change.name.trim(),
			change.department === undefined ? row.department : change.department?.trim() || null
		]);
		await tx.query('DELETE FROM staff_user_wijk WHERE user_id = $1', [row.id]);
		for (const w of checked.wijken)
			await tx.query('INSERT INTO staff_user_wijk (user_id, wijk) VALUES ($1, $2)', [row.id, w]);
		const [after] = await tx.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [row.id]);
		const user = toStaffUser(after);
		await recordAudit(tx, {
			actor,
			action: 'user.change',
			entity: 'staff_user',
			entityId: row.id,
			before: publicFields(before),
			after: publicFields(user),
			client
		});
		return user;
	});
}

/** A disabled account back in use; it signs in again with its password (or after a reset). */
export async function enableUser(
	db: Db,
	email: string,
	actor: Actor,
	client: string | null = null
): Promise<void> {
	await db.transaction(async (tx) => {
		const row = await requireUser(tx, email);
		if (!row.disabled_at)
			throw new UserInputError(msg('errors.user.notDisabled', { email: row.email }));
		await tx.query('UPDATE staff_user SET disabled_at = NULL WHERE id = $1', [row.id]);
		await recordAudit(tx, {
			actor,
			action: 'user.enable',
			entity: 'staff_user',
			entityId: row.id,
			before: { email: row.email, disabled: true },
			after: { email: row.email, disabled: false },
			client
		});
	});
}

/** New password; every open session of the account ends, whoever holds it. */
export async function resetPassword(
	db: Db,
	email: string,
	password: string,
	actor: Actor,
	client: string | null = null
): Promise<void> {
	const problem = passwordProblem(password);
	if (problem) throw new UserInputError(problem, { field: 'password' });
	const hash = await hashPassword(password);
	await db.transaction(async (tx) => {
		const row = await requireUser(tx, email);
		await tx.query('UPDATE staff_user SET password_hash = $2 WHERE id = $1', [row.id, hash]);
		await endAllSessions(tx, row.id);
		// Never the hash itself: the trail says that it changed, not what to.
		await recordAudit(tx, {
			actor,
			action: 'user.reset',
			entity: 'staff_user',
			entityId: row.id,
			after: { email: row.email, passwordReset: true },
			client
		});
	});
}

export type SignIn =
	| { ok: true; user: StaffUser; token: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; minutes: number; message: string };

// Verified when the account does not exist, so a wrong address costs as long as a wrong password.
let dummyHash: Promise<string> | null = null;

/**
 * Checks a sign-in and, when it is good, opens a session. Every outcome is counted for
 * throttling and written to the audit trail (never the password).
 */
export async function signIn(
	db: Db,
	emailInput: string,
	password: string,
	client: string
): Promise<SignIn> {
	const email = normalizeEmail(emailInput).slice(0, 320);
	const claim = await claimAttempt(db, email, client);
	if (!claim.ok) {
		const wait = minutesOf(claim.seconds);
		await recordAudit(db, {
			actor: { kind: 'system' },
			action: 'login.throttled',
			entity: 'staff_session',
			after: { email },
			client
		});
		return { ok: false, reason: 'throttled', minutes: wait, message: throttleMessage(wait) };
	}
	const [row] = await db.query<UserRow>(`${SELECT_USER} WHERE u.email = $1`, [email]);
	dummyHash ??= hashPassword('geen-account-geen-wachtwoord');
	const good = await verifyPassword(password, row?.password_hash ?? (await dummyHash));
	const ok = Boolean(row && good && !row.disabled_at && row.password_hash);
	return db.transaction(async (tx) => {
		if (ok) await attemptSucceeded(tx, claim.attempt);
		if (!ok || !row) {
			const reason = !row
				? 'onbekend account'
				: row.disabled_at && good
					? 'account uitgeschakeld'
					: 'wachtwoord onjuist';
			await recordAudit(tx, {
				actor: { kind: 'system' },
				action: 'login.failed',
				entity: 'staff_session',
				entityId: row ? row.id : null,
				after: { email, reason },
				client
			});
			return { ok: false, reason: 'invalid' } as const;
		}
		const user = toStaffUser(row);
		const token = await createSession(tx, user.id);
		await recordAudit(tx, {
			actor: { kind: 'user', user },
			action: 'login',
			entity: 'staff_session',
			entityId: user.id,
			client
		});
		return { ok: true, user, token } as const;
	});
}

export async function signOut(
	db: Db,
	user: StaffUser | null,
	token: string | undefined,
	client: string
): Promise<void> {
	await db.transaction(async (tx) => {
		const userId = await endSession(tx, token);
		if (userId === null) return;
		const who =
			user && user.id === userId
				? user
				: { id: userId, email: (await loadUser(tx, userId))?.email ?? '' };
		await recordAudit(tx, {
			actor: { kind: 'user', user: who },
			action: 'logout',
			entity: 'staff_session',
			entityId: userId,
			client
		});
	});
}
