import type { Scope, ScopeResolver } from '../auth/policy.ts';
import { itemWijken } from './queries.ts';

/** The ids a bulk form sends (field `id`, repeated). */
export function idsOf(form: FormData | null): number[] {
	return [
		...new Set(
			(form?.getAll('id') ?? [])
				.filter((v): v is string => typeof v === 'string' && /^\d{1,15}$/.test(v))
				.map(Number)
		)
	];
}

/**
 * Scope of a bulk answer: every chosen item must be in the user's wijken (or department), so
 * the scopes are chained with `and` (policy.ts decideScope checks each). No ids: null, and the
 * action answers 400 without writing.
 */
export const formItemsWijk: ScopeResolver = async (event, db) => {
	const ids = idsOf(
		await event.request
			.clone()
			.formData()
			.catch(() => null)
	);
	if (ids.length === 0) return null;
	const rows = await itemWijken(db, ids);
	if (rows.length === 0) return null;
	return rows.reduceRight<Scope | null>(
		(and, r) => ({ wijken: r.wijk ? [r.wijk] : [], department: r.department, and }),
		null
	);
};
