import type { MultiPolygon } from 'geojson';
import type { ItemInput } from '../../domain/items.ts';
import { AreaIndex } from '../../geo/area-index.ts';
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
 * From this many points on, areas are found in memory (AreaIndex, ~20× PostGIS here) rather than
 * by the join in the insert; smaller writes keep the store's own rule.
 */
const INDEX_FROM_POINTS = 1_000;

/** The areas in memory, for bulk assignment of points. */
export async function loadAreaIndex(tx: Sql): Promise<AreaIndex> {
	const rows = await tx.query<{ level: string; code: string; geometry: string }>(
		'SELECT level, code, ST_AsGeoJSON(geom) AS geometry FROM area'
	);
	return new AreaIndex(
		rows.map((r) => ({
			level: r.level,
			code: r.code,
			geometry: JSON.parse(r.geometry) as MultiPolygon
		}))
	);
}

/**
 * Writes validated items in batches of one INSERT … SELECT … FROM unnest(…) each, with the
 * areas found in the same statement, then their timelines and private contacts. Items inside
 * no area are not written and are reported. Run inside a transaction: a failure anywhere
 * leaves nothing behind.
 */
export async function insertItems(
	tx: Sql,
	items: ItemInput[],
	opts: WriteOptions = {}
): Promise<WriteResult> {
	const [{ n }] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM area');
	if (n === 0)
		throw new Error('er staan nog geen gebieden in de database; importeer eerst wijken en buurten');
	const size = opts.batchSize ?? BATCH;
	const result: WriteResult = { ids: [], inserted: 0, outside: [] };
	const points = items.reduce((k, it) => k + (it.geometry.type === 'Point' ? 1 : 0), 0);
	const index = points >= INDEX_FROM_POINTS ? await loadAreaIndex(tx) : null;
	for (let start = 0; start < items.length; start += size) {
		const batch = items.slice(start, start + size);
		const { ids, outside } = await insertBatch(tx, batch, opts.source ?? null, index);
		const skipped = new Set(outside);
		let next = 0;
		const kept = batch.map((_, i) => (skipped.has(i) ? null : ids[next++]));
		for (const i of outside) result.outside.push(start + i);
		await insertTimelines(tx, batch, kept);
		await insertContacts(tx, batch, kept);
		result.ids.push(...kept);
		result.inserted += ids.length;
		opts.onProgress?.(start + batch.length);
		// PGlite runs each statement synchronously: without a turn of the event loop, a portal that
		// runs this import for the CLI (admin/channel.ts) could neither stream progress nor accept a
		// connection until the whole transaction is done. Other queries still wait for the transaction.
		await new Promise((resolve) => setImmediate(resolve));
	}
	return result;
}

/**
 * One statement per batch: unnest the columns, find each item's areas (item_areas, migration
 * 017; a point item the AreaIndex already placed skips it), insert those inside an area.
 * Writing each row once matters at a million meldingen.
 * Returns the new ids in input order and the 0-based positions left out.
 */
async function insertBatch(
	tx: Sql,
	batch: ItemInput[],
	source: string | null,
	index: AreaIndex | null
): Promise<{ ids: number[]; outside: number[] }> {
	const col = <T>(f: (it: ItemInput) => T) => batch.map(f);
	const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
	const point = (it: ItemInput) => (it.geometry.type === 'Point' ? it.geometry.coordinates : null);
	// 'null' (JSON) marks a point in no area; SQL NULL leaves the item to the join below.
	const located = (it: ItemInput) => {
		const p = point(it);
		if (!index || !p) return null;
		const areas = index.locate(p[0], p[1]);
		return JSON.stringify(Object.keys(areas).length ? areas : null);
	};
	const [row] = await tx.query<{
		ids: (number | string)[] | null;
		outside: (number | string)[] | null;
	}>(
		`WITH src AS (
		   SELECT s.*, CASE WHEN s.gj IS NULL THEN ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)
		                    ELSE ST_SetSRID(ST_GeomFromGeoJSON(s.gj), 4326) END AS geom
		   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		               $9::float8[], $10::float8[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
		               $15::timestamptz[], $16::timestamptz[], $17::text[], $19::text[])
		        WITH ORDINALITY AS s(layer, title, description, theme, themes, status, category, subcategory,
		                             lon, lat, gj, details, starts_at, ends_at, created_at, updated_at, external_id,
		                             located, ord)
		 ),
		 located AS (
		   SELECT src.*, CASE WHEN src.located IS NOT NULL THEN nullif(src.located::jsonb, 'null'::jsonb)
		                ELSE item_areas(src.geom) END AS areas
		   FROM src
		 ),
		 ins AS (
		   INSERT INTO item (layer, title, description, theme, themes, status, category, subcategory, sensitive,
		                     geom, areas, details, starts_at, ends_at, due_at, created_at, updated_at, source, external_id)
		   SELECT l.layer, l.title, l.description, l.theme, string_to_array(l.themes, ','), l.status, l.category,
		          l.subcategory, coalesce(c.sensitive, false), l.geom, l.areas, l.details::jsonb, l.starts_at, l.ends_at,
		          l.created_at + make_interval(hours => 24 * c.sla_days),
		          l.created_at, coalesce(l.updated_at, l.created_at), $18, l.external_id
		   FROM located l LEFT JOIN melding_category c ON c.id = l.category
		   WHERE l.areas IS NOT NULL
		   ORDER BY l.ord
		   RETURNING id
		 )
		 SELECT (SELECT array_agg(id ORDER BY id) FROM ins) AS ids,
		        (SELECT array_agg(ord - 1 ORDER BY ord) FROM located WHERE areas IS NULL) AS outside`,
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
			// Last changed: given, or the last public update.
			col((it) =>
				iso(
					it.updatedAt ??
						it.timeline?.reduce<Date | null>((m, e) => (!m || e.at > m ? e.at : m), null)
				)
			),
			col((it) => it.externalId ?? null),
			source,
			col(located)
		]
	);
	// Identity values follow the ORDER BY, so sorted ids line up with the kept input rows.
	return { ids: (row.ids ?? []).map(Number), outside: (row.outside ?? []).map(Number) };
}

/**
 * Assigns the areas of existing items again (item_areas), for use after
 * the areas themselves changed (an area import). Items that fall outside every area keep an
 * empty object. `ids` null means all items.
 */
export async function reassignAreas(tx: Sql, ids: number[] | null = null): Promise<void> {
	await tx.query(
		`UPDATE item i SET areas = coalesce(item_areas(i.geom), '{}'::jsonb)
		 WHERE $1::bigint[] IS NULL OR i.id = ANY($1::bigint[])`,
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
export async function linkItems(
	tx: Sql,
	links: { from: number; to: number; kind?: string }[]
): Promise<void> {
	if (links.length === 0) return;
	await tx.query(
		`INSERT INTO item_link (item_id, linked_id, kind)
		 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
		[links.map((l) => l.from), links.map((l) => l.to), links.map((l) => l.kind ?? 'gerelateerd')]
	);
}
