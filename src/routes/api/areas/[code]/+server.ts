import { CONTROL } from '$lib/domain/filters';
import { getArea } from '$lib/server/areas';
import { json, jsonError } from '$lib/server/http/json';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url, locals }) => {
	const level = url.searchParams.get('level') ?? undefined;
	// The store refuses a NUL byte in text; such a code can name no area.
	const impossible = [params.code, level ?? ''].some((v) => CONTROL.test(v) || v.length > 200);
	const area = impossible ? null : await getArea(locals.db, params.code, level);
	if (!area)
		return jsonError(
			404,
			`Geen gebied met code "${params.code}"${level ? ` op niveau "${level}"` : ''}.`
		);
	return json(area.feature, 'application/geo+json');
};
