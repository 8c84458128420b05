/** Staff roles and what a signed-in staff member carries through a request. */
export const ROLES = ['beheerder', 'wijkregisseur', 'medewerker', 'moderator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface StaffUser {
	id: number;
	email: string;
	name: string;
	role: Role;
	department: string | null;
	/** Wijk codes the role is bound to; empty means not bound to wijken. */
	wijken: string[];
}
