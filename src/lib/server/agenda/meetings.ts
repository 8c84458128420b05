import type { Sql } from '../db/types.ts';
import { scopeWhere, type FeedScope } from '../residents/scope.ts';

/** A public bijeenkomst as the agenda pages, the meeting mode and the calendars show it. */
export interface Meeting {
	id: number;
	title: string;
	description: string;
	theme: string;
	themes: string[];
	status: string;
	startsAt: string;
	endsAt: string | null;
	createdAt: string;
	updatedAt: string;
	/** item.version: 1 when created, +1 on every change. */
	version: number;
	wijk: string | null;
	venue: string | null;
	address: string | null;
	participation: string | null;
	influence: string | null;
	lon: number;
	lat: number;
}

/**
 * Public meetings starting at or after `from` (default: now), soonest first; optionally in one
 * wijk, of one theme (primary or secondary) and/or in a feed's scope (area at any level, theme,
 * circle, one item). Meetings are read on their own, so meldingen never push them out of a list.
 */
export async function meetings(
	db: Sql,
	opts: {
		wijk?: string | null;
		theme?: string | null;
		scope?: FeedScope;
		from?: Date;
		limit?: number;
	} = {}
): Promise<Meeting[]> {
	const params: unknown[] = [
		opts.from ?? new Date(),
		opts.wijk ?? null,
		opts.theme ?? null,
		opts.limit ?? 500
	];
	const scoped = opts.scope ? ` AND ${scopeWhere(opts.scope, params)}` : '';
	const rows = await db.query<Record<string, unknown>>(
		`SELECT i.id, i.title, i.description, i.theme, i.themes, i.status, i.starts_at, i.ends_at, i.created_at, i.updated_at,
		        i.version, i.areas->>'wijk' AS wijk,
		        coalesce(i.details->>'venue', i.details->>'location') AS venue, i.details->>'address' AS address,
		        i.details->>'participation' AS participation, i.details->>'influence' AS influence,
		        ST_X(ST_PointOnSurface(i.geom)) AS lon, ST_Y(ST_PointOnSurface(i.geom)) AS lat
		 FROM public_item i
		 WHERE i.layer = 'bijeenkomsten'
		   AND i.starts_at >= $1 AND ($2::text IS NULL OR i.areas->>'wijk' = $2)
		   AND ($3::text IS NULL OR i.theme = $3 OR $3 = ANY(i.themes))${scoped}
		 ORDER BY i.starts_at, i.id LIMIT $4`,
		params
	);
	const iso = (v: unknown) => (v as Date).toISOString();
	return rows.map((r) => ({
		id: r.id as number,
		title: r.title as string,
		description: r.description as string,
		theme: r.theme as string,
		themes: (r.themes as string[] | null) ?? [],
		status: r.status as string,
		startsAt: iso(r.starts_at),
		endsAt: r.ends_at ? iso(r.ends_at) : null,
		createdAt: iso(r.created_at),
		updatedAt: iso(r.updated_at),
		version: r.version as number,
		wijk: r.wijk as string | null,
		venue: r.venue as string | null,
		address: r.address as string | null,
		participation: r.participation as string | null,
		influence: r.influence as string | null,
		lon: r.lon as number,
		lat: r.lat as number
	}));
}
