import { config } from '$lib/server/config';
import { areaTree, listLevels, municipalityBounds } from '$lib/server/areas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const [levels, bounds, tree] = await Promise.all([listLevels(locals.db), municipalityBounds(locals.db), areaTree(locals.db)]);
	return { levels: levels.map((l) => l.name), bounds, tree, basemapStyleUrl: config().basemapStyleUrl };
};
