import { config } from '$lib/server/config';
import { storeFacts } from '$lib/server/areas';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const facts = await storeFacts(locals.db);
	return {
		lang: locals.lang,
		demo: facts.demo,
		gemeente: facts.gemeente ?? config().municipalityName,
		// Only what the header shows; never the session itself.
		staff: locals.user ? { name: locals.user.name || locals.user.email } : null
	};
};
