import type { Sql } from '../db/types.ts';

/** One user table as the backup sees it, read from the catalog so new tables are never missed. */
export interface TableInfo {
	name: string;
	/** Columns a backup writes and a restore inserts (stored generated columns are recomputed). */
	columns: string[];
	primaryKey: string[];
	geometryColumns: string[];
	/** Columns fed by a sequence (serial or identity), with that sequence's name. */
	sequences: { column: string; sequence: string }[];
	identity: boolean;
}

/** Tables PostGIS and Postgrator own; a migration recreates them. */
const SYSTEM_TABLES = ['spatial_ref_sys', 'schemaversion'];

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every public base table, parents before children (foreign keys), each with its columns. */
export async function userTables(db: Sql): Promise<TableInfo[]> {
	const names = (
		await db.query<{ t: string }>(
			`SELECT table_name AS t FROM information_schema.tables
			 WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1))
			 ORDER BY 1`,
			[SYSTEM_TABLES]
		)
	).map((r) => r.t);
	const fks = await db.query<{ child: string; parent: string }>(
		`SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
		 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		 WHERE c.contype = 'f' AND n.nspname = 'public'`
	);
	const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1').replaceAll('""', '"');
	const parents = new Map(names.map((n) => [n, new Set<string>()]));
	for (const fk of fks) {
		const child = unquote(fk.child);
		const parent = unquote(fk.parent);
		if (child !== parent) parents.get(child)?.add(parent);
	}
	const ordered: string[] = [];
	const placed = new Set<string>();
	while (ordered.length < names.length) {
		const ready = names.filter(
			(n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p) || !parents.has(p))
		);
		if (ready.length === 0)
			throw new Error('kringverwijzing tussen tabellen; kan geen volgorde bepalen');
		for (const n of ready) {
			ordered.push(n);
			placed.add(n);
		}
	}

	const tables: TableInfo[] = [];
	for (const name of ordered) {
		const cols = await db.query<{ c: string; udt: string; generated: string; identity: string }>(
			`SELECT column_name AS c, udt_name AS udt, is_generated AS generated, is_identity AS identity
			 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
			[name]
		);
		const pk = await db.query<{ c: string }>(
			`SELECT a.attname AS c FROM pg_index i
			 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			 WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
			[quoteIdent(name)]
		);
		const sequences: TableInfo['sequences'] = [];
		for (const col of cols) {
			const [s] = await db.query<{ seq: string | null }>(
				`SELECT pg_get_serial_sequence($1, $2) AS seq`,
				[quoteIdent(name), col.c]
			);
			if (s?.seq) sequences.push({ column: col.c, sequence: s.seq });
		}
		tables.push({
			name,
			columns: cols.filter((c) => c.generated !== 'ALWAYS').map((c) => c.c),
			primaryKey: pk.map((r) => r.c),
			geometryColumns: cols
				.filter((c) => c.udt === 'geometry' || c.udt === 'geography')
				.map((c) => c.c),
			sequences,
			identity: cols.some((c) => c.identity === 'YES')
		});
	}
	return tables;
}

/** The newest applied migration, or 0 for a store never migrated. */
export async function schemaVersion(db: Sql): Promise<number> {
	const [row] = await db.query<{ v: string | null }>(
		`SELECT max(version)::text AS v FROM schemaversion`
	);
	return Number(row?.v ?? 0);
}
