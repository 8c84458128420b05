import nl from '../../i18n/submission.nl.json' with { type: 'json' };
import type { Sql } from '../db/types.ts';
import { config } from '../config.ts';

export interface Limit {
	bucket: string;
	max: number;
	windowSeconds: number;
}

/** Per client: submissions per hour and searches per minute; set lower or higher by env. */
export const limits = {
	submit: (): Limit => ({ bucket: 'submit', max: config().rate.submit, windowSeconds: 3600 }),
	search: (): Limit => ({ bucket: 'search', max: config().rate.search, windowSeconds: 60 })
};

export const RATE_MESSAGES: Record<string, string> = {
	submit: nl.submission.rate,
	search: 'U heeft in korte tijd te vaak gezocht. Wacht een minuut en probeer het opnieuw.'
};

/**
 * Counts one hit for the client in the current fixed window; true while within the limit.
 * In the store, so several server processes share the count.
 */
export async function allow(
	db: Sql,
	client: string,
	limit: Limit,
	now = new Date()
): Promise<boolean> {
	const start = new Date(
		Math.floor(now.getTime() / 1000 / limit.windowSeconds) * limit.windowSeconds * 1000
	);
	const [row] = await db.query<{ hits: number }>(
		`INSERT INTO rate_limit (client, bucket, window_start, hits) VALUES ($1, $2, $3, 1)
		 ON CONFLICT (client, bucket, window_start) DO UPDATE SET hits = rate_limit.hits + 1
		 RETURNING hits`,
		[client, limit.bucket, start.toISOString()]
	);
	// Old windows are worthless; clear them now and then rather than on every hit.
	if (row.hits === 1 && Math.random() < 0.05) {
		await db.query(`DELETE FROM rate_limit WHERE window_start < now() - interval '1 day'`);
	}
	return row.hits <= limit.max;
}

export function tooMany(bucket: string): Response {
	return new Response(JSON.stringify({ error: RATE_MESSAGES[bucket] }), {
		status: 429,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'retry-after': bucket === 'search' ? '60' : '3600'
		}
	});
}
