import type { RequestHandler } from './$types';
import { json, jsonError, storeFor } from '$lib/server/http/json.ts';
import { areaSummary } from '$lib/server/items/read.ts';

/** Counts per layer × theme × status in an area of any level; sensitive meldingen only as aggregates. */
export const GET: RequestHandler = async (event) => {
	const level = event.url.searchParams.get('level');
	const summary = await areaSummary(await storeFor(event), event.params.code, level);
	if (!summary)
		return jsonError(
			404,
			`onbekend gebied "${event.params.code}"${level ? ` op niveau ${level}` : ''}`
		);
	return json(summary);
};
