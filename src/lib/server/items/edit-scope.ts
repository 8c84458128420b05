import type { RequestEvent } from '@sveltejs/kit';
import type { Sql } from '../db/types.ts';
import type { Scope } from '../auth/policy.ts';
import { formStrings, location } from './edit-form.ts';

/**
 * The wijk a new item will land in, for the guard's scope check on create: read from a copy of
 * the request (JSON body or form), located by the same representative-point rule as every
 * write. null when the body holds no usable location: the handler then refuses it (400), so
 * nothing is written either way.
 */
export async function newItemWijk(event: RequestEvent, db: Sql): Promise<Scope | null> {
	let geometry: unknown;
	try {
		const copy = event.request.clone();
		if ((copy.headers.get('content-type') ?? '').includes('application/json')) geometry = ((await copy.json()) as { geometry?: unknown })?.geometry;
		else geometry = location(formStrings(await copy.formData()));
	} catch {
		return null;
	}
	if (!geometry || typeof geometry !== 'object') return null;
	try {
		const rows = await db.query<{ code: string }>(
			`SELECT a.code FROM area a WHERE a.level = 'wijk'
			   AND ST_Intersects(a.geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))) ORDER BY a.code LIMIT 1`,
			[JSON.stringify(geometry)]
		);
		return rows.length ? { wijken: [rows[0].code] } : null;
	} catch {
		// Unreadable geometry: the handler answers it with a field message.
		return null;
	}
}
