import { radiusBox } from '../../domain/nearby.ts';
import { placeholders } from '../db/params.ts';

/** What a feed or calendar follows: an area at some level, a theme, a circle around a point, or one item. */
export type FeedScope =
	| { kind: 'area'; level: string; code: string; name: string }
	| { kind: 'theme'; id: string; name: string }
	| { kind: 'point'; lon: number; lat: number; radius: number }
	| { kind: 'item'; id: number; title: string };

/** The SQL condition on `item i` for a scope; values are pushed onto `params`. */
export function scopeWhere(scope: FeedScope, params: unknown[]): string {
	const p = placeholders(params);
	switch (scope.kind) {
		case 'area':
			return `i.areas @> ${p(JSON.stringify({ [scope.level]: scope.code }))}::jsonb`;
		case 'theme':
			return `(i.theme = ${p(scope.id)} OR ${p(scope.id)} = ANY(i.themes))`;
		case 'item':
			return `i.id = ${p(scope.id)}`;
		case 'point':
			return withinCircle([scope.lon, scope.lat], scope.radius, p);
	}
}

/**
 * `item i` within `metres` of a point, measured on the spheroid (geography). The exact test
 * alone reaches no index: `i.geom::geography` is not what item_geom_idx holds, and its
 * selectivity estimate is so low that the planner joined item_update by a nested loop of
 * sequential scans (2.7 s at 5,000 meldingen on PGlite, growing with the square of the size).
 * A box around the circle (a superset, radiusBox) goes through the GiST index first; the exact
 * test then only sees the items in the box, so the answer is the same.
 */
export function withinCircle(
	[lon, lat]: [number, number],
	metres: number,
	p: (v: unknown) => string
): string {
	let [minLon, minLat, maxLon, maxLat] = radiusBox([lon, lat], metres);
	// A box across the antimeridian or a pole would miss what lies beyond: take every longitude then.
	if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) [minLon, maxLon] = [-180, 180];
	const box = `ST_MakeEnvelope(${p(minLon)}, ${p(minLat)}, ${p(maxLon)}, ${p(maxLat)}, 4326)`;
	return `(i.geom && ${box} AND ST_DWithin(i.geom::geography, ST_SetSRID(ST_MakePoint(${p(lon)}, ${p(lat)}), 4326)::geography, ${p(metres)}))`;
}

export function scopeTitle(scope: FeedScope): string {
	if (scope.kind === 'area') return `Wijkkaart — ${scope.name} (${scope.level})`;
	if (scope.kind === 'theme') return `Wijkkaart — thema ${scope.name}`;
	if (scope.kind === 'item') return `Wijkkaart — ${scope.title}`;
	return `Wijkkaart — binnen ${scope.radius} m van ${scope.lat.toFixed(5)}, ${scope.lon.toFixed(5)}`;
}
