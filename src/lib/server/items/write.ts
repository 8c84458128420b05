import type { ItemInput } from '../../domain/items.ts';
import type { Sql } from '../db/types.ts';

export interface WriteOptions {
	/** Name of the source (file, fixture set), kept on each item. */
	source?: string | null;
	batchSize?: number;
	onProgress?: (done: number) => void;
}

export interface WriteResult {
	/** Store ids of the written items, in input order; null where the item was skipped. */
	ids: (number | null)[];
	inserted: number;
	/** Input positions of items outside every area: not written. */
	outside: number[];
}

const BATCH = 5_000;

/**
 * Writes validated items in batches: one INSERT … FROM unnest(…) per batch, then one
 * set-based UPDATE that assigns the areas containing each item's representative point, then
 * the timelines and private contacts. Items inside no area are removed again and reported.
 * Run inside a transaction: a failure anywhere leaves nothing behind.
 */
export async function insertItems(tx: Sql, items: ItemInput[], opts: WriteOptions = {}): Promise<WriteResult> {
	const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM area');
	if (n === 0) throw new Error('er staan nog geen gebieden in de database; importeer eerst wijken en buurten');
	const size = opts.batchSize ?? BATCH;
	const result: WriteResult = { ids: [], inserted: 0, outside: [] };
	for (let start = 0; start < items.length; start += size) {
		const batch = items.slice(start, start + size);
		const ids = await insertBatch(tx, batch, opts.source ?? null);
		await assignAreas(tx, ids);
		const gone = new Set(
			(
				await tx.query<{ id: number | string }>(
					`DELETE FROM item WHERE id = ANY($1::bigint[]) AND areas = '{}'::jsonb RETURNING id`,
					[ids]
				)
			).map((r) => Number(r.id))
		);
		const kept: (number | null)[] = ids.map((id, i) => {
			if (!gone.has(id)) return id;
			result.outside.push(start + i);
			return null;
		});
		await insertTimelines(tx, batch, kept);
		await insertContacts(tx, batch, kept);
		result.ids.push(...kept);
		result.inserted += kept.length - gone.size;
		opts.onProgress?.(start + batch.length);
	}
	return result;
}

async function insertBatch(tx: Sql, batch: ItemInput[], source: string | null): Promise<number[]> {
	const col = <T>(f: (it: ItemInput) => T) => batch.map(f);
	const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
	const point = (it: ItemInput) => (it.geometry.type === 'Point' ? it.geometry.coordinates : null);
	const rows = await tx.query<{ id: number | string }>(
		`INSERT INTO item (layer, title, description, theme, themes, status, category, subcategory, sensitive,
		                   geom, details, starts_at, ends_at, due_at, created_at, updated_at, source, external_id)
		 SELECT s.layer, s.title, s.description, s.theme, string_to_array(s.themes, ','), s.status, s.category,
		        s.subcategory, coalesce(c.sensitive, false),
		        CASE WHEN s.gj IS NULL THEN ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)
		             ELSE ST_SetSRID(ST_GeomFromGeoJSON(s.gj), 4326) END,
		        s.details::jsonb, s.starts_at, s.ends_at,
		        s.created_at + make_interval(hours => 24 * c.sla_days),
		        s.created_at, coalesce(s.updated_at, s.created_at), $18, s.external_id
		 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		             $9::float8[], $10::float8[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
		             $15::timestamptz[], $16::timestamptz[], $17::text[])
		      WITH ORDINALITY AS s(layer, title, description, theme, themes, status, category, subcategory,
		                           lon, lat, gj, details, starts_at, ends_at, created_at, updated_at, external_id, ord)
		 LEFT JOIN melding_category c ON c.id = s.category
		 ORDER BY s.ord
		 RETURNING id`,
		[
			col((it) => it.layer),
			col((it) => it.title),
			col((it) => it.description ?? ''),
			col((it) => it.theme),
			col((it) => (it.themes ?? []).join(',')),
			col((it) => it.status),
			col((it) => it.category ?? null),
			col((it) => it.subcategory ?? null),
			col((it) => point(it)?.[0] ?? null),
			col((it) => point(it)?.[1] ?? null),
			col((it) => (point(it) ? null : JSON.stringify(it.geometry))),
			col((it) => JSON.stringify(it.details ?? {})),
			col((it) => iso(it.startsAt)),
			col((it) => iso(it.endsAt)),
			col((it) => iso(it.createdAt) ?? new Date().toISOString()),
			col((it) => iso(it.updatedAt)),
			col((it) => it.externalId ?? null),
			source
		]
	);
	// Identity values follow the ORDER BY, so sorted ids line up with the input rows.
	return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Areas at every level, from the representative point (ST_PointOnSurface: on a line, inside
 * a polygon). A point on a shared border goes to the lowest code, so the answer is stable.
 */
export async function assignAreas(tx: Sql, ids: number[]): Promise<void> {
	await tx.query(
		`UPDATE item i SET areas = x.areas
		 FROM (
		   SELECT id, jsonb_object_agg(level, code) AS areas
		   FROM (
		     SELECT DISTINCT ON (p.id, a.level) p.id, a.level, a.code
		     FROM (SELECT id, ST_PointOnSurface(geom) AS pt FROM item WHERE id = ANY($1::bigint[])) p
		     JOIN area a ON ST_Intersects(a.geom, p.pt)
		     ORDER BY p.id, a.level, a.code
		   ) hit
		   GROUP BY id
		 ) x
		 WHERE i.id = x.id`,
		[ids]
	);
}

async function insertTimelines(tx: Sql, batch: ItemInput[], ids: (number | null)[]): Promise<void> {
	const rows: [number, string, string | null, string | null, string][] = [];
	batch.forEach((it, i) => {
		const id = ids[i];
		if (id === null) return;
		for (const e of it.timeline ?? []) rows.push([id, e.at.toISOString(), e.from, e.to, e.text]);
	});
	if (rows.length === 0) return;
	await tx.query(
		`INSERT INTO item_update (item_id, at, status_from, status_to, public_text)
		 SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])`,
		[0, 1, 2, 3, 4].map((k) => rows.map((r) => r[k]))
	);
}

async function insertContacts(tx: Sql, batch: ItemInput[], ids: (number | null)[]): Promise<void> {
	const rows: [number, string | null, string | null, string | null][] = [];
	batch.forEach((it, i) => {
		const c = it.contact;
		if (ids[i] === null || !c || !(c.email || c.phone || c.name)) return;
		rows.push([ids[i]!, c.email ?? null, c.phone ?? null, c.name ?? null]);
	});
	if (rows.length === 0) return;
	await tx.query(
		`INSERT INTO melding_contact (item_id, email, phone, name)
		 SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])`,
		[0, 1, 2, 3].map((k) => rows.map((r) => r[k]))
	);
}

/** Links between items, by store id (e.g. a melding that led to a project). */
export async function linkItems(tx: Sql, links: { from: number; to: number; kind?: string }[]): Promise<void> {
	if (links.length === 0) return;
	await tx.query(
		`INSERT INTO item_link (item_id, linked_id, kind)
		 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
		[links.map((l) => l.from), links.map((l) => l.to), links.map((l) => l.kind ?? 'gerelateerd')]
	);
}
