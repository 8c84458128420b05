import type { Feature, Geometry } from 'geojson';
import type { ItemQuery } from '../../domain/filters.ts';
import { withinRadius, type Radius } from '../../domain/nearby.ts';
import type { Sql } from '../db/types.ts';
import {
	LIST_COLUMNS,
	toFeature,
	itemWhere,
	type ItemProperties,
	type ItemRow
} from '../items/read.ts';
import { geojsonSql } from '../db/geojson.ts';
import { withinCircle } from './scope.ts';
import { placeholders } from '../db/params.ts';

export type NearItem = Feature<Geometry, ItemProperties & { distance: number }>;

/**
 * Public items within the radius, nearest first, with the same filters as /api/items (layer,
 * theme, status, q, dates). Distance is to the nearest point of the item's geometry.
 */
export async function itemsNear(
	db: Sql,
	point: [number, number],
	radius: Radius,
	query: ItemQuery,
	max = 500
): Promise<NearItem[]> {
	const { from, where, params } = await itemWhere(db, { ...query, bbox: null, area: null });
	const p = placeholders(params);
	const here = `ST_SetSRID(ST_MakePoint(${p(point[0])}, ${p(point[1])}), 4326)::geography`;
	const rows = await db.query<ItemRow & { distance: number }>(
		`SELECT ${LIST_COLUMNS}, ${geojsonSql('i.geom')} AS geometry, ST_Distance(i.geom::geography, ${here})::float8 AS distance
		 FROM ${from} WHERE ${where} AND ${withinCircle(point, radius, p)}
		 ORDER BY distance, i.id LIMIT ${p(max)}`,
		params
	);
	const located = rows.map((r) => ({ id: r.id, distance: r.distance, row: r }));
	return withinRadius(located, radius).map(({ row, distance }) => {
		const f = toFeature(row);
		return { ...f, properties: { ...f.properties, distance: Math.round(distance) } };
	});
}
