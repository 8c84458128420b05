import { AppError, msg } from '../../domain/errors.ts';
import { createHash } from 'node:crypto';
import {
	appendFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import type { Db, Sql } from '../db/types.ts';
import { quoteIdent, schemaVersion, type TableInfo, userTables } from './catalog.ts';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'wijkkaart-backup/1';
const PAGE = 2000;

export interface Manifest {
	format: typeof FORMAT;
	createdAt: string;
	schemaVersion: number;
	/** In restore order: parents before children. */
	tables: { name: string; file: string; rows: number; columns: string[] }[];
	sequences: { table: string; column: string; lastValue: string; isCalled: boolean }[];
	/** sha256 (hex) of every other file in the directory. */
	files: Record<string, string>;
}

/** One row as JSON: geometry as hex EWKB (exact, SRID kept), everything else as to_jsonb writes it. */
function rowJson(t: TableInfo, alias = 'x'): string {
	const pairs = t.columns.map((c) => {
		const v = `${alias}.${quoteIdent(c)}`;
		return `'${c.replaceAll("'", "''")}', ${t.geometryColumns.includes(c) ? `${v}::text` : v}`;
	});
	// jsonb_build_object takes at most 100 arguments; merge chunks for wide tables.
	const chunks: string[] = [];
	for (let i = 0; i < pairs.length; i += 40)
		chunks.push(`jsonb_build_object(${pairs.slice(i, i + 40).join(', ')})`);
	return chunks.join(' || ') || `'{}'::jsonb`;
}

/**
 * Pages through a table in primary-key order (keyset, so a big table never sits in memory),
 * yielding whatever `select` computes from row alias x plus the row's key as JSON.
 */
export async function* pages<T>(db: Sql, t: TableInfo, select: string): AsyncGenerator<T[]> {
	const table = quoteIdent(t.name);
	if (t.primaryKey.length === 0) {
		yield await db.query<T>(`SELECT ${select} FROM ${table} x ORDER BY x::text`);
		return;
	}
	const key = t.primaryKey.map((c) => `x.${quoteIdent(c)}`).join(', ');
	const keyJson = `jsonb_build_object(${t.primaryKey.map((c) => `'${c}', x.${quoteIdent(c)}`).join(', ')})::text`;
	let after: string | null = null;
	for (;;) {
		const where: string =
			after === null
				? ''
				: `WHERE (${key}) > (SELECT ${t.primaryKey.map(quoteIdent).join(', ')} FROM jsonb_populate_record(NULL::${table}, $1::jsonb))`;
		const rows: (T & { _key: string })[] = await db.query(
			`SELECT ${select}, ${keyJson} AS _key FROM ${table} x ${where} ORDER BY ${key} LIMIT ${PAGE}`,
			after === null ? [] : [after]
		);
		if (rows.length === 0) return;
		yield rows;
		if (rows.length < PAGE) return;
		after = rows[rows.length - 1]._key;
	}
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const README = `Wijkkaart-back-up
=================

LET OP: deze map bevat PERSOONSGEGEVENS. Naast de openbare kaartgegevens staan hier ook
niet-gepubliceerde en gevoelige meldingen, namen, e-mailadressen en telefoonnummers van melders,
gegevens van medewerkers (met wachtwoord-hashes), sessies, inlogpogingen en het auditlog.
Bewaar en verstuur deze map zoals de AVG dat voor persoonsgegevens vraagt (versleuteld, alleen
voor wie dat nodig heeft) en verwijder hem als hij niet meer nodig is.

Inhoud
- areas.geojson: alle gebieden (WGS84), met niveau, code, naam en bovenliggende code.
- items.geojson: ALLE items (ook niet-openbare); eigenschap "public" zegt of het item op de
  openbare kaart staat.
- tables/<tabel>.jsonl: elke tabel, één JSON-object per regel, geometrie als hex-EWKB.
- manifest.json: tabellen in herstelvolgorde, aantallen rijen, schemaversie, reeksen (sequences)
  en de sha256 van elk bestand.

Terugzetten in een LEGE store: npm run restore -- <deze map>
`;

export interface ExportResult {
	dir: string;
	manifest: Manifest;
}

/** Writes a full backup of the store into `dir` (created; must be empty if it exists). */
export async function exportStore(db: Db, dir: string): Promise<ExportResult> {
	if (existsSync(dir) && readdirSync(dir).length > 0) {
		throw new AppError(msg('errors.backup.dirNotEmpty', { dir }));
	}
	mkdirSync(path.join(dir, 'tables'), { recursive: true });
	// One transaction, one snapshot: rows written meanwhile cannot half-appear in the backup.
	return db.transaction(async (tx) => {
		await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
		return writeAll(tx, dir);
	});
}

async function writeAll(db: Sql, dir: string): Promise<ExportResult> {
	const tables = await userTables(db);
	const manifest: Manifest = {
		format: FORMAT,
		createdAt: new Date().toISOString(),
		schemaVersion: await schemaVersion(db),
		tables: [],
		sequences: [],
		files: {}
	};
	for (const t of tables) {
		const file = `tables/${t.name}.jsonl`;
		const full = path.join(dir, file);
		writeFileSync(full, '');
		let rows = 0;
		for await (const page of pages<{ j: string }>(db, t, `(${rowJson(t)})::text AS j`)) {
			appendFileSync(full, page.map((r) => r.j + '\n').join(''));
			rows += page.length;
		}
		manifest.tables.push({ name: t.name, file, rows, columns: t.columns });
		for (const s of t.sequences) {
			const [v] = await db.query<{ last: string; called: boolean }>(
				`SELECT last_value::text AS last, is_called AS called FROM ${s.sequence}`
			);
			manifest.sequences.push({
				table: t.name,
				column: s.column,
				lastValue: v.last,
				isCalled: v.called
			});
		}
	}
	await writeGeoJson(db, tables, dir);
	writeFileSync(path.join(dir, 'README.txt'), README);
	for (const f of [
		'README.txt',
		'areas.geojson',
		'items.geojson',
		...manifest.tables.map((t) => t.file)
	]) {
		manifest.files[f] = sha256(path.join(dir, f));
	}
	writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest, null, '\t') + '\n');
	return { dir, manifest };
}

async function writeGeoJson(db: Sql, tables: TableInfo[], dir: string): Promise<void> {
	const layers = [
		{ table: 'area', file: 'areas.geojson', props: `to_jsonb(x) - 'geom'` },
		{
			table: 'item',
			file: 'items.geojson',
			// The rule of the public reads (migration 017), so the flag says what visitors see.
			props: `to_jsonb(x) - 'geom' || jsonb_build_object('public', item_is_public(x.deleted_at, x.published, x.sensitive))`
		}
	];
	for (const layer of layers) {
		const full = path.join(dir, layer.file);
		writeFileSync(full, '{"type":"FeatureCollection","features":[\n');
		const t = tables.find((x) => x.name === layer.table);
		let first = true;
		if (t) {
			const select = `json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(x.geom)::json, 'properties', ${layer.props})::text AS f`;
			for await (const page of pages<{ f: string }>(db, t, select)) {
				appendFileSync(
					full,
					page.map((r) => (first ? ((first = false), '') : ',\n') + r.f).join('')
				);
			}
		}
		appendFileSync(full, '\n]}\n');
	}
}
