import {
	AUDIT_PAGE_SIZE,
	auditVocabulary,
	parseAuditFilters,
	readAudit
} from '$lib/server/auth/audit-log';
import type { PageServerLoad } from './$types';

// Beheerders only: decided by the guard from policy.ts RULES.
export const load: PageServerLoad = async ({ locals, url }) => {
	const { filters, page, badDates } = parseAuditFilters(url.searchParams);
	const { rows, total } = await readAudit(locals.db, filters, page);
	return {
		filters,
		badDates,
		page,
		pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
		total,
		rows,
		vocabulary: await auditVocabulary(locals.db)
	};
};
