import type { Sql } from '../db/types.ts';
import { ADDR_COLUMNS, addressHit, type AddrRow, type AddressHit } from './addresses.ts';

/** One street name to write on a map that has no basemap: where its address points gather. */
export interface StreetLabel {
	street: string;
	lon: number;
	lat: number;
}

/** Wider than this (degrees) and the view holds too many streets to name: a town, not a street. */
export const MAX_LABEL_SPAN = 0.06;
export const MAX_LABELS = 80;

/**
 * The streets of the address index inside a bbox, the best-known (most points in view) first,
 * each at the address point nearest the middle of its points in view, so a label sits on the street.
 * An empty list for a view too wide to name streets in.
 */
export async function streetsInView(
	db: Sql,
	bbox: [number, number, number, number]
): Promise<StreetLabel[]> {
	const [w, s, e, n] = bbox;
	if (e - w > MAX_LABEL_SPAN * 2 || n - s > MAX_LABEL_SPAN) return [];
	return db.query<StreetLabel>(
		`SELECT street, ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
		 FROM (
		   SELECT street, count(*) AS n, ST_ClosestPoint(ST_Collect(geom), ST_Centroid(ST_Collect(geom))) AS p
		   FROM address WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
		   GROUP BY street
		 ) s
		 ORDER BY n DESC, street LIMIT ${MAX_LABELS}`,
		[w, s, e, n]
	);
}

/** How far (metres) a pin may be from the nearest indexed address for that address to be "where it is". */
export const NEAREST_MAX_METRES = 75;

/**
 * The indexed address nearest a point, within NEAREST_MAX_METRES, with its distance; null when
 * none is that close (a park, the edge of town, an index without that part).
 */
export async function nearestAddress(
	db: Sql,
	lon: number,
	lat: number
): Promise<(AddressHit & { metres: number }) | null> {
	const [r] = await db.query<AddrRow & { metres: number }>(
		`WITH here AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS pt)
		 SELECT ${ADDR_COLUMNS}, ST_Distance(geom::geography, here.pt::geography)::float8 AS metres
		 FROM address, here
		 WHERE geom && ST_Expand(here.pt, 0.002)
		 ORDER BY geom <-> here.pt LIMIT 1`,
		[lon, lat]
	);
	if (!r || r.metres > NEAREST_MAX_METRES) return null;
	return { ...addressHit(r), metres: Math.round(r.metres) };
}
