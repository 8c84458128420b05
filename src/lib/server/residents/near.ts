import { AppError, msg } from '../../domain/errors.ts';
import { ParamError, parseItemQuery } from '../../domain/filters.ts';
import { parseRadius, type Radius } from '../../domain/nearby.ts';
import { themeIds } from '../../domain/themes.ts';
import type { Sql } from '../db/types.ts';
import { taxonomy } from '../items/taxonomy.ts';
import type { AddressHit } from './addresses.ts';
import { search } from './http.ts';
import { itemsNear, type NearItem } from './nearby.ts';
import { areasAt } from '../items/queries.ts';

export interface NearResult {
	point: [number, number] | null;
	radius: Radius;
	/** The search hit the point came from, and the other hits to choose from. */
	hit: AddressHit | null;
	hits: AddressHit[];
	items: NearItem[];
	areas: { level: string; code: string; name: string }[];
	/** Why there is no answer: its status (400 or 404) and text come with it. */
	error: AppError | null;
}

/**
 * "Near me" for a query string: q (the first search hit) or else lat/lon (from "Mijn locatie" or
 * a chosen hit), radius r, and the item filters of /api/items.
 */
export async function nearFor(db: Sql, params: URLSearchParams): Promise<NearResult> {
	const radius = parseRadius(params.get('r'));
	const out: NearResult = {
		point: null,
		radius: radius ?? 500,
		hit: null,
		hits: [],
		items: [],
		areas: [],
		error: null
	};
	if (radius === null)
		return { ...out, error: new AppError(msg('errors.near.radius'), { field: 'r' }) };
	const filterParams = new URLSearchParams();
	for (const k of ['layer', 'theme', 'status', 'from', 'to'])
		for (const v of params.getAll(k)) filterParams.append(k, v);
	let query;
	try {
		query = parseItemQuery(filterParams, themeIds(taxonomy()));
	} catch (err) {
		if (err instanceof ParamError) return { ...out, error: err };
		throw err;
	}
	const lat = params.get('lat');
	const lon = params.get('lon');
	const q = params.get('q')?.trim() ?? '';
	if (q) {
		if (q.length < 2)
			return { ...out, error: new AppError(msg('errors.near.short'), { field: 'q' }) };
		out.hits = await search(db, q.slice(0, 100));
		out.hit = out.hits[0] ?? null;
		if (!out.hit)
			return {
				...out,
				error: new AppError(msg('errors.near.nothing', { q }), { status: 404, field: 'q' })
			};
		out.point = [out.hit.lon, out.hit.lat];
	} else if (lat !== null && lon !== null) {
		const p: [number, number] = [Number(lon), Number(lat)];
		if (!p.every(Number.isFinite) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
			return { ...out, error: new AppError(msg('errors.near.location'), { field: 'lat' }) };
		out.point = p;
	} else return out;
	out.areas = await areasAt(db, out.point);
	if (out.areas.length === 0) {
		return { ...out, error: new AppError(msg('errors.near.outside')) };
	}
	out.items = await itemsNear(db, out.point, out.radius, query);
	return out;
}
