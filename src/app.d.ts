import type { Db } from '$lib/server/db';
import type { StaffUser } from '$lib/domain/staff';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			lang: 'nl' | 'en';
			/** The signed-in staff member, or null for residents and anonymous visitors. */
			user: StaffUser | null;
			/** Set when a statement of this request hit the store's time budget (answered 503). */
			overBudget?: boolean;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
