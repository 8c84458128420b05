import type { Sql } from '../db/types.ts';
import { jsonError } from './json.ts';

export const UNAVAILABLE_MESSAGE =
	'De database is even niet bereikbaar. Probeer het over een minuut opnieuw.';

/** 503 in the form the path expects: JSON for the API and health check, a short page otherwise. */
export function unavailable(pathname: string): Response {
	if (pathname.startsWith('/api/') || pathname === '/healthz') {
		const res = jsonError(503, UNAVAILABLE_MESSAGE);
		res.headers.set('retry-after', '30');
		return res;
	}
	return new Response(
		`<!doctype html><html lang="nl"><meta charset="utf-8"><title>Wijkkaart</title><p>${UNAVAILABLE_MESSAGE}</p></html>`,
		{
			status: 503,
			headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '30' }
		}
	);
}

/**
 * After a 500: was it the store going away? A lost database is not a bug in the page, and
 * visitors and load balancers should hear "try again soon" (503), not "broken" (500).
 */
export async function storeIsDown(db: Sql, timeoutMs = 2_000): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			db.query('SELECT 1'),
			new Promise(
				(_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs))
			)
		]);
		return false;
	} catch {
		return true;
	} finally {
		clearTimeout(timer);
	}
}
