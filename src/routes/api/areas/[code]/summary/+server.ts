import type { RequestHandler } from './$types';
import { msg, NotFoundError } from '$lib/domain/errors.ts';
import { endpoint } from '$lib/server/http/errors.ts';
import { json, storeFor } from '$lib/server/http/json.ts';
import { areaSummary } from '$lib/server/items/read.ts';

/** Counts per layer × theme × status in an area of any level; sensitive meldingen only as aggregates. */
export const GET: RequestHandler = endpoint(async (event) => {
	const level = event.url.searchParams.get('level');
	const summary = await areaSummary(await storeFor(event), event.params.code, level);
	if (!summary)
		throw new NotFoundError(
			level
				? msg('errors.area.unknownAtLevel', { code: event.params.code, level })
				: msg('errors.area.unknown', { code: event.params.code })
		);
	return json(summary);
});
