import type { Geometry } from 'geojson';
import { msg, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { geometrySchema } from '../../domain/item-edit.ts';
import { recordAudit, type Actor } from '../audit.ts';
import type { Sql } from '../db/types.ts';
import { checkGeometry } from '../items/edit.ts';
import { location } from '../items/edit-form.ts';
import { actorLabel, VersionConflict } from './store.ts';

/**
 * Where an action of the wijkagenda happens and what it is linked to: a drawn or typed shape,
 * buurten of its wijk, and public items. Changed apart from status and progress because staff
 * often place an action long after it was agreed; the version still guards against overwriting.
 */
export interface ActionPlace {
	geometry: Geometry | null;
	buurten: string[];
	items: number[];
	/** Optional public note on the action's timeline. */
	text: string;
}

/** Reads the place form: typed coordinates win over a drawn shape, as in the item form. */
export function placeFromForm(f: FormData): ActionPlace {
	const strings: Record<string, string> = {};
	for (const k of ['lat', 'lon', 'rdX', 'rdY', 'geometry']) strings[k] = String(f.get(k) ?? '');
	const raw = location(strings);
	let geometry: Geometry | null = null;
	if (raw !== undefined) {
		const parsed = geometrySchema.safeParse(raw);
		if (!parsed.success)
			throw new ValidationError({
				geometry: parsed.error.issues[0]?.message ?? 'Deze vorm is ongeldig.'
			});
		geometry = parsed.data as Geometry;
	}
	const itemText = String(f.get('items') ?? '').trim();
	const items = itemText ? itemText.split(/[\s,;]+/).filter(Boolean) : [];
	const bad = items.find((i) => !/^\d{1,15}$/.test(i) || Number(i) < 1);
	if (bad)
		throw new ValidationError({
			items: msg('errors.agenda.itemNumber', { text: bad.slice(0, 40) })
		});
	return {
		geometry,
		buurten: [...new Set(f.getAll('buurten').map(String).filter(Boolean))],
		items: [...new Set(items.map(Number))],
		text: String(f.get('text') ?? '')
			.trim()
			.slice(0, 2000)
	};
}

/** Sets the place and links of one action of `wijk`; refuses anything outside the wijk or unknown, writing nothing. */
export async function setActionPlace(
	tx: Sql,
	wijk: string,
	id: number,
	version: number,
	place: ActionPlace,
	actor: Actor,
	now = new Date()
): Promise<number> {
	const [cur] = await tx.query<{
		version: number;
		updated_by: string | null;
		updated_at: Date;
		geometry: string | null;
		buurten: string[];
		items: number[];
	}>(
		`SELECT a.version, a.updated_by, a.updated_at, ST_AsGeoJSON(a.geom, 7) AS geometry, a.buurten,
		        coalesce((SELECT array_agg(item_id::int ORDER BY item_id) FROM action_item WHERE action_id = a.id), '{}') AS items
		 FROM action a JOIN ambition m ON m.id = a.ambition_id JOIN agenda g ON g.id = m.agenda_id
		 WHERE a.id = $1 AND g.wijk = $2 FOR UPDATE OF a`,
		[id, wijk]
	);
	if (!cur) throw new NotFoundError(msg('errors.agenda.actionHere', { id }), { field: 'form' });
	if (cur.version !== version) throw VersionConflict.of(cur);
	if (place.geometry) {
		await checkGeometry(tx, place.geometry);
		const [inside] = await tx.query<{ ok: boolean }>(
			`SELECT ST_Intersects(a.geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) AS ok FROM area a WHERE a.code = $1 AND a.level = 'wijk'`,
			[wijk, JSON.stringify(place.geometry)]
		);
		if (!inside?.ok) throw new ValidationError({ geometry: msg('errors.agenda.placeOutside') });
	}
	if (place.buurten.length) {
		const known = new Set(
			(await tx.query<{ code: string }>(`SELECT code FROM area WHERE parent = $1`, [wijk])).map(
				(b) => b.code
			)
		);
		const bad = place.buurten.find((b) => !known.has(b));
		if (bad)
			throw new ValidationError({
				buurten: msg('errors.agenda.placeBuurt', { buurt: bad.slice(0, 40) })
			});
	}
	if (place.items.length) {
		const found = new Set(
			(
				await tx.query<{ id: number }>(`SELECT id FROM public_item WHERE id = ANY($1::bigint[])`, [
					place.items
				])
			).map((r) => r.id)
		);
		const missing = place.items.filter((i) => !found.has(i));
		if (missing.length)
			throw new ValidationError({
				items: msg('errors.agenda.placeItems', { items: missing.join(', ') })
			});
	}
	const [{ version: next }] = await tx.query<{ version: number }>(
		`UPDATE action SET geom = CASE WHEN $2::text IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON($2::text), 4326) END,
		        buurten = $3::text[], version = version + 1, updated_at = $4, updated_by = $5
		 WHERE id = $1 RETURNING version`,
		[
			id,
			place.geometry ? JSON.stringify(place.geometry) : null,
			place.buurten,
			now,
			actorLabel(actor)
		]
	);
	await tx.query(`DELETE FROM action_item WHERE action_id = $1`, [id]);
	if (place.items.length)
		await tx.query(`INSERT INTO action_item (action_id, item_id) SELECT $1, unnest($2::bigint[])`, [
			id,
			place.items
		]);
	if (place.text) {
		await tx.query(
			`INSERT INTO action_update (action_id, at, status_from, status_to, progress_from, progress_to, public_text)
			 SELECT id, $2, status, status, progress, progress, $3 FROM action WHERE id = $1`,
			[id, now, place.text]
		);
	}
	const before = {
		geometry: cur.geometry ? JSON.parse(cur.geometry) : null,
		buurten: cur.buurten,
		items: cur.items
	};
	const after = {
		geometry: place.geometry,
		buurten: place.buurten,
		items: [...place.items].sort((a, b) => a - b)
	};
	await recordAudit(tx, {
		actor,
		action: 'action.place',
		entity: 'action',
		entityId: id,
		before,
		after
	});
	return next;
}
