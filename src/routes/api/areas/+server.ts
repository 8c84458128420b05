import { listAreas, listLevels } from '$lib/server/areas';
import { AppError, msg } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ url, locals }) => {
	const levels = (await listLevels(locals.db)).map((l) => l.name);
	const level = url.searchParams.get('level') ?? levels[0];
	if (!level || !levels.includes(level)) {
		throw new AppError(
			levels.length
				? msg('errors.area.level', { level: level ?? '', levels: levels.join(', ') })
				: msg('errors.area.noLevels', { level: level ?? '' }),
			{ field: 'level' }
		);
	}
	return json(await listAreas(locals.db, level), 'application/geo+json');
});
