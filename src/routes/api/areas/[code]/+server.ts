import { CONTROL } from '$lib/domain/filters';
import { getArea } from '$lib/server/areas';
import { msg, NotFoundError } from '$lib/domain/errors';
import { endpoint } from '$lib/server/http/errors';
import { json } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = endpoint(async ({ params, url, locals }) => {
	const level = url.searchParams.get('level') ?? undefined;
	// The store refuses a NUL byte in text; such a code can name no area.
	const impossible = [params.code, level ?? ''].some((v) => CONTROL.test(v) || v.length > 200);
	const area = impossible ? null : await getArea(locals.db, params.code, level);
	if (!area)
		throw new NotFoundError(
			level
				? msg('errors.area.codeAtLevel', { code: params.code, level })
				: msg('errors.area.code', { code: params.code })
		);
	return json(area.feature, 'application/geo+json');
});
