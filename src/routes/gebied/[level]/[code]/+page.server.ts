import { loadAreaPage } from '$lib/server/area-page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) =>
	loadAreaPage(locals.db, params.code, params.level);
