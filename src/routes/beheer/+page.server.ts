import type { PageServerLoad } from './$types';

// Who may see this page is decided by the guard (policy.ts RULES); here only what to show.
export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	return { me: { name: user.name || user.email, role: user.role, wijken: user.wijken, department: user.department } };
};
