import { listAreas, listLevels } from '$lib/server/areas';
import { json, jsonError } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, locals }) => {
	const levels = (await listLevels(locals.db)).map((l) => l.name);
	const level = url.searchParams.get('level') ?? levels[0];
	if (!level || !levels.includes(level)) {
		return jsonError(
			400,
			`Onbekend niveau "${level ?? ''}". Bekende niveaus: ${levels.join(', ') || '(nog geen)'}.`
		);
	}
	return json(await listAreas(locals.db, level), 'application/geo+json');
};
