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
			return `ST_DWithin(i.geom::geography, ST_SetSRID(ST_MakePoint(${p(scope.lon)}, ${p(scope.lat)}), 4326)::geography, ${p(scope.radius)})`;
	}
}

export function scopeTitle(scope: FeedScope): string {
	if (scope.kind === 'area') return `Wijkkaart — ${scope.name} (${scope.level})`;
	if (scope.kind === 'theme') return `Wijkkaart — thema ${scope.name}`;
	if (scope.kind === 'item') return `Wijkkaart — ${scope.title}`;
	return `Wijkkaart — binnen ${scope.radius} m van ${scope.lat.toFixed(5)}, ${scope.lon.toFixed(5)}`;
}
