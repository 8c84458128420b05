import type { Sql } from '../db/types.ts';

/** A public bijeenkomst as the agenda pages, the meeting mode and the iCal feed show it. */
export interface Meeting {
	id: number;
	title: string;
	description: string;
	theme: string;
	status: string;
	startsAt: string;
	endsAt: string | null;
	wijk: string | null;
	venue: string | null;
	address: string | null;
	participation: string | null;
	influence: string | null;
	lon: number;
	lat: number;
}

/**
 * Upcoming (or, with `from`, later than it) public meetings, soonest first; optionally in one
 * wijk and of one theme (primary or secondary).
 */
export async function meetings(db: Sql, opts: { wijk?: string | null; theme?: string | null; from?: Date; limit?: number } = {}): Promise<Meeting[]> {
	const rows = await db.query<Record<string, unknown>>(
		`SELECT i.id::int, i.title, i.description, i.theme, i.status, i.starts_at, i.ends_at, i.areas->>'wijk' AS wijk,
		        i.details->>'venue' AS venue, i.details->>'address' AS address, i.details->>'participation' AS participation,
		        i.details->>'influence' AS influence,
		        ST_X(ST_PointOnSurface(i.geom))::float8 AS lon, ST_Y(ST_PointOnSurface(i.geom))::float8 AS lat
		 FROM item i
		 WHERE i.layer = 'bijeenkomsten' AND i.deleted_at IS NULL AND i.published AND NOT i.sensitive
		   AND i.starts_at >= $1 AND ($2::text IS NULL OR i.areas->>'wijk' = $2)
		   AND ($3::text IS NULL OR i.theme = $3 OR $3 = ANY(i.themes))
		 ORDER BY i.starts_at, i.id LIMIT $4`,
		[opts.from ?? new Date(), opts.wijk ?? null, opts.theme ?? null, opts.limit ?? 500]
	);
	return rows.map((r) => ({
		id: r.id as number,
		title: r.title as string,
		description: r.description as string,
		theme: r.theme as string,
		status: r.status as string,
		startsAt: new Date(r.starts_at as string).toISOString(),
		endsAt: r.ends_at ? new Date(r.ends_at as string).toISOString() : null,
		wijk: r.wijk as string | null,
		venue: r.venue as string | null,
		address: r.address as string | null,
		participation: r.participation as string | null,
		influence: r.influence as string | null,
		lon: r.lon as number,
		lat: r.lat as number
	}));
}
