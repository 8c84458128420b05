import type { Sql } from '../db/types.ts';
import type { Role, StaffUser } from '../../domain/staff.ts';

/**
 * Reading a staff account: one home for sessions.ts (who is signed in) and users.ts (account
 * changes), so that neither imports the other.
 */
export interface UserRow {
	id: number;
	email: string;
	name: string;
	role: Role;
	department: string | null;
	wijken: string[] | null;
	disabled_at: Date | null;
	password_hash: string | null;
}

export const SELECT_USER = `SELECT u.id, u.email, u.name, u.role, u.department, u.disabled_at, u.password_hash,
	coalesce((SELECT array_agg(w.wijk ORDER BY w.wijk) FROM staff_user_wijk w WHERE w.user_id = u.id), '{}') AS wijken
	FROM staff_user u`;

export function toStaffUser(r: UserRow): StaffUser {
	return {
		id: r.id,
		email: r.email,
		name: r.name,
		role: r.role,
		department: r.department,
		wijken: r.wijken ?? []
	};
}

export async function loadUser(sql: Sql, id: number): Promise<StaffUser | null> {
	const [row] = await sql.query<UserRow>(
		`${SELECT_USER} WHERE u.id = $1 AND u.disabled_at IS NULL`,
		[id]
	);
	return row ? toStaffUser(row) : null;
}
