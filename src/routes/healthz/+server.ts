import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** For load balancers and monitoring: is the store answering, and since when is this process up. */
export const GET: RequestHandler = async ({ locals }) => {
	const started = performance.now();
	try {
		await locals.db.query('SELECT 1');
		return json(
			{
				status: 'ok',
				store: locals.db.kind,
				storeMs: Math.round((performance.now() - started) * 10) / 10,
				uptimeS: Math.round(process.uptime())
			},
			{ headers: { 'cache-control': 'no-store' } }
		);
	} catch (err) {
		return json(
			{
				status: 'unavailable',
				store: locals.db.kind,
				error: 'De database antwoordt niet.',
				detail: (err as Error).message.slice(0, 200)
			},
			{ status: 503, headers: { 'cache-control': 'no-store', 'retry-after': '30' } }
		);
	}
};
