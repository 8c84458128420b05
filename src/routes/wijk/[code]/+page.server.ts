import { WIJK_LEVEL } from '$lib/domain/area';
import { loadAreaPage } from '$lib/server/area-page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => loadAreaPage(locals.db, params.code, WIJK_LEVEL);
