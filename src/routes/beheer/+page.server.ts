import type { PageServerLoad } from './$types';

// Who may see this page is decided by the guard (policy.ts RULES); here only what to show.
export const load: PageServerLoad = async ({ locals }) => {
	const user = locals.user!;
	// The wijkagenda editor: a wijkregisseur's own wijken, every wijk for a beheerder (policy.ts).
	const agendaWijken =
		user.role === 'beheerder' || user.role === 'wijkregisseur'
			? await locals.db.query<{ code: string; name: string }>(
					`SELECT code, name FROM area WHERE level = 'wijk' AND ($1::boolean OR code = ANY($2::text[])) ORDER BY name`,
					[user.role === 'beheerder', user.wijken]
				)
			: [];
	return {
		me: {
			name: user.name || user.email,
			role: user.role,
			wijken: user.wijken,
			department: user.department
		},
		agendaWijken
	};
};
